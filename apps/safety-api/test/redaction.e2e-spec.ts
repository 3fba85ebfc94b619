import { FakeSecrets } from '@app/redaction/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp, createTestAppWithLogs } from './support/create-test-app';

const fake = new FakeSecrets();

describe('redaction HTTP API', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({ REDACT_MAX_TEXT_BYTES: '4096' });
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = async (payload: unknown) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/safety/redact', payload: payload as object });
    return {
      status: res.statusCode,
      body: JSON.parse(res.body) as Record<string, unknown>,
      type: res.headers['content-type'],
    };
  };

  it('runs the product example', async () => {
    const res = await post({ text: 'API key: sk-1234567890abcdef' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      redacted: 'API key: [REDACTED:OPENAI_API_KEY]',
      findings: [{ pattern: 'OPENAI_API_KEY', start: 9, end: 28 }],
      count: 1,
    });
  });

  it('masks env var values and known secrets in their encoded forms, and never echoes a secret', async () => {
    const known = fake.password();
    const url = `postgres://app:${fake.alnum(16)}@db:5432/app`;
    const text = `DATABASE_URL=${url}\nretrying ${url}\ninjected ${Buffer.from(known).toString('base64')} and ${encodeURIComponent(known)}`;
    const res = await post({ text, env_vars: ['DATABASE_URL'], secrets: [known] });
    expect(res.status).toBe(200);
    const body = JSON.stringify(res.body);
    expect(body).not.toContain(url);
    expect(body).not.toContain(known);
    expect(res.body.redacted).toContain('DATABASE_URL=[REDACTED:DATABASE_URL]');
    for (const finding of res.body.findings as Array<Record<string, unknown>>)
      expect(Object.keys(finding).sort()).toEqual(['end', 'pattern', 'start']);
  });

  it('answers 413 problem+json above REDACT_MAX_TEXT_BYTES', async () => {
    const res = await post({ text: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(res.type).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'REDACTION_TEXT_TOO_LARGE', status: 413, max_text_bytes: 4096 });
  });

  it('validates the body: unknown fields and bad env var names are 400', async () => {
    expect((await post({ text: 'x', extra: 1 })).body.code).toBe('VALIDATION_FAILED');
    const bad = await post({ text: 'x', env_vars: ['NOT A NAME'] });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect((await post({})).status).toBe(400);
  });

  it('lists the patterns by name', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/safety/redact/patterns' });
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body) as {
      patterns: Array<{ name: string; description: string; custom: boolean }>;
      max_text_bytes: number;
    };
    expect(body.max_text_bytes).toBe(4096);
    const names = body.patterns.map((p) => p.name);
    for (const name of ['OPENAI_API_KEY', 'GITHUB_TOKEN', 'PRIVATE_KEY', 'URL_PASSWORD', 'PASSWORD'])
      expect(names).toContain(name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('service logs never carry a secret sent to it', () => {
  it('keeps a secret from the request body, the URL and error paths out of every log line', async () => {
    const { app, logs } = await createTestAppWithLogs({ LOG_LEVEL: 'trace' });
    try {
      const token = fake.githubClassic();
      const password = fake.password();
      await app.inject({
        method: 'POST',
        url: '/api/v1/safety/redact',
        payload: { text: `token ${token} password=${password}` },
      });
      await app.inject({
        method: 'POST',
        url: '/api/v1/safety/redact',
        payload: { text: token, [`password=${password}`]: token },
      });
      await app.inject({
        method: 'POST',
        url: '/api/v1/safety/redact',
        payload: `{"text": "${token}`,
        headers: { 'content-type': 'application/json' },
      });
      await app.inject({ method: 'GET', url: `/api/v1/safety/redact/${token}` });
      await app.close();
      expect(logs.length).toBeGreaterThan(0);
      const all = logs.join('\n');
      expect(all).not.toContain(token);
      expect(all).not.toContain(password);
    } finally {
      await app.close().catch(() => undefined);
    }
  });
});
