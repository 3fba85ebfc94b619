import { SandboxError } from './sandbox.errors';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const MAX_ENV_VARS = 64;
const MAX_ENV_BYTES = 64 * 1024;

/** A timeout is a positive whole number of milliseconds no larger than the provider allows. */
export function validateTimeout(timeoutMs: number, maxTimeoutMs: number): void {
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > maxTimeoutMs) {
    throw new SandboxError('SANDBOX_INVALID_ARGUMENT', `timeout_ms must be an integer from 1 to ${maxTimeoutMs}.`, {
      field: 'timeout_ms',
      maxTimeoutMs,
    });
  }
}

/** Caller-supplied variables: plain names, no NUL, bounded in count and size. */
export function validateCommandEnv(env: Record<string, string> | undefined): Record<string, string> {
  if (!env) return {};
  const entries = Object.entries(env);
  if (entries.length > MAX_ENV_VARS) {
    throw new SandboxError(
      'SANDBOX_INVALID_ARGUMENT',
      `env has ${entries.length} variables; at most ${MAX_ENV_VARS}.`,
      { field: 'env' },
    );
  }
  let bytes = 0;
  for (const [name, value] of entries) {
    if (!ENV_NAME.test(name))
      throw new SandboxError(
        'SANDBOX_INVALID_ARGUMENT',
        `env name ${JSON.stringify(name)} is not a valid variable name.`,
        { field: 'env' },
      );
    if (typeof value !== 'string' || value.includes('\0')) {
      throw new SandboxError('SANDBOX_INVALID_ARGUMENT', `env ${name} must be a string without NUL bytes.`, {
        field: 'env',
      });
    }
    bytes += name.length + value.length;
  }
  if (bytes > MAX_ENV_BYTES)
    throw new SandboxError('SANDBOX_INVALID_ARGUMENT', `env is larger than ${MAX_ENV_BYTES} bytes.`, { field: 'env' });
  return { ...env };
}

/** Variable names whose values are credentials whatever they look like (`GITHUB_TOKEN`, `DB_PASSWORD`, `STRIPE_KEY`). */
const SECRET_ENV_NAME =
  /SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|PRIVATE|CREDENTIAL|AUTH|COOKIE|SESSION|API_?KEY|ACCESS_?KEY|(?:^|_)KEY(?:$|_)|DSN/i;

/**
 * The values a caller handed the command as credentials: masked in its output
 * wherever they appear, even where no pattern would recognise them. Other
 * variables (`NODE_ENV=test`) are left alone: masking them everywhere would
 * destroy the output.
 */
export function secretEnvValues(env: Record<string, string> | undefined): string[] {
  return Object.entries(env ?? {})
    .filter(([name, value]) => SECRET_ENV_NAME.test(name) && typeof value === 'string' && value !== '')
    .map(([, value]) => value);
}
