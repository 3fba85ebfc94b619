import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import request from 'supertest';
import { requireTestRedisUrl } from '../../../test/support/redis';
import { CONSOLE_CSP, consoleRoot } from '../src/console/console.setup';
import { createTestApp } from './support/create-test-app';
import { principalsFor, type TestPrincipal, writeKeysFile } from './support/principals';

/**
 * The operator console in a real browser (Debian's Chromium driven by playwright-core) against the
 * whole app on a real port and the real Redis. The screenshots in docs/images come from here.
 */
const ROOT = join(__dirname, '..', '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** `CONSOLE_SCREENSHOTS=docs/images npx jest console` refreshes the README's screenshots; by default they go to a temporary directory. */
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS
  ? join(ROOT, process.env.CONSOLE_SCREENSHOTS)
  : mkdtempSync(join(tmpdir(), 'console-screenshots-'));
const PRINCIPALS = principalsFor('console', ['console-acme']);
const who = (id: string): TestPrincipal => PRINCIPALS.find((p) => p.id === id)!;
const AGENT = who('console-acme-agent');
const OPERATOR = who('console-acme-operator');

describe('operator console (Chromium)', () => {
  let app: NestFastifyApplication;
  let browser: Browser;
  let base: string;
  let keysFile: string;
  const contexts: BrowserContext[] = [];

  const api = (method: 'get' | 'post', path: string, p: TestPrincipal) =>
    request(app.getHttpServer())[method](`/api/v1/safety${path}`).set('x-api-key', p.key);

  async function signedIn(p: TestPrincipal | string, options: { bypassCSP?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({
      bypassCSP: options.bypassCSP ?? false,
      viewport: { width: 1200, height: 900 },
    });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${base}/console/`);
    await page.getByLabel('API key').fill(typeof p === 'string' ? p : p.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  async function requestDeploy(service: string, runId?: string): Promise<string> {
    const res = await api('post', '/approvals', AGENT)
      .send({
        action: 'deploy',
        context: { environment: 'production', service },
        run_id: runId,
        justification: `ship ${service}`,
      })
      .expect(201);
    return res.body.approval_id as string;
  }

  beforeAll(async () => {
    keysFile = writeKeysFile(PRINCIPALS);
    app = await createTestApp({ REDIS_URL: requireTestRedisUrl(), SAFETY_API_KEYS_FILE: keysFile });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 60_000);

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (!process.env.CONSOLE_SCREENSHOTS) rmSync(SCREENSHOTS, { recursive: true, force: true });
    rmSync(dirname(keysFile), { recursive: true, force: true });
  });

  it('lets an operator approve with a comment; the approval leaves the list in every open console within 2 s', async () => {
    const service = `checkout-${randomUUID().slice(0, 8)}`;
    const runId = `console-run-${randomUUID().slice(0, 8)}`;
    const first = await signedIn(OPERATOR);
    const second = await signedIn(OPERATOR);
    await first.getByText('Signed in as console-acme-operator (operator, tenant console-acme)').waitFor();
    const id = await requestDeploy(service, runId);

    // Live: the card appears without a reload, with what the approver needs to decide.
    const card = first.locator(`li[data-approval-id="${id}"]`);
    await card.waitFor({ timeout: 2000 });
    for (const fact of [
      'deploy',
      'production',
      service,
      'deploy.production',
      'console-acme-agent',
      runId,
      `ship ${service}`,
    ]) {
      await card.getByText(fact, { exact: true }).first().waitFor();
    }
    await card.getByText(/min \d+ s left/).waitFor();
    await second.locator(`li[data-approval-id="${id}"]`).waitFor({ timeout: 2000 });
    mkdirSync(SCREENSHOTS, { recursive: true });
    await first.screenshot({ path: join(SCREENSHOTS, 'console-approvals.png'), fullPage: true });

    await card.getByLabel('Comment (optional)').fill('checked the release notes');
    const decidedAt = Date.now();
    await card.getByRole('button', { name: 'Approve' }).click();
    await first.locator(`li[data-approval-id="${id}"]`).waitFor({ state: 'detached', timeout: 2000 });
    await second.locator(`li[data-approval-id="${id}"]`).waitFor({ state: 'detached', timeout: 2000 });
    expect(Date.now() - decidedAt).toBeLessThan(2000);
    await first
      .locator(`#history tr[data-approval-id="${id}"]`)
      .getByText('console-acme-operator (approve: checked the release notes)')
      .waitFor();

    const approval = (await api('get', `/approvals/${id}`, AGENT).expect(200)).body;
    expect(approval).toMatchObject({
      status: 'approved',
      decisions: [{ by: 'console-acme-operator', decision: 'approve', comment: 'checked the release notes' }],
    });
    // The key never reaches a URL.
    expect(first.url()).not.toContain(OPERATOR.key);
  });

  it('shows an agent its own requests without Approve or Reject, and no runs', async () => {
    const id = await requestDeploy(`agent-view-${randomUUID().slice(0, 8)}`);
    const page = await signedIn(AGENT);
    const card = page.locator(`li[data-approval-id="${id}"]`);
    await card.waitFor();
    expect(await card.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Reject' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Runs' }).isVisible()).toBe(false);
  });

  it("shows a wrong key's 401 problem, title and detail", async () => {
    const page = await signedIn('not-a-key-of-anyone');
    await page.getByRole('alert').getByText('Missing or invalid API key: The API key is not valid.').waitFor();
    expect(await page.getByLabel('API key').isVisible()).toBe(true);
  });

  it("draws a run's budget bar and timeline from what the API returns", async () => {
    const runId = `console-budget-${randomUUID().slice(0, 8)}`;
    await api('post', '/budget/create', AGENT)
      .send({ run_id: runId, limit: 2, alert_thresholds: [0.5, 0.8] })
      .expect(201);
    for (const amount of [0.6, 0.5])
      await api('post', '/budget/spend', AGENT).send({ run_id: runId, amount }).expect(200);
    await api('post', '/budget/reserve', AGENT).send({ run_id: runId, amount: 0.25 }).expect(201);
    await api('post', '/check', AGENT)
      .send({ action: 'execute_code', context: { command: 'rm -rf /', run_id: runId } })
      .expect(200);
    const budget = (await api('get', `/budget/${runId}`, OPERATOR).expect(200)).body;
    const trail = (await api('get', `/audit/${runId}`, OPERATOR).expect(200)).body.events as Array<{ type: string }>;

    const page = await signedIn(OPERATOR);
    await page.getByRole('link', { name: 'Runs' }).click();
    const row = page.locator(`tr[data-run-id="${runId}"]`);
    await row
      .getByText(
        `spent $${budget.spent.toFixed(2)} · reserved $${budget.reserved.toFixed(4)} · limit $${budget.limit.toFixed(2)}`,
        { exact: false },
      )
      .waitFor();
    await row.getByRole('link', { name: runId }).click();

    await page.getByRole('heading', { name: `Run ${runId}` }).waitFor();
    await page
      .getByRole('img', {
        name: `$${budget.spent.toFixed(2)} spent and $${budget.reserved.toFixed(4)} reserved of $${budget.limit.toFixed(2)}`,
      })
      .waitFor();
    await page.locator('#run-view').getByText('thresholds crossed: 50%', { exact: false }).waitFor();
    await expect(page.locator('#timeline li').count()).resolves.toBe(trail.length);
    await page.getByLabel('Event type').selectOption('budget.spend');
    await expect(page.locator('#timeline li').count()).resolves.toBe(
      trail.filter((e) => e.type === 'budget.spend').length,
    );
    await page.getByLabel('Event type').selectOption('');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-run.png'), fullPage: true });
  });

  it('is usable from the keyboard alone', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${base}/console/`);
    await page.getByLabel('API key').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('api-key');
    await page.keyboard.type(OPERATOR.key);
    await page.keyboard.press('Enter');
    await page.getByText('Signed in as console-acme-operator', { exact: false }).waitFor();
  });

  it('has no serious or critical accessibility violations (axe-core)', async () => {
    await requestDeploy(`a11y-${randomUUID().slice(0, 8)}`);
    // Injecting axe needs an inline script, which the console's own CSP rightly refuses.
    const page = await signedIn(OPERATOR, { bypassCSP: true });
    await page.locator('#pending li').first().waitFor();
    const axe = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    const audit = async () => {
      await page.addScriptTag({ content: axe });
      const results = (await page.evaluate('axe.run(document)')) as {
        violations: Array<{ id: string; impact: string; nodes: unknown[] }>;
      };
      return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    };
    expect(await audit()).toEqual([]);
    await page.getByRole('link', { name: 'Runs' }).click();
    await page.locator('#runs tr').first().waitFor();
    expect(await audit()).toEqual([]);
  });

  it('is served with a strict Content-Security-Policy, offline, small, and can be turned off', async () => {
    const res = await request(app.getHttpServer()).get('/console/').expect(200);
    expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).not.toMatch(/unsafe|https?:|\*/);
    expect(res.text).not.toMatch(/https?:\/\//);
    await request(app.getHttpServer()).get('/console').expect(302).expect('location', '/console/');
    const gzipped = readdirSync(consoleRoot()).reduce(
      (total, file) => total + gzipSync(readFileSync(join(consoleRoot(), file))).length,
      0,
    );
    expect(gzipped).toBeLessThan(150 * 1024);
    const off = await createTestApp({ CONSOLE_ENABLED: 'false' });
    try {
      await request(off.getHttpServer()).get('/console/').expect(404);
    } finally {
      await off.close();
    }
  });
});
