import { BudgetError, BudgetService } from '@app/budget';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service';
import { RequireRole } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { tenantRunId } from '../auth/tenant-run';
import { statusBody } from '../budget/budget.presenter';
import { ApiProblemResponses } from '../common/problem/api-problem-responses.decorator';
import { ListRunsQueryDto, RunListDto } from './dto/run-summary.dto';

/** The tenant's runs at a glance: what the operator console lists. */
@ApiTags('audit')
@Controller('safety/runs')
export class RunsController {
  constructor(
    private readonly audit: AuditService,
    private readonly budgets: BudgetService,
  ) {}

  @Get()
  @RequireRole('operator')
  @ApiOperation({
    operationId: 'listRuns',
    summary: "The tenant's runs, most recently active first, each with its budget summary",
  })
  @ApiOkResponse({ type: RunListDto })
  @ApiProblemResponses()
  async list(@Query() query: ListRunsQueryDto, @CurrentPrincipal() principal: Principal): Promise<RunListDto> {
    const page = await this.audit.listRuns(principal.tenant, query.limit ?? 50, query.cursor);
    const runs = await Promise.all(
      page.runs.map(async ({ runId, lastActivityMs }) => ({
        run_id: runId,
        last_activity: new Date(lastActivityMs).toISOString(),
        budget: await this.budgets
          .getStatus(tenantRunId(principal.tenant, runId))
          .then(statusBody)
          .catch((error: unknown) => {
            if (error instanceof BudgetError && error.code === 'BUDGET_NOT_FOUND') return null;
            throw error;
          }),
      })),
    );
    return { runs, next_cursor: page.nextCursor };
  }
}
