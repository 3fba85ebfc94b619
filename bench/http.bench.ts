/**
 * npm run bench:http — autocannon against the built service and, in the same
 * run, a bare Fastify route returning the same JSON (the baseline) and a bare
 * Nest route on the same adapter (the framework's floor). Prints throughput,
 * p99, errors, the ratio to the bare Fastify route, each server's CPU time per
 * request (and its ratio), and the service's peak RSS. BENCH_PIN=1 puts every server on CPU 0 and the
 * load generator and Redis on CPU 1 (support/processes.ts says why).
 */
import { randomUUID } from 'node:crypto';
import { freePort, removeDir, startRedisServer } from '../test/support/redis-server';
import { postJsonLoad } from './support/post-load';
import {
  PINNED,
  cpuTimeUs,
  peakRssMb,
  pinLoadGenerator,
  startBaseline,
  startBuiltService,
  stop,
} from './support/processes';
import { median } from './support/stats';

const CONNECTIONS = 100;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
/**
 * On a 2-core machine the bare baseline alone moves by tens of percent from
 * one run to the next, so every route (baseline included) is driven once per
 * round, rounds are interleaved, and each ratio is taken against the same
 * round's baseline; the table shows medians.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Row {
  name: string;
  rps: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** CPU the serving process used per answered request (all its threads), in µs. */
  cpuUs: number;
}

/** One route to drive; `bodies` (when given) makes every request's body different. */
interface Route {
  name: string;
  /** The process serving it, whose CPU time is read before and after. */
  pid: number;
  url: string;
  body: unknown;
  bodies?: () => unknown;
  headers?: Record<string, string>;
}

async function drive({ name, pid, url, body, bodies, headers }: Route): Promise<Row> {
  const cpuBefore = cpuTimeUs(pid);
  const result = await postJsonLoad(url, body, { connections: CONNECTIONS, durationS: DURATION_S, bodies, headers });
  const cpuUs = (cpuTimeUs(pid) - cpuBefore) / result.requests.total;
  return {
    name,
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpuUs,
  };
}

/** A ratio column's cell: the median, then each round's value. */
function ratioCell(ratios: number[]): string {
  return ` ${median(ratios).toFixed(2)} [${ratios.map((ratio) => ratio.toFixed(2)).join(' ')}]`;
}

async function main(): Promise<void> {
  pinLoadGenerator();
  const redis = await startRedisServer();
  const servicePort = await freePort();
  const barePort = await freePort();
  const service = await startBuiltService(servicePort, {
    REDIS_URL: redis.url,
    RATE_LIMIT_MAX: '0',
    MAX_RUN_BUDGET: '1000',
  });
  const base = `http://127.0.0.1:${servicePort}/api/v1/safety`;
  // The production shape: an API key required and both rate limits on, per principal and per tenant (each
  // counted in Redis on every request), with limits no run of this bench reaches.
  const apiKey = `bench-${randomUUID()}`;
  const guardedPort = await freePort();
  const guarded = await startBuiltService(guardedPort, {
    REDIS_URL: redis.url,
    SAFETY_API_KEYS: apiKey,
    RATE_LIMIT_MAX: '1000000000',
    RATE_LIMIT_TENANT_MAX: '1000000000',
  });
  const guardedBase = `http://127.0.0.1:${guardedPort}/api/v1/safety`;

  const checkBody = { action: 'execute_code', context: { command: 'npm install' } };
  const redactBody = {
    text: 'deploying with key sk-proj-' + 'a1B2c3D4'.repeat(6) + ' to prod; user=alice password=hunter2horse',
  };
  const checkJson = await (
    await fetch(`${base}/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(checkBody),
    })
  ).json();
  await fetch(`${base}/budget/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ run_id: 'bench-http', limit: 1000 }),
  });

  const bare = await startBaseline('bare-server.js', barePort, checkJson);
  const bareNestPort = await freePort();
  const bareNest = await startBaseline('bare-nest-server.js', bareNestPort, checkJson);

  try {
    // Every command different: PolicyGate's verdict cache never hits, the engine judges each one.
    let unique = 0;
    const uniqueCheck = () => ({
      action: 'execute_code',
      context: { command: `npm install left-pad@1.${unique++}.0 && git status` },
    });
    const routes: Route[] = [
      { name: 'bare fastify', pid: bare.pid!, url: `http://127.0.0.1:${barePort}/bare`, body: checkBody },
      // Nest's own floor on this adapter: the ratio no Nest route can beat.
      { name: 'bare nest', pid: bareNest.pid!, url: `http://127.0.0.1:${bareNestPort}/bare`, body: checkBody },
      { name: 'POST /check', pid: service.pid!, url: `${base}/check`, body: checkBody },
      { name: 'POST /check unique', pid: service.pid!, url: `${base}/check`, body: checkBody, bodies: uniqueCheck },
      {
        name: 'POST /budget/spend',
        pid: service.pid!,
        url: `${base}/budget/spend`,
        body: { run_id: 'bench-http', amount: 0.000001 },
      },
      { name: 'POST /redact', pid: service.pid!, url: `${base}/redact`, body: redactBody },
      {
        name: 'POST /check key+limit',
        pid: guarded.pid!,
        url: `${guardedBase}/check`,
        body: checkBody,
        headers: { authorization: `Bearer ${apiKey}` },
      },
    ];
    const rounds: Row[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const rows: Row[] = [];
      for (const route of routes) rows.push(await drive(route));
      rounds.push(rows);
    }
    console.log(
      `\nHTTP load: ${CONNECTIONS} connections, ${DURATION_S}s per route, ${ROUNDS} interleaved rounds, service and baseline each in their own process` +
        (PINNED ? '; BENCH_PIN: every server on CPU 0, autocannon and Redis on CPU 1' : ''),
    );
    console.log(
      'service config: Redis store, no API keys, RATE_LIMIT_MAX=0, LOG_LEVEL=warn; "key+limit": a second instance with an API key and the Redis rate limit on (see BENCHMARKS.md)\n',
    );
    const nameWidth = Math.max(...routes.map((route) => route.name.length));
    const line = (cells: string[]) => console.log(cells.join(' '));
    line([
      'route'.padEnd(nameWidth),
      'req/s (median)',
      'p99 ms (median)',
      'errors',
      'non-2xx',
      ' ratio vs bare: median [per round]',
      ' vs bare Nest: median [per round]',
    ]);
    routes.forEach(({ name }, index) => {
      const runs = rounds.map((rows) => rows[index]);
      const ratios = rounds.map((rows) => rows[index].rps / rows[0].rps);
      const nestRatios = rounds.map((rows) => rows[index].rps / rows[1].rps);
      const sum = (pick: (row: Row) => number) => runs.reduce((total, row) => total + pick(row), 0);
      line([
        name.padEnd(nameWidth),
        median(runs.map((row) => row.rps))
          .toFixed(0)
          .padStart(14),
        median(runs.map((row) => row.p99))
          .toFixed(1)
          .padStart(15),
        String(sum((row) => row.errors)).padStart(6),
        String(sum((row) => row.non2xx)).padStart(7),
        ratioCell(ratios),
        ratioCell(nestRatios),
      ]);
    });
    // Throughput on this 2-core host also moves with the client (autocannon shares the CPUs and pays
    // a wake-up per response when it waits on a slower server); CPU per request is what each server itself spent.
    console.log('\nCPU per answered request, serving process only (Redis not included):');
    line([
      'route'.padEnd(nameWidth),
      'CPU µs/req (median)',
      ' bare µs / route µs: median [per round]',
      ' × bare Fastify CPU: median [per round]',
    ]);
    routes.forEach(({ name }, index) => {
      const cpu = rounds.map((rows) => rows[index].cpuUs);
      const ratios = rounds.map((rows) => rows[0].cpuUs / rows[index].cpuUs);
      const times = rounds.map((rows) => rows[index].cpuUs / rows[0].cpuUs);
      line([name.padEnd(nameWidth), median(cpu).toFixed(0).padStart(19), ratioCell(ratios), ratioCell(times)]);
    });
    const at = (name: string) => routes.findIndex((route) => route.name === name);
    const nestMedian = (name: string) => median(rounds.map((rows) => rows[at(name)].rps / rows[1].rps));
    const cpuMedian = (name: string) => median(rounds.map((rows) => rows[at(name)].cpuUs / rows[0].cpuUs));
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log('\ntargets (medians of this run):');
    for (const name of ['POST /check', 'POST /redact']) {
      console.log(
        `  ${name}: ≥ 0.70 × bare Nest: ${nestMedian(name).toFixed(2)} ${verdict(nestMedian(name) >= 0.7)}; ` +
          `≤ 2.0 × bare Fastify CPU: ${cpuMedian(name).toFixed(2)} ${verdict(cpuMedian(name) <= 2)}`,
      );
    }
    const guardedRatio = nestMedian('POST /check key+limit');
    console.log(
      `  POST /check key+limit: ≥ 0.60 × bare Nest: ${guardedRatio.toFixed(2)} ${verdict(guardedRatio >= 0.6)}`,
    );
    const spendRatio = median(rounds.map((rows) => rows[at('POST /budget/spend')].rps / rows[0].rps));
    console.log(`  POST /budget/spend: ≥ 0.35 × bare Fastify: ${spendRatio.toFixed(2)} ${verdict(spendRatio >= 0.35)}`);
    console.log(
      `\nservice peak RSS: ${peakRssMb(service.pid!).toFixed(0)} MB, with key and limit: ${peakRssMb(guarded.pid!).toFixed(0)} MB (limit 300 MB)`,
    );
    console.log(
      `bare fastify peak RSS: ${peakRssMb(bare.pid!).toFixed(0)} MB, bare nest: ${peakRssMb(bareNest.pid!).toFixed(0)} MB`,
    );
  } finally {
    await stop(service);
    await stop(guarded);
    await stop(bare);
    await stop(bareNest);
    await redis.stop();
    removeDir(redis.dir);
  }
}

void main();
