/**
 * Money for sandbox time: hold the most a command can cost, then commit what
 * it did cost (or release). `BudgetService` from @app/budget satisfies it as is;
 * its errors (BUDGET_NOT_FOUND, BUDGET_EXCEEDED, DEPENDENCY_UNAVAILABLE) pass through.
 */
export abstract class SandboxBudget {
  /** Throws BUDGET_NOT_FOUND when the run has no budget: a session is only created for a run that can pay. */
  abstract getStatus(runId: string): Promise<unknown>;
  abstract reserveFor(runId: string, amountMicros: number, holdTtlMs: number): Promise<{ reservationId: string }>;
  abstract commitReservation(reservationId: string, amount: number): Promise<{ budget: { remaining: number } }>;
  abstract releaseReservation(reservationId: string): Promise<{ budget: { remaining: number } }>;
}
