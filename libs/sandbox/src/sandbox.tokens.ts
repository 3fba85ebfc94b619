/** Resolved SandboxSettings (numbers with defaults applied). */
export const SANDBOX_SETTINGS = Symbol('SANDBOX_SETTINGS');
