import { ApprovalError, ApprovalsService, type Approval } from '@app/approvals';
import { PolicyGate } from '@app/policy';
import { Body, Controller, Get, HttpCode, HttpException, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LogRedactor } from '../audit/log-redactor';
import { RequireRole } from '../auth/access.decorator';
import { type CallerTrace, CurrentCallerTrace } from '../auth/caller-trace.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { type Principal, roleAtLeast } from '../auth/principal';
import { ApiProblemResponses } from '../common/problem/api-problem-responses.decorator';
import {
  ApprovalChangesDto,
  ApprovalChangesQueryDto,
  ApprovalDto,
  ApprovalIdParamsDto,
  ApprovalListDto,
  CreateApprovalDto,
  DecideApprovalDto,
  GetApprovalQueryDto,
  ListApprovalsQueryDto,
} from './dto/approval.dto';

/**
 * The human side of the gate: an agent asks, people of its tenant decide, the agent uses the grant
 * once (`POST /check` or a sandbox execution with `approval_id`).
 */
@ApiTags('approvals')
@Controller('safety/approvals')
export class ApprovalsController {
  constructor(
    private readonly approvals: ApprovalsService,
    private readonly gate: PolicyGate,
    private readonly redactor: LogRedactor,
  ) {}

  /**
   * Ask a human. The policy is evaluated again: an allowed action needs no approval (409), a denied
   * one cannot be approved (403); the same requester asking again for the same action and run gets
   * its pending or unused approval back (200).
   */
  @Post()
  @RequireRole('agent')
  @ApiOperation({
    operationId: 'requestApproval',
    summary: 'Ask a human to approve an action the policy sends to approval',
  })
  @ApiCreatedResponse({ type: ApprovalDto, description: 'A new pending approval' })
  @ApiOkResponse({ type: ApprovalDto, description: 'The pending or unused approval already asked for' })
  @ApiProblemResponses('APPROVAL_NOT_NEEDED', 'POLICY_DENIED', 'POLICY_UNKNOWN_ACTION', 'POLICY_INVALID_CONTEXT')
  async request(
    @Body() body: CreateApprovalDto,
    @CurrentPrincipal() principal: Principal,
    @CurrentCallerTrace() trace: CallerTrace,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ApprovalDto> {
    const decision = await this.gate.check(body.action, body.context, trace);
    if (decision.decision === 'allow') {
      throw new HttpException(
        { code: 'APPROVAL_NOT_NEEDED', message: `The policy allows this action without approval: ${decision.reason}` },
        HttpStatus.CONFLICT,
      );
    }
    if (decision.decision === 'deny') {
      throw new HttpException(
        { code: 'POLICY_DENIED', message: `Denied by policy, which no approval can change: ${decision.reason}` },
        HttpStatus.FORBIDDEN,
      );
    }
    const { approval, created } = await this.approvals.request({
      tenant: principal.tenant,
      runId: body.run_id,
      action: body.action,
      context: this.redactor.redactValue(body.context),
      digestContext: body.context,
      requestedBy: principal.keyId,
      justification: body.justification === undefined ? undefined : this.redactor.redactText(body.justification),
      reason: decision.reason,
      ruleIds: decision.rule_ids,
      requiredApprovals: this.gate.requiredApprovals(decision, principal.tenant),
    });
    void reply.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return approval;
  }

  /** The tenant's approvals, newest first: an operator sees all of them, an agent its own. */
  @Get()
  @RequireRole('agent')
  @ApiOperation({
    operationId: 'listApprovals',
    summary: "The tenant's approvals, newest first (an agent sees its own)",
  })
  @ApiOkResponse({ type: ApprovalListDto })
  @ApiProblemResponses()
  async list(
    @Query() query: ListApprovalsQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ApprovalListDto> {
    const page = await this.approvals.list(
      {
        tenant: principal.tenant,
        status: query.status,
        runId: query.run_id,
        requestedBy: roleAtLeast(principal.role, 'operator') ? undefined : principal.keyId,
      },
      query.limit ?? 50,
      query.cursor,
    );
    return { approvals: page.approvals, next_cursor: page.nextCursor };
  }

  /**
   * Long-poll for lists: pass the `version` of the previous answer as `since`; answers at once when the
   * tenant's approvals changed since then (on any replica), else at the next change or after `wait`
   * seconds. Read the list again when `changed` is true.
   */
  @Get('changes')
  @RequireRole('agent')
  @ApiOperation({
    operationId: 'waitForApprovalChanges',
    summary: "Long-poll until any of the tenant's approvals changes",
  })
  @ApiOkResponse({ type: ApprovalChangesDto })
  @ApiProblemResponses()
  async changes(
    @Query() query: ApprovalChangesQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ApprovalChangesDto> {
    const waitMs = (query.wait ?? 25) * 1000;
    return this.approvals.waitForTenantChange(principal.tenant, query.since, waitMs, untilGone(reply));
  }

  /** One approval (its requester, or an operator of its tenant). `?wait=N` long-polls up to N seconds while it is pending. */
  @Get(':id')
  @RequireRole('agent')
  @ApiOperation({ operationId: 'getApproval', summary: 'One approval; ?wait=N long-polls while it is pending' })
  @ApiOkResponse({ type: ApprovalDto })
  @ApiProblemResponses('APPROVAL_NOT_FOUND')
  async get(
    @Param() { id }: ApprovalIdParamsDto,
    @Query() query: GetApprovalQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ApprovalDto> {
    this.visible(await this.approvals.get(id, principal.tenant), principal);
    return this.approvals.wait(id, principal.tenant, (query.wait ?? 0) * 1000, untilGone(reply));
  }

  /** Approve or reject (an operator or admin of the tenant; never the requester; once per approver). */
  @Post(':id/decision')
  @RequireRole('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'decideApproval',
    summary: 'Approve or reject (operator or admin of the tenant, never the requester)',
  })
  @ApiOkResponse({ type: ApprovalDto })
  @ApiProblemResponses('APPROVAL_NOT_FOUND', 'APPROVAL_NOT_PENDING', 'SELF_APPROVAL')
  decide(
    @Param() { id }: ApprovalIdParamsDto,
    @Body() body: DecideApprovalDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ApprovalDto> {
    const comment = body.comment === undefined ? undefined : this.redactor.redactText(body.comment);
    return this.approvals.decide(id, principal.tenant, principal.keyId, body.decision, comment);
  }

  /** Withdraw a pending request (its requester only). */
  @Post(':id/cancel')
  @RequireRole('agent')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'cancelApproval', summary: 'Withdraw a pending request (its requester only)' })
  @ApiOkResponse({ type: ApprovalDto })
  @ApiProblemResponses('APPROVAL_NOT_FOUND', 'APPROVAL_NOT_PENDING', 'APPROVAL_NOT_REQUESTER')
  async cancel(@Param() { id }: ApprovalIdParamsDto, @CurrentPrincipal() principal: Principal): Promise<ApprovalDto> {
    this.visible(await this.approvals.get(id, principal.tenant), principal);
    return this.approvals.cancel(id, principal.tenant, principal.keyId);
  }

  /** An agent sees only its own approvals; anyone else's answers exactly like one that does not exist. */
  private visible(approval: Approval, principal: Principal): void {
    if (approval.requested_by !== principal.keyId && !roleAtLeast(principal.role, 'operator')) {
      throw new ApprovalError('APPROVAL_NOT_FOUND', `Approval not found: ${approval.approval_id}`, {
        approvalId: approval.approval_id,
      });
    }
  }
}

/** Aborts when the client goes away before the answer, so a long-poll stops holding a timer and a subscription. */
function untilGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => controller.abort());
  return controller.signal;
}
