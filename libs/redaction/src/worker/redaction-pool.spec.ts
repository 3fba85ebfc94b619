import { Redactor, RedactionError, RedactionPool } from '@app/redaction';
import { FakeSecrets } from '@app/redaction/testing';

describe('RedactionPool (worker threads)', () => {
  const fake = new FakeSecrets();
  let pool: RedactionPool;
  beforeAll(() => {
    pool = new RedactionPool({ threads: 2, redactor: { maxTextBytes: 64 * 1024 } });
  });
  afterAll(() => pool.destroy());

  it('answers exactly what the Redactor answers on the event loop', async () => {
    const redactor = new Redactor({ maxTextBytes: 64 * 1024 });
    const texts = [
      `deploy with token ${fake.githubClassic()} and DATABASE_URL=postgres://u:${fake.password()}@db/app`,
      'pass='.repeat(5000),
      `{"aws_secret_access_key": "${fake.awsSecret()}"} nothing else`,
    ];
    for (const text of texts) {
      const options = { envVars: ['DATABASE_URL'], secrets: ['known-secret-value'] };
      expect(await pool.redact(text, options)).toEqual(redactor.redactWithFindings(text, options));
    }
  });

  it("raises the Redactor's own errors, with their code and facts", async () => {
    const error = await pool.redact('x'.repeat(64 * 1024 + 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedactionError);
    expect(error).toMatchObject({ code: 'REDACTION_TEXT_TOO_LARGE', extensions: { max_text_bytes: 64 * 1024 } });
  });

  it('refuses with REDACTION_BUSY once its queue is full, and serves again after', async () => {
    const small = new RedactionPool({ threads: 1, maxQueue: 1 });
    try {
      const text = 'pass='.repeat(100_000);
      const calls = Array.from({ length: 6 }, () =>
        small.redact(text).then(
          () => 'ok',
          (e: RedactionError) => e.code,
        ),
      );
      const outcomes = await Promise.all(calls);
      expect(outcomes).toContain('REDACTION_BUSY');
      expect(outcomes).toContain('ok');
      expect((await small.redact('token ok')).count).toBe(0);
    } finally {
      await small.destroy();
    }
  });
});
