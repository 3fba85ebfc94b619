import { PolicyDeniedError, SandboxUnavailableError } from './client.errors';
import { RedactionClient } from './redaction.client';
import { E2BSandbox, SandboxClient } from './sandbox.client';

/** Wire mapping of the sandbox facade and the redaction client, against a scripted fetch. */
function recordingFetch(reply: (request: Request) => Response) {
  const requests: { method: string; url: string; body: unknown }[] = [];
  const fetch = async (request: Request) => {
    const text = await request.clone().text();
    requests.push({ method: request.method, url: request.url, body: text ? JSON.parse(text) : undefined });
    return reply(request);
  };
  return { fetch, requests };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const problem = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  new Response(
    JSON.stringify({
      type: 't',
      title: code,
      status,
      detail: `${code}!`,
      instance: '/i',
      code,
      request_id: 'r',
      ...extra,
    }),
    {
      status,
      headers: { 'content-type': 'application/problem+json' },
    },
  );

const EXECUTED = {
  exit_code: 0,
  stdout: 'ok\n',
  stderr: '',
  timed_out: false,
  duration_ms: 12,
  truncated: false,
  decision_id: 'd-0',
};

describe('SandboxClient', () => {
  it('runs the E2BSandbox lifecycle with snake_case on the wire and camelCase for the caller', async () => {
    const { fetch, requests } = recordingFetch((request) => {
      if (request.url.endsWith('/sessions'))
        return json(
          {
            session_id: 's-1',
            provider: 'local',
            template: 'base',
            expires_at: '2030-01-01T00:00:00Z',
            run_id: 'run-1',
            allowed_domains: ['registry.npmjs.org'],
          },
          201,
        );
      if (request.url.endsWith('/files')) return json({ session_id: 's-1', written: ['test.js', 'data.bin'] });
      if (request.url.endsWith('/execute')) return json(EXECUTED);
      return new Response(null, { status: 204 });
    });
    const sandbox = new E2BSandbox('http://api.test', { fetch });
    const session = await sandbox.create('base', { runId: 'run-1', allowedDomains: ['registry.npmjs.org'] });
    expect(session).toEqual({
      sessionId: 's-1',
      provider: 'local',
      template: 'base',
      expiresAt: '2030-01-01T00:00:00Z',
      runId: 'run-1',
      allowedDomains: ['registry.npmjs.org'],
    });
    const written = await sandbox.uploadFiles(session, [
      { path: 'test.js', content: 'console.log(1)' },
      { path: 'data.bin', content: new Uint8Array([0, 255]) },
    ]);
    expect(written).toEqual(['test.js', 'data.bin']);
    const result = await sandbox.execute(session, 'node /workspace/test.js', 30_000);
    await sandbox.destroy(session);

    expect(result).toEqual({
      exitCode: 0,
      stdout: 'ok\n',
      stderr: '',
      timedOut: false,
      durationMs: 12,
      truncated: false,
      decisionId: 'd-0',
    });
    expect(requests).toEqual([
      {
        method: 'POST',
        url: 'http://api.test/api/v1/safety/sandbox/sessions',
        body: { template: 'base', allowed_domains: ['registry.npmjs.org'], run_id: 'run-1' },
      },
      {
        method: 'POST',
        url: 'http://api.test/api/v1/safety/sandbox/sessions/s-1/files',
        body: {
          files: [
            { path: 'test.js', content: 'console.log(1)' },
            { path: 'data.bin', content: 'AP8=', encoding: 'base64' },
          ],
        },
      },
      {
        method: 'POST',
        url: 'http://api.test/api/v1/safety/sandbox/sessions/s-1/execute',
        body: { command: 'node /workspace/test.js', timeout_ms: 30000 },
      },
      { method: 'DELETE', url: 'http://api.test/api/v1/safety/sandbox/sessions/s-1', body: undefined },
    ]);
  });

  it('destroying a session that is already gone is not an error; other failures are', async () => {
    const gone = recordingFetch(() => problem(404, 'SANDBOX_SESSION_NOT_FOUND'));
    await expect(new SandboxClient('http://api.test', { fetch: gone.fetch }).destroy('s-1')).resolves.toBeUndefined();
    const down = recordingFetch(() => problem(503, 'SANDBOX_UNAVAILABLE'));
    await expect(
      new SandboxClient('http://api.test', { fetch: down.fetch, retry: { retries: 0 } }).destroy('s-1'),
    ).rejects.toBeInstanceOf(SandboxUnavailableError);
  });

  it('safeExecuteCode maps the result, and a refused command is PolicyDeniedError with the decision', async () => {
    const ok = recordingFetch(() =>
      json({ ...EXECUTED, cost: 0.000014, budget_remaining: 0.999986, decision_id: 'd-1' }),
    );
    const result = await new SandboxClient('http://api.test', { fetch: ok.fetch }).safeExecuteCode({
      runId: 'run-1',
      command: 'echo ok',
      timeout: 5000,
      allowedDomains: [],
    });
    expect(result).toMatchObject({
      exitCode: 0,
      stdout: 'ok\n',
      cost: 0.000014,
      budgetRemaining: 0.999986,
      decisionId: 'd-1',
    });
    expect(ok.requests[0].body).toEqual({ run_id: 'run-1', command: 'echo ok', timeout_ms: 5000, allowed_domains: [] });

    const decision = { allowed: false, decision: 'deny', reason: 'destructive', rule_ids: ['fs.rm-root'] };
    const refused = recordingFetch(() => problem(403, 'POLICY_DENIED', { decision }));
    const error = await new SandboxClient('http://api.test', { fetch: refused.fetch })
      .safeExecuteCode({ runId: 'run-1', command: 'rm -rf /' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyDeniedError);
    expect((error as PolicyDeniedError).decision).toEqual(decision);
    expect(refused.requests).toHaveLength(1);
  });
});

describe('RedactionClient', () => {
  it('sends env_vars and secrets, and returns the redacted text', async () => {
    const { fetch, requests } = recordingFetch(() =>
      json({
        redacted: 'API key: [REDACTED:OPENAI_API_KEY]',
        findings: [{ pattern: 'OPENAI_API_KEY', start: 9, end: 28 }],
        count: 1,
      }),
    );
    const redactor = new RedactionClient('http://api.test', { fetch });
    await expect(
      redactor.redactText('API key: sk-1234567890abcdef', { envVars: ['DATABASE_URL'], secrets: ['hunter2'] }),
    ).resolves.toBe('API key: [REDACTED:OPENAI_API_KEY]');
    expect(requests[0]).toEqual({
      method: 'POST',
      url: 'http://api.test/api/v1/safety/redact',
      body: { text: 'API key: sk-1234567890abcdef', env_vars: ['DATABASE_URL'], secrets: ['hunter2'] },
    });
  });
});
