import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { requireTestRedisUrl } from '../../../test/support/redis';
import { createTestApp } from './support/create-test-app';
import { principalsFor, type TestPrincipal, writeKeysFile } from './support/principals';

/**
 * Every route × every role × same or other tenant, against the real app on the real Redis and the
 * bubblewrap sandbox. Tenant `acme` owns the resources; callers come from `acme` (same tenant),
 * `globex` (other tenant), with no key and with a wrong key. Another tenant's resource must answer
 * exactly like one that does not exist (same status, code and detail), and no response to another
 * tenant may carry acme's data.
 */
const PRINCIPALS = principalsFor('matrix', ['acme', 'globex']);
const principal = (id: string) => PRINCIPALS.find((p) => p.id === id)!;
const ACME_ADMIN = principal('acme-admin');
/** A limit no other value in these tests has: it must never reach a globex caller. */
const ACME_LIMIT = 42.4242;

type Caller = TestPrincipal | 'no key' | 'wrong key';
type Access = 'public' | 'agent' | 'operator' | 'admin';

interface Route {
  name: string;
  access: Access;
  /** Sends the request as `caller`; `target` is the acme resource (a run, reservation or session id). */
  send: (caller: Caller, target: string) => request.Test;
  /** Makes a fresh acme resource for one call (calls may consume it). */
  target: () => Promise<string>;
  /** An id of the same kind that does not exist in the caller's tenant, for the "exactly as if it did not exist" comparison. */
  missing?: () => string;
  ok: number;
  /** Status for a caller of another tenant whose role suffices. */
  otherTenant: number;
  /** Same-tenant status when it depends on who calls (an approval's requester), else `ok`. */
  sameTenant?: (caller: TestPrincipal) => number;
}

describe('tenant isolation matrix (route × role × tenant, real Redis, bubblewrap)', () => {
  const workspaceDir = join(tmpdir(), `matrix-${process.pid}`);
  let app: NestFastifyApplication;
  let keysFile: string;

  const http = () => request(app.getHttpServer());
  const as = (test: request.Test, caller: Caller) =>
    caller === 'no key' ? test : test.set('x-api-key', caller === 'wrong key' ? 'not-a-configured-key' : caller.key);
  const api = (path: string) => `/api/v1/safety${path}`;

  async function acmeRun(): Promise<string> {
    const runId = `acme-${randomUUID()}`;
    await as(http().post(api('/budget/create')), ACME_ADMIN)
      .send({ run_id: runId, limit: ACME_LIMIT })
      .expect(201);
    return runId;
  }
  async function acmeReservation(): Promise<string> {
    const res = await as(http().post(api('/budget/reserve')), ACME_ADMIN)
      .send({ run_id: await acmeRun(), amount: 0.5 })
      .expect(201);
    return res.body.reservation_id as string;
  }
  async function acmeAuditedRun(): Promise<string> {
    const runId = await acmeRun();
    await as(http().post(api('/budget/spend')), ACME_ADMIN)
      .send({ run_id: runId, amount: 0.25 })
      .expect(200);
    return runId;
  }
  async function acmeSession(): Promise<string> {
    const res = await as(http().post(api('/sandbox/sessions')), ACME_ADMIN)
      .send({ run_id: await acmeRun() })
      .expect(201);
    return res.body.session_id as string;
  }
  /** A pending approval asked by acme's agent, for a production deploy no other test asks for. */
  async function acmeApproval(): Promise<string> {
    const res = await as(http().post(api('/approvals')), principal('acme-agent'))
      .send({ action: 'deploy', context: { environment: 'production', service: `svc-${randomUUID()}` } })
      .expect(201);
    return res.body.approval_id as string;
  }
  const missingApproval = () => `apr_${randomUUID().replace(/-/g, '')}`;
  const sharedRun = () => Promise.resolve(sharedRunId);
  let sharedRunId: string;
  /** Fresh each time: a failed call is still audited in the caller's own tenant, so a reused id would gain a trail. */
  const missingRun = () => `missing-${randomUUID()}`;
  /** A reservation id of a run that exists in globex, with a hold that was never made. */
  const missingReservation = () => `rsv.${Buffer.from(`globex/${globexRunId}`).toString('base64url')}.AAAAAAAAAAAAAAAA`;
  let globexRunId: string;
  const noTarget = () => Promise.resolve('');

  const ROUTES: Route[] = [
    {
      name: 'GET /health/live',
      access: 'public',
      send: (c) => as(http().get('/health/live'), c),
      target: noTarget,
      ok: 200,
      otherTenant: 200,
    },
    {
      name: 'GET /health/ready',
      access: 'public',
      send: (c) => as(http().get('/health/ready'), c),
      target: noTarget,
      ok: 200,
      otherTenant: 200,
    },
    {
      name: 'GET /metrics',
      access: 'public',
      send: (c) => as(http().get('/metrics'), c),
      target: noTarget,
      ok: 200,
      otherTenant: 200,
    },
    {
      name: 'GET /whoami',
      access: 'agent',
      send: (c) => as(http().get(api('/whoami')), c),
      target: noTarget,
      ok: 200,
      otherTenant: 200,
    },
    {
      name: 'GET /policy',
      access: 'operator',
      send: (c) => as(http().get(api('/policy')), c),
      target: noTarget,
      ok: 200,
      otherTenant: 200,
    },
    {
      name: 'POST /policy/test',
      access: 'operator',
      send: (c) =>
        as(http().post(api('/policy/test')), c).send({
          policy: {},
          cases: [{ action: 'execute_code', context: { command: 'ls' }, expect: 'allow' }],
        }),
      target: noTarget,
      ok: 200,
      otherTenant: 200,
    },
    {
      name: 'POST /check',
      access: 'agent',
      send: (c, run) =>
        as(http().post(api('/check')), c).send({
          action: 'network_access',
          context: { domain: 'example.com', run_id: run },
        }),
      target: sharedRun,
      ok: 200,
      otherTenant: 200,
    },
    {
      name: 'POST /redact',
      access: 'agent',
      send: (c) => as(http().post(api('/redact')), c).send({ text: 'token ghp_' + 'a'.repeat(36) }),
      target: noTarget,
      ok: 200,
      otherTenant: 200,
    },
    {
      name: 'GET /redact/patterns',
      access: 'agent',
      send: (c) => as(http().get(api('/redact/patterns')), c),
      target: noTarget,
      ok: 200,
      otherTenant: 200,
    },
    {
      name: 'POST /budget/create',
      access: 'agent',
      // The same run id in another tenant is another run: creating it there succeeds.
      send: (c, run) => as(http().post(api('/budget/create')), c).send({ run_id: run, limit: 1 }),
      target: () => Promise.resolve(`new-${randomUUID()}`),
      ok: 201,
      otherTenant: 201,
    },
    {
      name: 'POST /budget/spend',
      access: 'agent',
      send: (c, run) => as(http().post(api('/budget/spend')), c).send({ run_id: run, amount: 0.01 }),
      target: sharedRun,
      missing: missingRun,
      ok: 200,
      otherTenant: 404,
    },
    {
      name: 'POST /budget/can-spend',
      access: 'agent',
      send: (c, run) => as(http().post(api('/budget/can-spend')), c).send({ run_id: run, amount: 0.01 }),
      target: sharedRun,
      missing: missingRun,
      ok: 200,
      otherTenant: 404,
    },
    {
      name: 'POST /budget/reserve',
      access: 'agent',
      send: (c, run) => as(http().post(api('/budget/reserve')), c).send({ run_id: run, amount: 0.01, ttl_seconds: 5 }),
      target: sharedRun,
      missing: missingRun,
      ok: 201,
      otherTenant: 404,
    },
    {
      name: 'POST /budget/reservations/:id/commit',
      access: 'agent',
      send: (c, id) => as(http().post(api(`/budget/reservations/${id}/commit`)), c).send({ amount: 0.1 }),
      target: acmeReservation,
      missing: missingReservation,
      ok: 200,
      otherTenant: 404,
    },
    {
      name: 'POST /budget/reservations/:id/release',
      access: 'agent',
      send: (c, id) => as(http().post(api(`/budget/reservations/${id}/release`)), c),
      target: acmeReservation,
      missing: missingReservation,
      ok: 200,
      otherTenant: 404,
    },
    {
      name: 'GET /budget/:run_id',
      access: 'agent',
      send: (c, run) => as(http().get(api(`/budget/${run}`)), c),
      target: sharedRun,
      missing: missingRun,
      ok: 200,
      otherTenant: 404,
    },
    {
      name: 'GET /budget/:run_id/events',
      access: 'agent',
      send: (c, run) => as(http().get(api(`/budget/${run}/events`)), c),
      target: sharedRun,
      missing: missingRun,
      ok: 200,
      otherTenant: 404,
    },
    {
      name: 'GET /audit/:run_id',
      access: 'operator',
      send: (c, run) => as(http().get(api(`/audit/${run}`)), c),
      target: acmeAuditedRun,
      missing: missingRun,
      ok: 200,
      otherTenant: 404,
    },
    {
      name: 'POST /sandbox/execute',
      access: 'agent',
      send: (c, run) =>
        as(http().post(api('/sandbox/execute')), c).send({ run_id: run, command: 'true', timeout_ms: 5000 }),
      target: sharedRun,
      missing: missingRun,
      ok: 200,
      otherTenant: 404,
    },
    {
      name: 'POST /sandbox/sessions',
      access: 'agent',
      // A session belongs to the caller's tenant's run of that id, which must have a budget.
      send: (c, run) => as(http().post(api('/sandbox/sessions')), c).send({ run_id: run }),
      target: sharedRun,
      missing: missingRun,
      ok: 201,
      otherTenant: 404,
    },
    {
      name: 'GET /sandbox/sessions/:session_id',
      access: 'agent',
      send: (c, id) => as(http().get(api(`/sandbox/sessions/${id}`)), c),
      target: acmeSession,
      missing: () => 'lsb_000000000000000000000000',
      ok: 200,
      otherTenant: 404,
    },
    {
      name: 'POST /sandbox/sessions/:session_id/files',
      access: 'agent',
      send: (c, id) =>
        as(http().post(api(`/sandbox/sessions/${id}/files`)), c).send({ files: [{ path: 'a.txt', content: 'x' }] }),
      target: acmeSession,
      missing: () => 'lsb_000000000000000000000000',
      ok: 200,
      otherTenant: 404,
    },
    {
      name: 'POST /sandbox/sessions/:session_id/execute',
      access: 'agent',
      send: (c, id) => as(http().post(api(`/sandbox/sessions/${id}/execute`)), c).send({ command: 'true' }),
      target: acmeSession,
      missing: () => 'lsb_000000000000000000000000',
      ok: 200,
      otherTenant: 404,
    },
    {
      name: 'POST /approvals',
      access: 'agent',
      send: (c) =>
        as(http().post(api('/approvals')), c).send({
          action: 'deploy',
          context: { environment: 'production', service: `svc-${randomUUID()}` },
        }),
      target: noTarget,
      ok: 201,
      otherTenant: 201,
    },
    {
      name: 'GET /approvals',
      access: 'agent',
      send: (c) => as(http().get(api('/approvals')), c),
      target: noTarget,
      ok: 200,
      otherTenant: 200,
    },
    {
      name: 'GET /approvals/:id',
      access: 'agent',
      send: (c, id) => as(http().get(api(`/approvals/${id}`)), c),
      target: acmeApproval,
      missing: missingApproval,
      ok: 200,
      otherTenant: 404,
    },
    {
      name: 'POST /approvals/:id/decision',
      access: 'operator',
      send: (c, id) => as(http().post(api(`/approvals/${id}/decision`)), c).send({ decision: 'approve' }),
      target: acmeApproval,
      missing: missingApproval,
      ok: 200,
      otherTenant: 404,
    },
    {
      name: 'POST /approvals/:id/cancel',
      access: 'agent',
      send: (c, id) => as(http().post(api(`/approvals/${id}/cancel`)), c),
      target: acmeApproval,
      missing: missingApproval,
      ok: 200,
      otherTenant: 404,
      // Only the requester may cancel.
      sameTenant: (c) => (c.id === 'acme-agent' ? 200 : 403),
    },
    {
      name: 'GET /approvals/changes',
      access: 'agent',
      send: (c) => as(http().get(api('/approvals/changes?wait=0')), c),
      target: noTarget,
      ok: 200,
      otherTenant: 200,
    },
    {
      name: 'GET /runs',
      access: 'operator',
      // Lists the caller's tenant's runs: acme's budgets (and their limit) never reach globex.
      send: (c) => as(http().get(api('/runs?limit=100')), c),
      target: noTarget,
      ok: 200,
      otherTenant: 200,
    },
    {
      name: 'GET /.well-known/jwks.json',
      access: 'public',
      send: (c) => as(http().get('/.well-known/jwks.json'), c),
      target: noTarget,
      ok: 200,
      otherTenant: 200,
    },
    {
      name: 'DELETE /sandbox/sessions/:session_id',
      access: 'agent',
      send: (c, id) => as(http().delete(api(`/sandbox/sessions/${id}`)), c),
      target: acmeSession,
      missing: () => 'lsb_000000000000000000000000',
      ok: 204,
      otherTenant: 404,
    },
  ];

  const RANK: Record<Access, number> = { public: -1, agent: 0, operator: 1, admin: 2 };
  const CALLERS: Caller[] = [...PRINCIPALS, 'no key', 'wrong key'];

  function expectedStatus(route: Route, caller: Caller): number {
    if (route.access === 'public') return route.ok;
    if (typeof caller === 'string') return 401;
    if (RANK[caller.role] < RANK[route.access]) return 403;
    if (caller.tenant !== 'acme') return route.otherTenant;
    return route.sameTenant?.(caller) ?? route.ok;
  }

  beforeAll(async () => {
    keysFile = writeKeysFile(PRINCIPALS);
    app = await createTestApp({
      REDIS_URL: requireTestRedisUrl(),
      SAFETY_API_KEYS_FILE: keysFile,
      SANDBOX_PROVIDER: 'local',
      SANDBOX_WORKSPACE_DIR: workspaceDir,
      SANDBOX_HOST_UID: '10017',
      SANDBOX_WORKSPACE_MB: '4',
      SANDBOX_MAX_SESSIONS: '40',
      SANDBOX_MAX_SESSIONS_PER_TENANT: '40',
      // The wrong-key callers fail on purpose; this suite is not about that throttle.
      AUTH_FAILURE_LIMIT: '0',
    });
    sharedRunId = await acmeRun();
    globexRunId = `globex-${randomUUID()}`;
    await as(http().post(api('/budget/create')), principal('globex-admin'))
      .send({ run_id: globexRunId })
      .expect(201);
  });

  afterAll(async () => {
    await app?.close();
    await rm(workspaceDir, { recursive: true, force: true });
    await rm(keysFile, { force: true });
  });

  describe.each(ROUTES.map((route) => [route.name, route] as const))('%s', (_name, route) => {
    it.each(CALLERS.map((caller) => [typeof caller === 'string' ? caller : caller.id, caller] as const))(
      'as %s',
      async (_label, caller) => {
        const target = await route.target();
        const res = await route.send(caller, target);
        const expected = expectedStatus(route, caller);
        expect({ status: res.status, code: res.body?.code }).toEqual({
          status: expected,
          code:
            expected === 401
              ? 'UNAUTHORIZED'
              : expected === 403 && typeof caller !== 'string' && RANK[caller.role] < RANK[route.access]
                ? 'FORBIDDEN_ROLE'
                : res.body?.code,
        });
        if (typeof caller !== 'string' && caller.tenant !== 'acme') {
          expect(res.text ?? '').not.toContain(String(ACME_LIMIT));
          if (route.missing !== undefined && expected === 404) {
            // Exactly as if it did not exist: the same problem as for an id that exists nowhere.
            const missing = route.missing();
            const absent = await route.send(caller, missing);
            expect(absent.status).toBe(404);
            expect(res.body.code).toBe(absent.body.code);
            expect(res.body.detail.replace(target, '<id>')).toBe(absent.body.detail.replace(missing, '<id>'));
          }
        }
      },
    );
  });

  it('covers every operation of the OpenAPI document, each with the role the matrix enforces', async () => {
    type Operation = { 'x-required-role'?: string };
    const document = (await http().get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => [
        `${method.toUpperCase()} ${path.replace(/^\/api\/v1\/safety/, '').replace(/\{(\w+)\}/g, ':$1')}`,
        operation['x-required-role'],
      ]),
    );
    const enforced = new Map(ROUTES.map((route) => [route.name, route.access]));
    expect(documented.filter(([name, role]) => enforced.get(name as string) !== role)).toEqual([]);
  });
});
