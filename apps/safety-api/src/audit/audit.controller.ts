import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/problem/api-problem-responses.decorator';
import { AuditService } from './audit.service';
import { AuditQueryDto, AuditTrailDto } from './dto/audit-trail.dto';

@ApiTags('audit')
@Controller('safety/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get(':run_id')
  @ApiOperation({
    operationId: 'getAuditTrail',
    summary: "A run's audit trail: policy decisions, budget mutations and sandbox executions, redacted",
  })
  @ApiProblemResponses()
  async trail(@Param('run_id') runId: string, @Query() query: AuditQueryDto): Promise<AuditTrailDto> {
    return { run_id: runId, events: await this.audit.list(runId, query.limit ?? 100) };
  }
}
