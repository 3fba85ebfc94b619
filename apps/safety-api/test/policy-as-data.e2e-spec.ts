import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import request from 'supertest';
import { requireTestRedisUrl } from '../../../test/support/redis';
import { MetricsService } from '../src/metrics/metrics.service';
import { PolicyFiles } from '../src/policy/policy-files';
import { createTestAppWithLogs } from './support/create-test-app';
import { principalsFor, type TestPrincipal, writeKeysFile } from './support/principals';

/** Policy files per tenant, on the whole app: what is in force, live reload, and trying a change first. */
const PRINCIPALS = principalsFor('policy-data', ['pd-acme', 'pd-globex']);
const who = (id: string): TestPrincipal => PRINCIPALS.find((p) => p.id === id)!;
const ACME_AGENT = who('pd-acme-agent');
const ACME_OPERATOR = who('pd-acme-operator');
const GLOBEX_AGENT = who('pd-globex-agent');

const GLOBAL_POLICY = [
  'version: 1',
  'rules:',
  '  - id: no-kubectl-delete-ns',
  '    action: execute_code',
  '    match: { program: kubectl, args: [delete, "ns*"] }',
  '    decision: deny',
  '    reason: Namespaces are managed by the platform team.',
  '',
].join('\n');

const ACME_BEFORE = 'version: 1\nrules: []\n';
const ACME_AFTER = [
  'version: 1',
  '# make deploy goes through CI',
  'rules:',
  '  - id: no-make-deploy',
  '    action: execute_code',
  '    match: { command: "make deploy*" }',
  '    decision: deny',
  '    reason: Deploys go through CI.',
  '',
].join('\n');

describe('policy as data (whole app)', () => {
  let app: NestFastifyApplication;
  let logs: string[];
  let keysFile: string;
  let policyDir: string;
  const http = () => request(app.getHttpServer());
  const api = (path: string) => `/api/v1/safety${path}`;
  const check = (principal: TestPrincipal, command: string) =>
    http()
      .post(api('/check'))
      .set('x-api-key', principal.key)
      .send({ action: 'execute_code', context: { command, cwd: '/workspace/app' } });

  /** Replaces a file the way Kubernetes and editors do: write aside, rename over. */
  function replaceFile(path: string, text: string): void {
    const aside = `${path}.${process.hrtime.bigint()}.tmp`;
    writeFileSync(aside, text);
    renameSync(aside, path);
  }

  async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, ms: number): Promise<T> {
    const deadline = Date.now() + ms;
    let value = await probe();
    while (!done(value) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      value = await probe();
    }
    return value;
  }

  const reloadErrors = async () =>
    (await app.get(MetricsService).policyReloads.get()).values.find((v) => v.labels.outcome === 'error')?.value ?? 0;

  beforeAll(async () => {
    keysFile = writeKeysFile(PRINCIPALS);
    policyDir = mkdtempSync(join(tmpdir(), 'policy-dir-'));
    mkdirTenants();
    ({ app, logs } = await createTestAppWithLogs({
      REDIS_URL: requireTestRedisUrl(),
      SAFETY_API_KEYS_FILE: keysFile,
      POLICY_FILE: join(policyDir, 'global', 'policy.yaml'),
      POLICY_DIR: join(policyDir, 'tenants'),
    }));
  });
  function mkdirTenants(): void {
    mkdirSync(join(policyDir, 'global'));
    mkdirSync(join(policyDir, 'tenants'));
    writeFileSync(join(policyDir, 'global', 'policy.yaml'), GLOBAL_POLICY);
    writeFileSync(join(policyDir, 'tenants', 'pd-acme.yaml'), ACME_BEFORE);
  }
  afterAll(async () => {
    await app.close();
    rmSync(dirname(keysFile), { recursive: true, force: true });
    rmSync(policyDir, { recursive: true, force: true });
  });

  it('GET /policy shows an operator its tenant policy and version; an agent may not', async () => {
    const res = await http().get(api('/policy')).set('x-api-key', ACME_OPERATOR.key).expect(200);
    expect(res.body).toMatchObject({
      tenant: 'pd-acme',
      version: expect.stringMatching(/^[0-9a-f]{16}$/),
      rules: [expect.objectContaining({ id: 'no-kubectl-delete-ns', source: { file: 'policy.yaml', line: 3 } })],
      sources: [
        { source: 'policy.yaml', digest: expect.any(String) },
        { source: 'pd-acme.yaml', digest: expect.any(String) },
      ],
    });
    expect(res.body.settings.network.allowlist).toContain('registry.npmjs.org');
    const decision = await check(ACME_AGENT, 'kubectl delete ns payments').expect(200);
    expect(decision.body.policy_version).toBe(res.body.version);
    const logLine = logs
      .map((l) => JSON.parse(l))
      .find((l) => l.event === 'policy.decision' && l.decision_id === decision.body.decision_id);
    expect(logLine).toMatchObject({ policy_version: res.body.version, rule_ids: decision.body.rule_ids });
    expect(decision.body.matched_rules).toContainEqual({
      id: 'no-kubectl-delete-ns',
      source: 'user',
      file: 'policy.yaml',
      line: 3,
    });
    await http().get(api('/policy')).set('x-api-key', ACME_AGENT.key).expect(403);
  });

  it("a tenant's file changes on disk: within 2 s its decisions change, another tenant's do not, no request fails", async () => {
    expect((await check(ACME_AGENT, 'make deploy').expect(200)).body.decision).toBe('allow');
    const globexBefore = (await check(GLOBEX_AGENT, 'make deploy').expect(200)).body;
    let stop = false;
    const statuses: number[] = [];
    const load = (async () => {
      while (!stop) {
        const batch = await Promise.all(
          Array.from({ length: 8 }, (_, i) => check(i % 2 ? ACME_AGENT : GLOBEX_AGENT, `make deploy-${i}`)),
        );
        statuses.push(...batch.map((r) => r.status));
      }
    })();
    const changedAt = Date.now();
    replaceFile(join(policyDir, 'tenants', 'pd-acme.yaml'), ACME_AFTER);
    const after = await until(
      async () => (await check(ACME_AGENT, 'make deploy')).body,
      (body) => body.decision === 'deny',
      2000,
    );
    const elapsed = Date.now() - changedAt;
    stop = true;
    await load;
    expect(after).toMatchObject({
      decision: 'deny',
      rule_ids: ['no-make-deploy'],
      matched_rules: [{ id: 'no-make-deploy', source: 'user', file: 'pd-acme.yaml', line: 4 }],
    });
    expect(elapsed).toBeLessThan(2000);
    const globexAfter = (await check(GLOBEX_AGENT, 'make deploy').expect(200)).body;
    expect(globexAfter.decision).toBe('allow');
    expect(globexAfter.policy_version).toBe(globexBefore.policy_version);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });

  it('a bad file keeps the policy in force, logs the error with its line and counts it', async () => {
    const before = await reloadErrors();
    const version = (await check(ACME_AGENT, 'make deploy').expect(200)).body.policy_version;
    replaceFile(
      join(policyDir, 'tenants', 'pd-acme.yaml'),
      'rules:\n  - id: broken\n    action: execute_code\n    match: { program: [] }\n    decision: deny\n    reason: r\n',
    );
    const counted = await until(reloadErrors, (n) => n > before, 2000);
    expect(counted).toBe(before + 1);
    const line = logs.map((l) => JSON.parse(l)).find((l) => /Policy file rejected/.test(l.msg ?? ''));
    expect(line).toMatchObject({ file: 'pd-acme.yaml', line: 4 });
    expect(line.error).toMatch(/line 4: key "rules\[0\]\.match\.program"/);
    const still = (await check(ACME_AGENT, 'make deploy').expect(200)).body;
    expect(still).toMatchObject({ decision: 'deny', policy_version: version });
    // Fixed on disk and re-read at once (what SIGHUP does): in force again, counted as ok.
    writeFileSync(join(policyDir, 'tenants', 'pd-acme.yaml'), ACME_BEFORE);
    expect(app.get(PolicyFiles).reload('SIGHUP')).toBe(true);
    expect((await check(ACME_AGENT, 'make deploy').expect(200)).body.decision).toBe('allow');
  });

  describe('POST /policy/test', () => {
    const cases = [
      { action: 'execute_code', context: { command: 'make deploy' }, expect: 'deny' },
      { action: 'execute_code', context: { command: 'make build' }, expect: { decision: 'allow' } },
      {
        action: 'execute_code',
        context: { command: 'kubectl delete ns x' },
        expect: { decision: 'deny', rule_ids: ['no-kubectl-delete-ns'] },
      },
      { action: 'execute_code', context: { command: 'ls' }, expect: 'deny' },
      { action: 'fly', context: {}, expect: 'allow' },
    ];

    it('judges each case under the candidate on top of the global policy, without installing it', async () => {
      const res = await http()
        .post(api('/policy/test'))
        .set('x-api-key', ACME_OPERATOR.key)
        .send({ policy: ACME_AFTER, cases })
        .expect(200);
      expect(res.body).toMatchObject({ passed: 3, failed: 2, version: expect.stringMatching(/^[0-9a-f]{16}$/) });
      expect(res.body.results.map((r: { pass: boolean }) => r.pass)).toEqual([true, true, true, false, false]);
      expect(res.body.results[0].matched_rules).toEqual([
        { id: 'no-make-deploy', source: 'user', file: 'candidate policy', line: 4 },
      ]);
      expect(res.body.results[4]).toMatchObject({ pass: false, error: 'POLICY_UNKNOWN_ACTION' });
      // Not installed.
      expect((await check(ACME_AGENT, 'make deploy').expect(200)).body.decision).toBe('allow');
    });

    it('answers 400 naming the pointer and line of a bad policy, and the pointer of a bad case', async () => {
      const bad = await http()
        .post(api('/policy/test'))
        .set('x-api-key', ACME_OPERATOR.key)
        .send({
          policy:
            'rules:\n  - id: x\n    action: deploy\n    match: { environment: qa }\n    decision: deny\n    reason: r\n',
          cases,
        })
        .expect(400);
      expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(bad.body).toMatchObject({
        code: 'POLICY_INVALID',
        errors: [
          { pointer: '/policy/rules/0/match/environment', line: 4, detail: expect.stringMatching(/not a known key/) },
        ],
      });
      const badCase = await http()
        .post(api('/policy/test'))
        .set('x-api-key', ACME_OPERATOR.key)
        .send({ policy: {}, cases: [{ action: 'execute_code', context: {}, expect: 'maybe' }] })
        .expect(400);
      expect(badCase.body).toMatchObject({ code: 'POLICY_TEST_INVALID', errors: [{ pointer: '/cases/0/expect' }] });
      await http().post(api('/policy/test')).set('x-api-key', ACME_AGENT.key).send({ policy: {}, cases }).expect(403);
    });
  });

  it('refuses to boot on an invalid tenant file, naming the file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-boot-'));
    writeFileSync(join(dir, 'pd-acme.yaml'), 'rules:\n  - id: x\n    action: nope\n');
    await expect(createTestAppWithLogs({ POLICY_DIR: dir })).rejects.toThrow(
      /pd-acme\.yaml: line 3: key "rules\[0\]\.action"/,
    );
    rmSync(dir, { recursive: true, force: true });
  });
});
