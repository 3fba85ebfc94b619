import { BudgetService } from '@app/budget';
import { SandboxBudget } from '@app/sandbox';
import type { ModuleRef } from '@nestjs/core';

/**
 * The app's one BudgetService (owned by BudgetHttpModule, which does not
 * export it), looked up on first use. A second BudgetModule here would get its
 * own in-memory ledger when no Redis is configured, and budgets created over
 * HTTP would be invisible to the sandbox. Once BudgetHttpModule exports
 * BudgetModule (or registers it globally), inject BudgetService directly.
 */
export class ModuleRefSandboxBudget extends SandboxBudget {
  private budgets?: BudgetService;

  constructor(private readonly moduleRef: ModuleRef) {
    super();
  }

  reserveFor(runId: string, amountMicros: number, holdTtlMs: number) {
    return this.service().reserveFor(runId, amountMicros, holdTtlMs);
  }

  commitReservation(reservationId: string, amount: number) {
    return this.service().commitReservation(reservationId, amount);
  }

  releaseReservation(reservationId: string) {
    return this.service().releaseReservation(reservationId);
  }

  private service(): BudgetService {
    this.budgets ??= this.moduleRef.get(BudgetService, { strict: false });
    return this.budgets;
  }
}
