import type { MatchedRule } from './engine/finding';

/** The kinds of action an agent asks about. Values are the wire names. */
export enum ActionType {
  EXECUTE_CODE = 'execute_code',
  DEPLOY = 'deploy',
  CREATE_BILLING = 'create_billing',
  DELETE_FILES = 'delete_files',
  NETWORK_ACCESS = 'network_access',
}

export const ACTION_TYPES: readonly ActionType[] = Object.values(ActionType);

/** deny = never, even with a human; approval = a human must say yes first. */
export type DecisionOutcome = 'allow' | 'deny' | 'approval';
export const DECISION_OUTCOMES: readonly DecisionOutcome[] = ['allow', 'deny', 'approval'];

export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';
export const RISK_LEVELS: readonly RiskLevel[] = ['low', 'medium', 'high', 'critical'];

/** What PolicyGate answers; the wire shape of POST /api/v1/safety/check. */
export interface PolicyDecision {
  /** True only when decision is `allow`. */
  allowed: boolean;
  decision: DecisionOutcome;
  requires_approval: boolean;
  /** Human-readable explanation naming what was found. */
  reason: string;
  action: ActionType;
  risk: RiskLevel;
  /** Ids of the rules that produced this outcome (built-in ids in docs/policy-rules.md, or the team's own). */
  rule_ids: string[];
  /** The same rules, each marked built-in or user (with the file and line it was written at). */
  matched_rules: MatchedRule[];
  /** Content hash of the policy that decided (global file plus the tenant's overlay). */
  policy_version: string;
  /** Correlates the answer with its decision-log entry. */
  decision_id: string;
}

/** Context per action; keys not listed are accepted, ignored by the rules and logged. */
export interface ExecuteCodeContext {
  command: string;
  cwd?: string;
  workspace?: string;
  branch?: string;
  environment?: string;
  db_environment?: string;
  [extra: string]: unknown;
}

export interface DeployContext {
  environment: string;
  service?: string;
  target?: string;
  branch?: string;
  command?: string;
  dry_run?: boolean;
  [extra: string]: unknown;
}

export interface CreateBillingContext {
  amount_usd?: number;
  plan?: string;
  interval?: string;
  customer?: string;
  mode?: string;
  [extra: string]: unknown;
}

export interface DeleteFilesContext {
  path?: string;
  paths?: string[];
  workspace?: string;
  recursive?: boolean;
  [extra: string]: unknown;
}

export interface NetworkAccessContext {
  domain?: string;
  url?: string;
  port?: number;
  method?: string;
  resolved_ip?: string;
  [extra: string]: unknown;
}

export type PolicyContext = Record<string, unknown>;

/** Who asked, for the decision's log entry: lets an operator join it to the caller's request log line. */
export interface DecisionTrace {
  requestId?: string;
  /** The caller's principal id (never its key). */
  keyId?: string;
  /** The tenant the call acts in. */
  tenant?: string;
}

/** One structured decision-log entry (what the service logs for every decision). */

export interface PolicyDecisionLogEntry {
  event: 'policy.decision';
  decision_id: string;
  /** The caller's request id (DecisionTrace.requestId), when it gave one. */
  request_id?: string;
  /** DecisionTrace.keyId and tenant, when given. */
  key_id?: string;
  tenant?: string;
  action: string;
  decision: DecisionOutcome;
  risk: RiskLevel;
  rule_ids: string[];
  matched_rules: MatchedRule[];
  policy_version: string;
  reason: string;
  /** The action's context as requested, with secret-looking values masked. */
  action_context: Record<string, unknown>;
  duration_us: number;
  timestamp: string;
}
