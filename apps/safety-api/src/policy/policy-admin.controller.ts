import { candidatePolicyLayer, parsePolicyTestCases, PolicyGate } from '@app/policy';
import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { ApiProblemResponses } from '../common/problem/api-problem-responses.decorator';
import { EffectivePolicyDto, PolicyTestRequestDto, PolicyTestResultDto } from './dto/policy-admin.dto';

/** The policy as data: what is in force for the caller's tenant, and trying a change before it ships. */
@ApiTags('policy')
@Controller('safety/policy')
export class PolicyAdminController {
  constructor(private readonly gate: PolicyGate) {}

  @Get()
  @RequireRole('operator')
  @ApiOperation({
    operationId: 'getPolicy',
    summary: "The effective policy of the caller's tenant (global file plus the tenant overlay), with its version",
  })
  @ApiOkResponse({ type: EffectivePolicyDto })
  @ApiProblemResponses()
  effective(@CurrentPrincipal() principal: Principal): EffectivePolicyDto {
    const policy = this.gate.effectivePolicy(principal.tenant);
    return {
      tenant: principal.tenant,
      ...policy,
      settings: { ...policy.settings },
      rules: policy.rules.map((rule) => ({ ...rule })),
    };
  }

  /** Nothing is installed: the candidate is compiled and judged beside the policy in force. */
  @Post('test')
  @RequireRole('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'testPolicy',
    summary: "Judge test cases under a candidate policy for the caller's tenant, without installing it",
  })
  @ApiOkResponse({
    type: PolicyTestResultDto,
    example: {
      version: '20de4d5aedb40d01',
      passed: 1,
      failed: 0,
      results: [
        {
          index: 0,
          pass: true,
          expected: 'deny',
          decision: 'deny',
          rule_ids: ['no-make-deploy'],
          matched_rules: [{ id: 'no-make-deploy', source: 'user', file: 'candidate policy', line: 4 }],
          reason: 'Deploys go through CI.',
        },
      ],
    },
  })
  @ApiProblemResponses('POLICY_INVALID', 'POLICY_TEST_INVALID')
  async test(@Body() body: PolicyTestRequestDto): Promise<PolicyTestResultDto> {
    const cases = parsePolicyTestCases(body.cases);
    return this.gate.test(candidatePolicyLayer(body.policy), cases);
  }
}
