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
export type {
  PolicyOptions,
  NetworkPolicyOptions,
  BillingPolicyOptions,
  ResolvedPolicy,
  UserRuleSpec,
  UserRuleMatch,
} from './policy-options.types';
export {
  DEFAULT_DOCUMENTATION_HOSTS,
  DEFAULT_NETWORK_ALLOWLIST,
  DEFAULT_PRODUCTION_ENVIRONMENTS,
  DEFAULT_PROTECTED_BRANCHES,
  resolvePolicyOptions,
} from './policy-defaults';
export {
  loadPolicyFile,
  loadPolicyLayer,
  optionsLayer,
  parsePolicyDocument,
  parsePolicyLayer,
  validatePolicyOptions,
  type PolicyFileProblem,
  type PolicyLayer,
} from './policy-file/policy-file.loader';
export { POLICY_SCHEMA, BUILTIN_RULE_FAMILIES } from './policy-file/policy-schema';
export { candidatePolicyLayer, parsePolicyTestCases, MAX_POLICY_TEST_CASES } from './policy-file/policy-test-input';
export { SWITCHABLE_BUILTIN_RULES } from './engine/rules/switchable-rules';
export { NEVER_RELAXED } from './engine/user-rules/apply-user-rules';
export type { MatchedRule } from './engine/finding';
export type {
  EffectivePolicy,
  PolicyInstallResult,
  PolicySources,
  PolicyTestCase,
  PolicyTestCaseResult,
  PolicyTestResult,
} from './policy-admin.types';
export { CONTEXT_FIELDS, CONTEXT_LIMITS, REQUIRED_FIELDS } from './engine/context-validation';
export {
  POLICY_DECISION_LOG_ENABLED,
  POLICY_OPTIONS,
  POLICY_TEXT_REDACTOR,
  type DecisionLogEnabled,
  type TextRedactor,
} from './policy.tokens';
