import { BudgetService, unscopedRunId } from '@app/budget';
import { SandboxService } from '@app/sandbox';
import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorator';
import { type CallerTrace, CurrentCallerTrace } from '../auth/caller-trace.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { tenantRunId } from '../auth/tenant-run';
import { ApiProblemResponses } from '../common/problem/api-problem-responses.decorator';
import { SafeExecuteDto, SafeExecuteResponseDto } from './dto/safe-execute.dto';
import { toUploadFiles } from './dto/sandbox-file.dto';
import {
  CreateSessionDto,
  SessionDto,
  SessionExecuteDto,
  SessionExecuteResponseDto,
  UploadFilesDto,
  UploadFilesResponseDto,
} from './dto/session.dto';
import { sessionBody } from './sandbox.presenter';

/** Run agent code in isolation: policy-checked, budget-charged, output redacted. */
@ApiTags('sandbox')
@Controller('safety/sandbox')
export class SandboxController {
  constructor(
    private readonly sandbox: SandboxService,
    private readonly budgets: BudgetService,
  ) {}

  /** A session created without a run gets one (with the default budget): no session runs uncharged or unaudited. */
  private async ownRun(principal: Principal): Promise<string> {
    const runId = tenantRunId(principal.tenant, `session-${randomUUID()}`);
    await this.budgets.createBudget(runId);
    return runId;
  }

  /**
   * The product's safeExecuteCode: policy check of the command and each allowed domain, budget hold for
   * the longest the timeout allows, a fresh sandbox (always destroyed), the measured cost committed,
   * output redacted. A command's own failure or timeout is a 200 with its exit code.
   */
  @Post('execute')
  @RequireRole('agent')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SafeExecuteResponseDto })
  @ApiProblemResponses(
    'POLICY_DENIED',
    'POLICY_APPROVAL_REQUIRED',
    'BUDGET_EXCEEDED',
    'BUDGET_NOT_FOUND',
    'SANDBOX_UNAVAILABLE',
    'SANDBOX_TOO_MANY_SESSIONS',
    'SANDBOX_UPLOAD_INVALID',
    'SANDBOX_UPLOAD_TOO_LARGE',
    'SANDBOX_INVALID_ARGUMENT',
    'SANDBOX_TEMPLATE_UNKNOWN',
  )
  async execute(
    @Body() body: SafeExecuteDto,
    @CurrentPrincipal() principal: Principal,
    @CurrentCallerTrace() trace: CallerTrace,
  ): Promise<SafeExecuteResponseDto> {
    return this.sandbox.safeExecute({
      runId: tenantRunId(principal.tenant, body.run_id),
      command: body.command,
      timeoutMs: body.timeout_ms,
      allowedDomains: body.allowed_domains,
      files: toUploadFiles(body.files),
      template: body.template,
      trace,
      approvalId: body.approval_id,
    });
  }

  /** Create a session (a sandbox kept for several commands until destroyed, idle or expired). */
  @Post('sessions')
  @RequireRole('agent')
  @ApiCreatedResponse({ type: SessionDto })
  @ApiProblemResponses(
    'POLICY_DENIED',
    'POLICY_APPROVAL_REQUIRED',
    'SANDBOX_UNAVAILABLE',
    'SANDBOX_TOO_MANY_SESSIONS',
    'SANDBOX_INVALID_ARGUMENT',
    'SANDBOX_TEMPLATE_UNKNOWN',
    'BUDGET_NOT_FOUND',
    'BUDGET_INVALID_ARGUMENT',
  )
  async createSession(
    @Body() body: CreateSessionDto,
    @CurrentPrincipal() principal: Principal,
    @CurrentCallerTrace() trace: CallerTrace,
  ): Promise<SessionDto> {
    const runId = body.run_id === undefined ? await this.ownRun(principal) : tenantRunId(principal.tenant, body.run_id);
    const session = await this.sandbox.createSession({
      template: body.template,
      ttlMs: body.timeout_ms,
      allowedDomains: body.allowed_domains,
      runId,
      trace,
    });
    return sessionBody(session);
  }

  /** A session's facts. */
  @Get('sessions/:session_id')
  @RequireRole('agent')
  @ApiOkResponse({ type: SessionDto })
  @ApiProblemResponses('SANDBOX_SESSION_NOT_FOUND')
  async getSession(
    @Param('session_id') sessionId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SessionDto> {
    return sessionBody(await this.sandbox.getSession(sessionId, principal.tenant));
  }

  /** Write files into the session's /workspace. */
  @Post('sessions/:session_id/files')
  @RequireRole('agent')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: UploadFilesResponseDto })
  @ApiProblemResponses(
    'SANDBOX_SESSION_NOT_FOUND',
    'SANDBOX_UPLOAD_INVALID',
    'SANDBOX_UPLOAD_TOO_LARGE',
    'SANDBOX_UNAVAILABLE',
  )
  async uploadFiles(
    @Param('session_id') sessionId: string,
    @Body() body: UploadFilesDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<UploadFilesResponseDto> {
    await this.sandbox.uploadFiles(sessionId, toUploadFiles(body.files), principal.tenant);
    return { session_id: sessionId, written: body.files.map((file) => file.path) };
  }

  /** Run a command in the session: policy-checked, charged to the session's run if it has one, output redacted. */
  @Post('sessions/:session_id/execute')
  @RequireRole('agent')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SessionExecuteResponseDto })
  @ApiProblemResponses(
    'SANDBOX_SESSION_NOT_FOUND',
    'POLICY_DENIED',
    'POLICY_APPROVAL_REQUIRED',
    'BUDGET_EXCEEDED',
    'SANDBOX_UNAVAILABLE',
    'SANDBOX_INVALID_ARGUMENT',
  )
  async executeInSession(
    @Param('session_id') sessionId: string,
    @Body() body: SessionExecuteDto,
    @CurrentPrincipal() principal: Principal,
    @CurrentCallerTrace() trace: CallerTrace,
  ): Promise<SessionExecuteResponseDto> {
    const result = await this.sandbox.executeInSession(sessionId, {
      command: body.command,
      timeoutMs: body.timeout_ms,
      cwd: body.cwd,
      env: body.env,
      owner: principal.tenant,
      trace,
      approvalId: body.approval_id,
    });
    return { ...result, run_id: result.run_id === null ? null : unscopedRunId(result.run_id) };
  }

  /** Destroy the session and everything in it. */
  @Delete('sessions/:session_id')
  @RequireRole('agent')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Destroyed.' })
  @ApiProblemResponses('SANDBOX_SESSION_NOT_FOUND')
  async destroySession(
    @Param('session_id') sessionId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.sandbox.destroySession(sessionId, principal.tenant);
  }
}
