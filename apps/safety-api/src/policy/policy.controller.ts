import { ApprovalsService } from '@app/approvals';
import { PolicyGate } from '@app/policy';
import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorator';
import { type CallerTrace, CurrentCallerTrace } from '../auth/caller-trace.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { applyGrant } from './grant-check';
import { ApiProblemResponses } from '../common/problem/api-problem-responses.decorator';
import {
  CreateBillingContextDto,
  DeleteFilesContextDto,
  DeployContextDto,
  ExecuteCodeContextDto,
  NetworkAccessContextDto,
} from './dto/action-contexts.dto';
import { PolicyDecisionDto } from './dto/policy-decision.dto';
import { SafetyCheckDto } from './dto/safety-check.dto';

/** PolicyGate over HTTP: may the agent do this? */
@ApiTags('policy')
@ApiExtraModels(
  ExecuteCodeContextDto,
  DeployContextDto,
  CreateBillingContextDto,
  DeleteFilesContextDto,
  NetworkAccessContextDto,
)
@Controller('safety')
export class PolicyController {
  constructor(
    private readonly gate: PolicyGate,
    private readonly approvals: ApprovalsService,
  ) {}

  /**
   * Decide allow, deny or approval for an action. A deny is a 200 decision, not an error;
   * shell commands are judged by what bash would run after parsing and expansion.
   */
  @Post('check')
  @RequireRole('agent')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: PolicyDecisionDto })
  @ApiProblemResponses('POLICY_UNKNOWN_ACTION', 'POLICY_INVALID_CONTEXT', 'POLICY_NOT_READY')
  async check(
    @Body() body: SafetyCheckDto,
    @CurrentCallerTrace() trace: CallerTrace,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PolicyDecisionDto> {
    // The request id and principal go on the decision's log line, joining it to the request's line and its audit events.
    const decision = await this.gate.check(body.action, body.context, trace);
    if (body.approval_id === undefined) return decision;
    return applyGrant(this.approvals, decision, body.approval_id, { principal, context: body.context });
  }
}
