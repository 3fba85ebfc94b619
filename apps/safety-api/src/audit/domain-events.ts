import type { MetricsService } from '../metrics/metrics.service';

type Body = Record<string, unknown>;

/** What one audited route contributes: the audit event type and its metrics. */
export interface DomainEventRoute {
  /** Audit event type; routes without one only feed metrics. */
  type?: string;
  /**
   * For a route whose store files the event in the same step as the change (the budget ledger's
   * journal, see LedgerJournal): what the call asked for besides its amount. The store adds the rest.
   */
  journalData?: (request: Body) => Record<string, unknown>;
  /** Fields of a successful response worth keeping (never command output, never secrets). */
  data?: (request: Body, response: Body) => Record<string, unknown>;
  /** What a refused or failed call asked for, and why it was refused (from its problem document). */
  failureData?: (request: Body, problem: Body) => Record<string, unknown>;
  metrics?: (metrics: MetricsService, outcome: string, request: Body, response: Body | undefined) => void;
}

const isBody = (value: unknown): value is Body => typeof value === 'object' && value !== null;
const pick = (source: Body, keys: string[]) =>
  Object.fromEntries(keys.filter((key) => key in source).map((key) => [key, source[key]]));
const BUDGET_FIELDS = ['limit', 'spent', 'reserved', 'remaining', 'exceeded', 'state', 'thresholds_crossed'];

const RESERVATION_FIELDS = ['reservation_id', 'amount', 'committed_amount', 'status'];

/**
 * A budget call's event: what was asked, what it did (a replayed spend or commit changed nothing),
 * and the budget right after. Spends answer with the budget itself; commit and release answer with
 * the reservation and the budget under `budget`.
 */
function budgetRoute(operation: string, journaled = false): DomainEventRoute {
  return {
    type: `budget.${operation}`,
    ...(journaled ? { journalData: (request: Body) => pick(request, ['allow_overage', 'idempotency_key']) } : {}),
    data: (request, response) => ({
      ...pick(request, ['amount', 'limit', 'allow_overage', 'idempotency_key']),
      ...pick(response, [...RESERVATION_FIELDS, 'replayed']),
      ...pick(isBody(response.budget) ? response.budget : response, BUDGET_FIELDS),
    }),
    metrics: (metrics, outcome) => metrics.budgetOperations.inc({ operation, outcome }),
  };
}

const SANDBOX_EXECUTION: DomainEventRoute = {
  type: 'sandbox.execution',
  // A refused run (policy, budget, approval) says what was asked and which decision refused it.
  failureData: (request, problem) => {
    const decision = isBody(problem.decision) ? problem.decision : {};
    return {
      ...pick(request, ['command', 'timeout_ms', 'allowed_domains', 'approval_id']),
      ...pick(decision, ['decision', 'decision_id', 'rule_ids']),
      ...pick(problem, ['approval_error']),
    };
  },
  data: (request, response) => ({
    ...pick(request, ['command', 'timeout_ms', 'allowed_domains', 'template']),
    ...pick(response, [
      'exit_code',
      'timed_out',
      'duration_ms',
      'cost',
      'budget_remaining',
      'decision_id',
      'truncated',
    ]),
  }),
  metrics: (metrics, outcome, _request, response) => {
    if (!response) return metrics.sandboxExecutions.inc({ outcome });
    const timedOut = response.timed_out === true;
    metrics.sandboxExecutions.inc({
      outcome: timedOut ? 'timed_out' : response.exit_code === 0 ? 'ok' : 'nonzero_exit',
    });
    if (typeof response.duration_ms === 'number') metrics.sandboxDuration.observe(response.duration_ms / 1000);
  },
};

/**
 * Route template → what it means for the audit trail and metrics. A table,
 * not per-controller code, so the HTTP features stay free of bookkeeping.
 */
export const DOMAIN_EVENT_ROUTES: Record<string, DomainEventRoute> = {
  'POST /api/v1/safety/check': {
    type: 'policy.decision',
    data: (request, response) => ({
      action: request.action,
      ...pick(response, ['decision', 'risk', 'reason', 'rule_ids', 'decision_id', 'approval_id', 'approval_error']),
    }),
    metrics: (metrics, _outcome, request, response) =>
      response && metrics.policyDecisions.inc({ action: String(request.action), decision: String(response.decision) }),
  },
  'POST /api/v1/safety/budget/create': budgetRoute('create'),
  // A spend files its own event in the ledger's script call: one round trip per spend.
  'POST /api/v1/safety/budget/spend': budgetRoute('spend', true),
  'POST /api/v1/safety/budget/reserve': budgetRoute('reserve'),
  'POST /api/v1/safety/budget/reservations/:id/commit': budgetRoute('commit'),
  'POST /api/v1/safety/budget/reservations/:id/release': budgetRoute('release'),
  'POST /api/v1/safety/sandbox/execute': SANDBOX_EXECUTION,
  'POST /api/v1/safety/sandbox/sessions/:session_id/execute': SANDBOX_EXECUTION,
  'POST /api/v1/safety/redact': {
    metrics: (metrics, _outcome, request, response) => {
      const findings = Array.isArray(response?.findings) ? (response.findings as Array<{ pattern: string }>) : [];
      // Labels from a closed set: a caller-named variable is ENV_VAR, never its own name (any caller could
      // otherwise add series to /metrics without bound).
      const named = new Set(Array.isArray(request.env_vars) ? (request.env_vars as string[]) : []);
      for (const finding of findings) {
        metrics.redactionFindings.inc({ pattern: named.has(finding.pattern) ? 'ENV_VAR' : finding.pattern });
      }
    },
  },
};
