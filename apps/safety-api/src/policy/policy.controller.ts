import { PolicyGate } from '@app/policy';
import { Body, Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
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
  constructor(private readonly gate: PolicyGate) {}

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
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PolicyDecisionDto> {
    // The request id goes on the decision's log line, so it joins the request's own line and its audit events.
    return this.gate.check(body.action, body.context, {
      requestId: String(request.id),
      keyId: principal.keyId,
      tenant: principal.tenant,
    });
  }
}
