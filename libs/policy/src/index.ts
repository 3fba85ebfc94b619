export { PolicyModule, type PolicyModuleAsyncOptions } from './policy.module';
export { PolicyGate } from './policy-gate.service';
export {
  ActionType,
  ACTION_TYPES,
  DECISION_OUTCOMES,
  RISK_LEVELS,
  type DecisionOutcome,
  type RiskLevel,
  type PolicyDecision,
  type PolicyContext,
  type PolicyDecisionLogEntry,
  type DecisionTrace,
  type ExecuteCodeContext,
  type DeployContext,
  type CreateBillingContext,
  type DeleteFilesContext,
  type NetworkAccessContext,
} from './policy.types';
export { POLICY_ERROR_CODES, PolicyError, type PolicyErrorCode } from './policy.errors';
export type { PolicyOptions, NetworkPolicyOptions, BillingPolicyOptions, ResolvedPolicy } from './policy-options.types';
export {
  DEFAULT_NETWORK_ALLOWLIST,
  DEFAULT_PRODUCTION_ENVIRONMENTS,
  DEFAULT_PROTECTED_BRANCHES,
  resolvePolicyOptions,
} from './policy-defaults';
export { loadPolicyFile, parsePolicyDocument, validatePolicyOptions } from './policy-file.loader';
export { CONTEXT_FIELDS, REQUIRED_FIELDS } from './engine/context-validation';
export { POLICY_OPTIONS, POLICY_TEXT_REDACTOR, type TextRedactor } from './policy.tokens';
