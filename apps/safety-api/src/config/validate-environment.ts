import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Environment, hasRedis } from './environment';

/**
 * Thrown when the environment is unusable. The message names every bad
 * variable and why, never its value (values may be secrets).
 */
export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment: ${problems.join('; ')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

/** Validates raw variables (process.env or test overrides) into an Environment. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  // Unknown variables (PATH, ...) are kept but not validated: only decorated fields are checked.
  const env = plainToInstance(Environment, { ...raw }, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false, forbidUnknownValues: false });
  const problems = errors.map(
    (error) => `${error.property} ${Object.keys(error.constraints ?? {}).join(', ') || 'is invalid'}`,
  );
  problems.push(...crossFieldProblems(env));
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return env;
}

function crossFieldProblems(env: Environment): string[] {
  const problems: string[] = [];
  if (env.DEFAULT_RUN_BUDGET > env.MAX_RUN_BUDGET) {
    problems.push('DEFAULT_RUN_BUDGET must not exceed MAX_RUN_BUDGET');
  }
  if (env.NODE_ENV === 'production' && !hasRedis(env)) {
    problems.push(
      'REDIS_URL or REDIS_HOST is required when NODE_ENV=production (the embedded store is single-instance)',
    );
  }
  if (env.NODE_ENV === 'production' && !env.SAFETY_API_KEYS && !env.SAFETY_API_KEYS_FILE) {
    problems.push('SAFETY_API_KEYS_FILE or SAFETY_API_KEYS is required when NODE_ENV=production');
  }
  if (env.NODE_ENV === 'production' && !env.APPROVAL_SIGNING_KEY) {
    problems.push(
      'APPROVAL_SIGNING_KEY is required when NODE_ENV=production (approval receipts must outlive a process)',
    );
  }
  if (Boolean(env.APPROVAL_WEBHOOK_URL) !== Boolean(env.APPROVAL_WEBHOOK_SECRET)) {
    problems.push('APPROVAL_WEBHOOK_URL and APPROVAL_WEBHOOK_SECRET go together (webhooks are always signed)');
  }
  if (env.SANDBOX_MAX_SESSIONS_PER_TENANT > env.SANDBOX_MAX_SESSIONS) {
    problems.push('SANDBOX_MAX_SESSIONS_PER_TENANT must not exceed SANDBOX_MAX_SESSIONS');
  }
  if (env.BUDGET_MAX_RESERVATION_TTL_SECONDS * 1000 < env.SANDBOX_MAX_TIMEOUT_MS + 120_000) {
    problems.push(
      'BUDGET_MAX_RESERVATION_TTL_SECONDS must cover SANDBOX_MAX_TIMEOUT_MS plus 120 s (a sandbox hold lasts that long)',
    );
  }
  if (env.METRICS_PORT !== undefined && env.METRICS_PORT === env.PORT && env.PORT !== 0) {
    problems.push('METRICS_PORT must differ from PORT');
  }
  const badDigest = (env.SAFETY_API_KEYS ?? '').split(',').some((entry) => {
    const trimmed = entry.trim();
    return trimmed.startsWith('sha256:') && !/^sha256:[0-9a-fA-F]{64}$/.test(trimmed);
  });
  if (badDigest) problems.push('SAFETY_API_KEYS has a sha256: entry that is not 64 hex characters');
  if (env.REDIS_URL && !/^rediss?:\/\//.test(env.REDIS_URL)) {
    problems.push('REDIS_URL must start with redis:// or rediss://');
  }
  return problems;
}
