export { SandboxModule } from './sandbox.module';
export { SANDBOX_MODULE_OPTIONS, SANDBOX_OPTIONS_TYPE, SANDBOX_ASYNC_OPTIONS_TYPE } from './sandbox.module-definition';
export { E2B_DEFAULT_COST_PER_SECOND_USD, type SandboxModuleOptions } from './sandbox.options';
export { SandboxService } from './sandbox.service';
export type {
  SafeExecuteRequest,
  SafeExecuteResult,
  CreateSessionRequest,
  SessionExecuteRequest,
  SessionExecuteResult,
} from './sandbox.service';
export { SandboxError, SANDBOX_ERROR_CODES, type SandboxErrorCode } from './sandbox.errors';
export * from './sandbox.types';
export { SandboxProvider } from './ports/sandbox-provider.port';
export { SandboxPolicy, type SandboxPolicyDecision, type SandboxPolicyTrace } from './ports/sandbox-policy.port';
export { SandboxBudget } from './ports/sandbox-budget.port';
export { SandboxGrants, type SandboxGrantResult } from './ports/sandbox-grants.port';
export { SandboxRedactor } from './ports/sandbox-redactor.port';
export { LocalBwrapSandboxProvider, LOCAL_TEMPLATES } from './adapters/local/local-bwrap-sandbox.provider';
export type { LocalSandboxOptions } from './adapters/local/local-sandbox.options';
export { E2bSandboxProvider } from './adapters/e2b/e2b-sandbox.provider';
export type { E2bSandboxOptions } from './adapters/e2b/e2b-sandbox.options';
export { parseAllowedDomains, hostMatchesAllowlist } from './domain-allowlist';
