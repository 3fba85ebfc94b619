import { InvalidEnvironmentError, validateEnvironment } from './validate-environment';

function problemsOf(raw: Record<string, string>): string[] {
  try {
    validateEnvironment(raw);
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error.problems;
    throw error;
  }
  return [];
}

const PEM = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----';

describe('validateEnvironment', () => {
  it('applies documented defaults', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({ PORT: 8000, NODE_ENV: 'development', DEFAULT_RUN_BUDGET: 10, MAX_RUN_BUDGET: 100 });
  });

  it('converts numeric strings', () => {
    const env = validateEnvironment({ PORT: '9000', DEFAULT_RUN_BUDGET: '2.5', REDIS_DB: '3' });
    expect(env).toMatchObject({ PORT: 9000, DEFAULT_RUN_BUDGET: 2.5, REDIS_DB: 3 });
  });

  it('names every bad variable at once, never its value', () => {
    const secretish = 'hunter2-not-a-port';
    const error = (() => {
      try {
        validateEnvironment({ PORT: secretish, LOG_LEVEL: 'loud', MAX_RUN_BUDGET: '-1' });
      } catch (caught) {
        return caught as InvalidEnvironmentError;
      }
      throw new Error('expected a failure');
    })();
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    expect(error.message).toMatch(/PORT/);
    expect(error.message).toMatch(/LOG_LEVEL/);
    expect(error.message).toMatch(/MAX_RUN_BUDGET/);
    expect(error.message).not.toContain(secretish);
    expect(error.message).not.toContain('loud');
  });

  it('takes HEAP_GROWING_PERCENT as a whole percentage from 0 (V8 default) to 400, default 20', () => {
    expect(validateEnvironment({}).HEAP_GROWING_PERCENT).toBe(20);
    expect(validateEnvironment({ HEAP_GROWING_PERCENT: '0' }).HEAP_GROWING_PERCENT).toBe(0);
    expect(validateEnvironment({ HEAP_GROWING_PERCENT: '50' }).HEAP_GROWING_PERCENT).toBe(50);
    for (const bad of ['-1', '401', '12.5', 'lots']) {
      expect(problemsOf({ HEAP_GROWING_PERCENT: bad }).join('\n')).toMatch(/HEAP_GROWING_PERCENT/);
    }
  });

  it('refuses production without Redis or without API keys', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems.join('\n')).toMatch(/REDIS_URL or REDIS_HOST is required/);
    expect(problems.join('\n')).toMatch(/SAFETY_API_KEYS_FILE or SAFETY_API_KEYS is required/);
  });

  it('accepts production with a keys file instead of SAFETY_API_KEYS', () => {
    expect(
      problemsOf({
        NODE_ENV: 'production',
        REDIS_URL: 'redis://r:6379',
        SAFETY_API_KEYS_FILE: '/k.yaml',
        APPROVAL_SIGNING_KEY: PEM,
      }),
    ).toEqual([]);
  });

  it('refuses a tenant session cap above the replica cap and a hold maximum shorter than a sandbox hold', () => {
    expect(problemsOf({ SANDBOX_MAX_SESSIONS: '4', SANDBOX_MAX_SESSIONS_PER_TENANT: '5' })).toEqual([
      'SANDBOX_MAX_SESSIONS_PER_TENANT must not exceed SANDBOX_MAX_SESSIONS',
    ]);
    expect(problemsOf({ BUDGET_MAX_RESERVATION_TTL_SECONDS: '60' }).join('\n')).toMatch(
      /must cover SANDBOX_MAX_TIMEOUT_MS/,
    );
  });

  it('accepts production with Redis and keys', () => {
    expect(
      problemsOf({
        NODE_ENV: 'production',
        REDIS_URL: 'redis://r:6379',
        SAFETY_API_KEYS: 'k-123456',
        APPROVAL_SIGNING_KEY: PEM,
      }),
    ).toEqual([]);
  });

  it('refuses production without an approval signing key, and a webhook URL without its secret', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).join('\n')).toMatch(/APPROVAL_SIGNING_KEY is required/);
    expect(problemsOf({ APPROVAL_WEBHOOK_URL: 'https://hooks.example.com/a' })).toEqual([
      'APPROVAL_WEBHOOK_URL and APPROVAL_WEBHOOK_SECRET go together (webhooks are always signed)',
    ]);
  });

  it('refuses a default budget above the maximum', () => {
    expect(problemsOf({ DEFAULT_RUN_BUDGET: '200' })).toEqual(['DEFAULT_RUN_BUDGET must not exceed MAX_RUN_BUDGET']);
  });
});
