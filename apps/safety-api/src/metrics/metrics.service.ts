import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every Prometheus metric the service exposes, on its own registry (not
 * prom-client's global one) so several app instances in one test process do
 * not collide.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'safety_http_request_duration_seconds',
    help: 'HTTP request latency by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly policyDecisions = new Counter({
    name: 'safety_policy_decisions_total',
    help: 'Policy decisions by action and outcome (allow, deny, approval)',
    labelNames: ['action', 'decision'] as const,
    registers: [this.registry],
  });

  readonly budgetOperations = new Counter({
    name: 'safety_budget_operations_total',
    help: 'Budget mutations by operation (create, spend, reserve, commit, release) and outcome (ok or the problem code)',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly policyReloads = new Counter({
    name: 'safety_policy_reloads_total',
    help: 'Re-reads of the policy files by outcome: ok, or error (a file was refused and its previous version stays in force)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly apiKeyReloads = new Counter({
    name: 'safety_api_keys_reloads_total',
    help: 'Re-reads of the keys file by outcome: ok, or error (the file was refused and the previous keys stay in force)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly rateLimitDegraded = new Counter({
    name: 'safety_rate_limit_degraded_total',
    help: 'Requests rate-limited by this replica alone because the shared counter store (Redis) did not answer',
    registers: [this.registry],
  });

  readonly approvalsPending = new Gauge({
    name: 'safety_approvals_pending',
    help: 'Approvals requested minus those that left pending, as seen by this replica (sum over replicas for the total)',
    registers: [this.registry],
  });

  readonly approvalOutcomes = new Counter({
    name: 'safety_approvals_total',
    help: 'Approval events by outcome: requested, approved, rejected, expired, cancelled, consumed',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly approvalDecisionSeconds = new Histogram({
    name: 'safety_approval_time_to_decision_seconds',
    help: 'From request to approval or rejection',
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });

  readonly budgetAlerts = new Counter({
    name: 'safety_budget_alerts_total',
    help: 'Budget threshold alerts fired',
    registers: [this.registry],
  });

  readonly redactionFindings = new Counter({
    name: 'safety_redaction_findings_total',
    help: 'Secrets redacted, by pattern',
    labelNames: ['pattern'] as const,
    registers: [this.registry],
  });

  readonly sandboxExecutions = new Counter({
    name: 'safety_sandbox_executions_total',
    help: 'Sandbox executions by outcome (ok, nonzero_exit, timed_out, or the problem code)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly sandboxDuration = new Histogram({
    name: 'safety_sandbox_execution_duration_seconds',
    help: 'Wall-clock duration of sandboxed commands',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  readonly redisErrors = new Counter({
    name: 'safety_redis_errors_total',
    help: 'Redis client errors (connection losses, timeouts)',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'safety_' });
  }
}
