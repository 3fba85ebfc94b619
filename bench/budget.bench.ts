/**
 * npm run bench:budget — spend throughput and p99 latency of the budget
 * module, each against a baseline measured in the same run:
 *
 *  1. library: BudgetService.spend over RedisBudgetLedger (one EVALSHA per
 *     spend, with reclaim, thresholds and the run's event log) vs a raw
 *     EVALSHA loop of the smallest correct check-and-HINCRBY script, on the
 *     same redis-server, same connection count and concurrency;
 *  2. HTTP: POST /api/v1/safety/budget/spend on the built service vs a bare
 *     Fastify route returning the same JSON body (autocannon, keep-alive).
 *
 * Starts its own redis-server (AOF, appendfsync everysec: the production
 * setting). Env: BENCH_DURATION_S (default 10), BENCH_CONCURRENCY (library
 * in-flight spends, default 50), BENCH_CONNECTIONS (HTTP, default 50).
 */
import Redis from 'ioredis';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RedisBudgetLedger } from '@app/budget';
import { buildBudgetService } from '@app/budget/testing';
import { freePort, removeDir, startRedisServer } from '../test/support/redis-server';
import { postJsonLoad } from './support/post-load';
import { percentile } from './support/stats';
import {
  ROOT,
  ownPeakRssMb,
  peakRssMb,
  startBaseline,
  startBuiltService,
  stop,
  waitForHttp,
} from './support/processes';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const RUNS = 100;

interface Row {
  name: string;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

/** The floor: read limit/spent, compare, HINCRBY — no reclaim, idempotency, thresholds or events. */
const RAW_SCRIPT = `
local v = redis.call('HMGET', KEYS[1], 'l', 's')
local amount = tonumber(ARGV[1])
if tonumber(v[2]) + amount > tonumber(v[1]) then return 0 end
redis.call('HINCRBY', KEYS[1], 's', amount)
return 1
`;

/** `concurrency` loops calling `op` back to back for DURATION_S; latencies in ms. */
async function closedLoop(name: string, op: (i: number) => Promise<unknown>): Promise<Row> {
  const latencies: number[] = [];
  let errors = 0;
  const until = Date.now() + DURATION_S * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      for (let i = worker; Date.now() < until; i += CONCURRENCY) {
        const t0 = process.hrtime.bigint();
        try {
          await op(i);
        } catch {
          errors += 1;
        }
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    name,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}

async function http(name: string, url: string, body: unknown): Promise<Row> {
  const result = await postJsonLoad(url, body, { connections: CONNECTIONS, durationS: DURATION_S });
  return {
    name,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

function print(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  console.log('                                   ops/s    p50 ms    p99 ms  errors  ratio vs baseline');
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(32)} ${row.perSecond.toFixed(0).padStart(8)} ${row.p50.toFixed(2).padStart(9)} ${row.p99.toFixed(2).padStart(9)} ${String(row.errors).padStart(7)}   ${(row.perSecond / rows[0].perSecond).toFixed(2)}`,
    );
  }
}

async function library(redisUrl: string): Promise<Row[]> {
  const client = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  await new Promise((resolve) => client.once('ready', resolve));
  const budget = buildBudgetService({
    ledger: new RedisBudgetLedger(client, {
      budgetTtlMs: 3_600_000,
      idempotencyTtlMs: 86_400_000,
      eventsMaxLen: 1000,
      keyPrefix: 'bench:budget',
      commandTimeoutMs: 900,
    }),
    maxLimitUsd: 1_000_000,
  });
  const runs = Array.from({ length: RUNS }, (_, i) => `bench-lib-${i}`);
  for (const run of runs) await budget.createBudget(run, 1_000_000, { alertThresholds: [0.5, 0.8, 1] });

  const rawSha = (await client.script('LOAD', RAW_SCRIPT)) as string;
  for (let i = 0; i < RUNS; i += 1) await client.hset(`bench:raw:{${i}}`, 'l', 1e15, 's', 0);

  const rows: Row[] = [];
  rows.push(
    await closedLoop('raw EVALSHA check+HINCRBY', (i) => client.evalsha(rawSha, 1, `bench:raw:{${i % RUNS}}`, 1)),
  );
  rows.push(await closedLoop('BudgetService.spend', (i) => budget.spend(runs[i % RUNS], 0.000001)));
  rows.push(
    await closedLoop('BudgetService.spend + idem key', (i) =>
      budget.spend(runs[i % RUNS], 0.000001, { idempotencyKey: `k${i}` }),
    ),
  );
  rows.push(await closedLoop('BudgetService.checkCanSpend', (i) => budget.checkCanSpend(runs[i % RUNS], 0.000001)));
  client.disconnect();
  return rows;
}

/**
 * The built service when `npm run build` produced it; otherwise (a tree that
 * does not build yet) the same code through ts-node, which costs extra RSS
 * for the compiler but not per-request work. The report says which.
 */
async function startService(port: number, env: Record<string, string>): Promise<{ child: ChildProcess; how: string }> {
  if (existsSync(join(ROOT, 'dist/apps/safety-api/main.js')))
    return { child: await startBuiltService(port, env), how: 'built dist' };
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      join(ROOT, 'apps/safety-api/src/main.ts'),
    ],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'development', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  await waitForHttp(`http://127.0.0.1:${port}/health/ready`, 60_000);
  return { child, how: 'ts-node (no dist build; RSS includes the compiler)' };
}

/** Calls per Redis command so far (`INFO commandstats`). */
async function commandCalls(url: string): Promise<Map<string, number>> {
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  try {
    const info = await client.info('commandstats');
    return new Map(
      [...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map(
        ([, command, calls]) => [command, Number(calls)] as const,
      ),
    );
  } finally {
    client.disconnect();
  }
}

async function main(): Promise<void> {
  const redis = await startRedisServer({ extraArgs: ['--appendonly', 'yes', '--appendfsync', 'everysec'] });
  const servicePort = await freePort();
  const barePort = await freePort();
  try {
    const libraryRows = await library(redis.url);
    print(
      `Library, ${CONCURRENCY} spends in flight on one connection, ${RUNS} runs, ${DURATION_S}s each (same redis-server, AOF everysec)`,
      libraryRows,
    );
    const libraryRss = ownPeakRssMb();

    const { child: service, how } = await startService(servicePort, {
      REDIS_URL: redis.url,
      RATE_LIMIT_MAX: '0',
      MAX_RUN_BUDGET: '1000000',
    });
    console.log(`\nservice started from ${how}`);
    const base = `http://127.0.0.1:${servicePort}/api/v1/safety/budget`;
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((res) => res.json());
    await post('/create', { run_id: 'bench-http', limit: 1_000_000 });
    const sample = await post('/spend', { run_id: 'bench-http', amount: 0.000001 });
    const bare = await startBaseline('bare-server.js', barePort, sample);
    try {
      const spendBody = { run_id: 'bench-http', amount: 0.000001 };
      const bareRow = await http('bare Fastify, same JSON', `http://127.0.0.1:${barePort}/bare`, spendBody);
      const spentBefore = (await (await fetch(`${base}/bench-http`)).json()).spent as number;
      const commandsBefore = await commandCalls(redis.url);
      const spendRow = await http('POST /budget/spend', `${base}/spend`, spendBody);
      const commandsAfter = await commandCalls(redis.url);
      const spentAfter = (await (await fetch(`${base}/bench-http`)).json()).spent as number;
      const httpRows = [bareRow, spendRow, await http('POST /budget/can-spend', `${base}/can-spend`, spendBody)];
      print(
        `HTTP, autocannon ${CONNECTIONS} keep-alive connections, ${DURATION_S}s each (service and baseline in their own processes)`,
        httpRows,
      );
      const spends = Math.round((spentAfter - spentBefore) * 1e6);
      const perSpend = [...commandsAfter]
        .map(([command, calls]) => [command, (calls - (commandsBefore.get(command) ?? 0)) / spends] as const)
        .filter(([command, calls]) => calls >= 0.01 && command !== 'info')
        .sort((a, b) => b[1] - a[1]);
      console.log(
        `\nRedis commands per HTTP spend (INFO commandstats over ${spends} spends, the rate limiter off): ` +
          perSpend.map(([command, calls]) => `${command} ${calls.toFixed(2)}`).join(', ') +
          `; ${perSpend.reduce((sum, [, calls]) => sum + calls, 0).toFixed(2)} in all`,
      );
      const final = await (await fetch(`${base}/bench-http`)).json();
      console.log(
        `\nHTTP run after the load: spent ${final.spent} USD = ${Math.round(final.spent * 1e6)} spends of 0.000001 (exact)`,
      );
      console.log(
        `\npeak RSS: bench process (library part) ${libraryRss.toFixed(0)} MB, service ${peakRssMb(service.pid!).toFixed(0)} MB, bare Fastify ${peakRssMb(bare.pid!).toFixed(0)} MB`,
      );
    } finally {
      await stop(bare);
      await stop(service);
    }
  } finally {
    await redis.stop();
    removeDir(redis.dir);
  }
}

void main();
