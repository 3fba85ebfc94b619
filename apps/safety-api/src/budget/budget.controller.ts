import { BudgetService } from '@app/budget';
import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  MethodNotAllowedException,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { journalFor } from '../audit/domain-events.hook';
import { RequireRole } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { type Principal, roleAtLeast } from '../auth/principal';
import { assertOwnReservation, tenantRunId } from '../auth/tenant-run';
import { ApiProblemResponses } from '../common/problem/api-problem-responses.decorator';
import { RequestValidationError } from '../common/problem/request-validation.error';
import { RunIdParamsDto } from '../common/validation/run-id-params.dto';
import { canSpendBody, eventBody, reservationBody, settlementBody, spendBody, statusBody } from './budget.presenter';
import { BudgetEventsDto, ListBudgetEventsQueryDto } from './dto/budget-events.dto';
import { BudgetStatusDto, SpendResponseDto } from './dto/budget-status.dto';
import { CanSpendDto, CanSpendResponseDto } from './dto/can-spend.dto';
import { CreateBudgetDto } from './dto/create-budget.dto';
import { CommitReservationDto, ReserveDto } from './dto/reserve.dto';
import { ReservationDto, ReservationSettlementDto } from './dto/reservation.dto';
import { SpendDto } from './dto/spend.dto';

/** POST-only paths that would otherwise be read as a run id by `GET /:run_id`. */
const POST_ONLY = new Set(['create', 'spend', 'can-spend', 'reserve']);

/** Per-run money budgets: exact to the micro-dollar, atomic under any concurrency, fail closed. */
@ApiTags('budget')
@Controller('safety/budget')
export class BudgetController {
  constructor(
    private readonly budgets: BudgetService,
    private readonly audit: AuditService,
  ) {}

  /** Create a run's budget (limit defaults to DEFAULT_RUN_BUDGET). */
  @Post('create')
  @RequireRole('agent')
  @ApiCreatedResponse({ type: BudgetStatusDto })
  @ApiProblemResponses(
    'BUDGET_ALREADY_EXISTS',
    'BUDGET_LIMIT_TOO_HIGH',
    'BUDGET_INVALID_AMOUNT',
    'BUDGET_INVALID_ARGUMENT',
  )
  async create(@Body() body: CreateBudgetDto, @CurrentPrincipal() principal: Principal): Promise<BudgetStatusDto> {
    const status = await this.budgets.createBudget(tenantRunId(principal.tenant, body.run_id), body.limit, {
      alertThresholds: body.alert_thresholds,
    });
    return statusBody(status);
  }

  /**
   * Record a spend atomically. 402 BUDGET_EXCEEDED (nothing recorded) when it does not fit, unless allow_overage.
   * Retries with the same idempotency key (body or Idempotency-Key header) apply once.
   */
  @Post('spend')
  @RequireRole('agent')
  @HttpCode(HttpStatus.OK)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same as body idempotency_key; if both are sent they must match.',
  })
  @ApiOkResponse({ type: SpendResponseDto })
  @ApiProblemResponses(
    'BUDGET_NOT_FOUND',
    'BUDGET_EXCEEDED',
    'IDEMPOTENCY_KEY_REUSED',
    'BUDGET_INVALID_AMOUNT',
    'BUDGET_INVALID_ARGUMENT',
  )
  async spend(
    @Body() body: SpendDto,
    @Headers('idempotency-key') headerKey: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SpendResponseDto> {
    const idempotencyKey = idempotencyKeyOf(body.idempotency_key, headerKey);
    if (body.allow_overage && !roleAtLeast(principal.role, 'operator')) {
      throw new ForbiddenException({
        code: 'FORBIDDEN_ROLE',
        message: `allow_overage needs the operator role (or higher); principal "${principal.keyId}" is ${principal.role}.`,
      });
    }
    const result = await this.budgets.spend(tenantRunId(principal.tenant, body.run_id), body.amount, {
      idempotencyKey,
      allowOverage: body.allow_overage,
      journal: journalFor(request, this.audit),
    });
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return spendBody(result);
  }

  /** Whether an amount fits in what is left now. Changes nothing. */
  @Post('can-spend')
  @RequireRole('agent')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: CanSpendResponseDto })
  @ApiProblemResponses('BUDGET_NOT_FOUND', 'BUDGET_INVALID_AMOUNT', 'BUDGET_INVALID_ARGUMENT')
  async canSpend(@Body() body: CanSpendDto, @CurrentPrincipal() principal: Principal): Promise<CanSpendResponseDto> {
    return canSpendBody(await this.budgets.canSpend(tenantRunId(principal.tenant, body.run_id), body.amount));
  }

  /** Hold an amount for work whose cost is known only afterwards; the hold frees itself after ttl_seconds. */
  @Post('reserve')
  @RequireRole('agent')
  @ApiCreatedResponse({ type: ReservationDto })
  @ApiProblemResponses('BUDGET_NOT_FOUND', 'BUDGET_EXCEEDED', 'BUDGET_INVALID_AMOUNT', 'BUDGET_INVALID_ARGUMENT')
  async reserve(@Body() body: ReserveDto, @CurrentPrincipal() principal: Principal): Promise<ReservationDto> {
    const runId = tenantRunId(principal.tenant, body.run_id);
    return reservationBody(await this.budgets.reserve(runId, body.amount, { ttlSeconds: body.ttl_seconds }));
  }

  /** Spend what the work cost (at most the amount held) and free the hold. Repeating the same commit changes nothing. */
  @Post('reservations/:id/commit')
  @RequireRole('agent')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ReservationSettlementDto })
  @ApiProblemResponses(
    'RESERVATION_NOT_FOUND',
    'RESERVATION_EXPIRED',
    'RESERVATION_ALREADY_SETTLED',
    'RESERVATION_AMOUNT_EXCEEDED',
    'BUDGET_NOT_FOUND',
    'BUDGET_INVALID_AMOUNT',
  )
  async commit(
    @Param('id') id: string,
    @Body() body: CommitReservationDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReservationSettlementDto> {
    assertOwnReservation(principal, id);
    return settlementBody(await this.budgets.commitReservation(id, body.amount));
  }

  /** Free the hold. Releasing again, or releasing a hold that already expired, changes nothing. */
  @Post('reservations/:id/release')
  @RequireRole('agent')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ReservationSettlementDto })
  @ApiProblemResponses('RESERVATION_NOT_FOUND', 'RESERVATION_ALREADY_SETTLED', 'BUDGET_NOT_FOUND')
  async release(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<ReservationSettlementDto> {
    assertOwnReservation(principal, id);
    return settlementBody(await this.budgets.releaseReservation(id));
  }

  /** A run's events (created, spent, reserved, committed, released, expired holds, alerts), oldest first. */
  @Get(':run_id/events')
  @RequireRole('agent')
  @ApiOkResponse({ type: BudgetEventsDto })
  @ApiProblemResponses('BUDGET_NOT_FOUND', 'BUDGET_INVALID_ARGUMENT')
  async events(
    @Param() { run_id: runId }: RunIdParamsDto,
    @Query() query: ListBudgetEventsQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<BudgetEventsDto> {
    const limit = query.limit ?? 100;
    const events = await this.budgets.listEvents(tenantRunId(principal.tenant, runId), { limit, after: query.after });
    return {
      run_id: runId,
      events: events.map(eventBody),
      next_after: events.length === limit ? events[events.length - 1].id : null,
    };
  }

  /** A run's budget status. */
  @Get(':run_id')
  @RequireRole('agent')
  @ApiOkResponse({ type: BudgetStatusDto })
  @ApiProblemResponses('BUDGET_NOT_FOUND', 'BUDGET_INVALID_ARGUMENT')
  async status(
    @Param() { run_id: runId }: RunIdParamsDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<BudgetStatusDto> {
    if (POST_ONLY.has(runId)) {
      throw new MethodNotAllowedException({
        message: `GET is not allowed on this path; use POST.`,
        headers: { allow: 'POST' },
      });
    }
    return statusBody(await this.budgets.getStatus(tenantRunId(principal.tenant, runId)));
  }
}

function idempotencyKeyOf(bodyKey: string | undefined, headerKey: string | undefined): string | undefined {
  if (bodyKey !== undefined && headerKey !== undefined && bodyKey !== headerKey) {
    throw new RequestValidationError([
      {
        pointer: '/idempotency_key',
        detail: 'idempotency_key and the Idempotency-Key header differ; send one, or the same value in both',
      },
    ]);
  }
  return bodyKey ?? headerKey;
}
