import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { ApiProblemResponses } from '../common/problem/api-problem-responses.decorator';
import { AuditService } from './audit.service';
import { RunIdParamsDto } from '../common/validation/run-id-params.dto';
import { AuditQueryDto, AuditTrailDto } from './dto/audit-trail.dto';

@ApiTags('audit')
@Controller('safety/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get(':run_id')
  @RequireRole('operator')
  @ApiOperation({
    operationId: 'getAuditTrail',
    summary: "A run's audit trail: policy decisions, budget mutations and sandbox executions, redacted",
  })
  @ApiOkResponse({
    type: AuditTrailDto,
    description: 'The most recent events, oldest first',
    example: {
      run_id: 'run-123',
      events: [
        {
          id: '1795545791390-0',
          type: 'budget.spend',
          run_id: 'run-123',
          tenant: 'acme',
          key_id: 'ci-agent',
          at: '2026-11-24T18:00:00.000Z',
          request_id: '5f0c6c1e-8f7a-4c8e-9a53-0d2a4f7f2b1a',
          outcome: 'ok',
          data: { amount: 0.05, spent: 0.05, remaining: 9.95 },
        },
      ],
    },
  })
  @ApiProblemResponses('AUDIT_TRAIL_NOT_FOUND')
  async trail(
    @Param() { run_id }: RunIdParamsDto,
    @Query() query: AuditQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AuditTrailDto> {
    const events = await this.audit.list(principal.tenant, run_id, query.limit ?? 100);
    // No trail answers like another tenant's trail does, so neither is an oracle for the other.
    if (events.length === 0) {
      throw new NotFoundException({ code: 'AUDIT_TRAIL_NOT_FOUND', message: `No audit trail for run_id: ${run_id}` });
    }
    return { run_id, events };
  }
}
