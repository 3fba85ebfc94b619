import type { E2bSandboxOptions } from './adapters/e2b/e2b-sandbox.options';
import type { LocalSandboxOptions } from './adapters/local/local-sandbox.options';
import type { SandboxBudget } from './ports/sandbox-budget.port';
import type { SandboxGrants } from './ports/sandbox-grants.port';
import type { SandboxPolicy } from './ports/sandbox-policy.port';
import type { SandboxProvider } from './ports/sandbox-provider.port';
import type { SandboxRedactor } from './ports/sandbox-redactor.port';
import type { SandboxProviderName } from './sandbox.types';

/** What the app passes to SandboxModule.forRoot / forRootAsync. */
export interface SandboxModuleOptions {
  /** Which engine runs commands. */
  provider: SandboxProviderName;
  local?: LocalSandboxOptions;
  /** Required when provider is `e2b`. */
  e2b?: E2bSandboxOptions;
  /** Replaces the engine chosen by `provider` (tests). */
  providerInstance?: SandboxProvider;
  policy: SandboxPolicy;
  budget: SandboxBudget;
  redactor: SandboxRedactor;
  /** USD charged per second of command time. Default 0.0000303 (E2B's default template: 2 vCPU + 0.5 GiB). */
  costPerSecondUsd?: number;
  /** Timeout of a command sent without one (ms). Default 30 000. */
  defaultTimeoutMs?: number;
  /** Longest timeout accepted (ms). Default 600 000. */
  maxTimeoutMs?: number;
  /** Live sessions allowed on this replica (safe executions included); more is SANDBOX_TOO_MANY_SESSIONS. Default 10. */
  maxSessions?: number;
  /**
   * Live sessions one owner may hold on this replica, so one owner cannot take every slot. Default: maxSessions.
   * Owners come from `sessionOwner`.
   */
  maxSessionsPerOwner?: number;
  /** Who a run's sessions count against (the service passes the run's tenant). Default: everyone is one owner. */
  sessionOwner?: (runId: string | undefined) => string;
  /** Lifetime of a session created without one (ms); also the longest accepted. Default 900 000 (15 min). */
  sessionTtlMs?: number;
  /** A session unused this long is destroyed (ms). Default 300 000. */
  sessionIdleMs?: number;
  /** How often expired and idle sessions are looked for (ms). Default 10 000. */
  reapIntervalMs?: number;
  /** Template used when a request names none. Default `base`. */
  defaultTemplate?: string;
  /** Human approvals: lets a command the policy sends to approval run once with an approved `approvalId`. */
  grants?: SandboxGrants;
}

export interface SandboxSettings {
  costPerSecondMicros: number;
  defaultTimeoutMs: number;
  maxTimeoutMs: number;
  maxSessions: number;
  maxSessionsPerOwner: number;
  sessionOwner: (runId: string | undefined) => string;
  sessionTtlMs: number;
  sessionIdleMs: number;
  reapIntervalMs: number;
  defaultTemplate: string;
  grants: SandboxGrants | undefined;
}

/** E2B's published price for its default template (2 vCPU × $0.000014 + 0.5 GiB × $0.0000045 per second). */
export const E2B_DEFAULT_COST_PER_SECOND_USD = 0.0000303;

export function resolveSandboxSettings(options: SandboxModuleOptions): SandboxSettings {
  return {
    costPerSecondMicros: (options.costPerSecondUsd ?? E2B_DEFAULT_COST_PER_SECOND_USD) * 1_000_000,
    defaultTimeoutMs: options.defaultTimeoutMs ?? 30_000,
    maxTimeoutMs: options.maxTimeoutMs ?? 600_000,
    maxSessions: options.maxSessions ?? 10,
    maxSessionsPerOwner: options.maxSessionsPerOwner ?? options.maxSessions ?? 10,
    sessionOwner: options.sessionOwner ?? (() => ''),
    sessionTtlMs: options.sessionTtlMs ?? 900_000,
    sessionIdleMs: options.sessionIdleMs ?? 300_000,
    reapIntervalMs: options.reapIntervalMs ?? 10_000,
    defaultTemplate: options.defaultTemplate ?? 'base',
    grants: options.grants,
  };
}
