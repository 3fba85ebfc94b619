export { sandboxProviderContract, sandboxCodeOf } from './sandbox-provider.contract';
export type { SandboxProviderHarness } from './sandbox-provider.contract';
export { InMemorySandboxProvider, type ScriptedRun } from './in-memory-sandbox.provider';
