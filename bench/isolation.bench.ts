/**
 * npm run bench:isolation — one key's hostile load must not stall everyone else.
 *
 * The attack: one API key keeps 16 requests in flight, each a 1 MB `/redact` of the worst text
 * measured (`pass=pass=…`), well within its rate limit. Meanwhile readiness is probed every 100 ms
 * (Kubernetes' probe times out at 2 s) and another key sends `/check` requests one after another.
 * The same attack runs against the built service twice, in one run: with REDACT_WORKERS=0 (every
 * text redacted on the event loop: the baseline) and with the default worker pool.
 * Targets (with the pool): readiness p99 < 100 ms, the other key's /check p99 < 50 ms, no 503.
 */
import { randomUUID } from 'node:crypto';
import { freePort, removeDir, startRedisServer } from '../test/support/redis-server';
import { peakRssMb, startBuiltService, stop } from './support/processes';
import { percentile } from './support/stats';

const DURATION_MS = Number(process.env.BENCH_DURATION_S ?? 15) * 1000;
const ATTACKERS = 16;
const HOSTILE_TEXT = 'pass='.repeat(200_000);

interface Samples {
  readyMs: number[];
  readyNon2xx: number;
  checkMs: number[];
  checkStatuses: Map<number, number>;
  attackDone: number;
  attackStatuses: Map<number, number>;
}

async function timed(call: () => Promise<Response>): Promise<[number, number]> {
  const started = performance.now();
  try {
    const response = await call();
    await response.arrayBuffer();
    return [performance.now() - started, response.status];
  } catch {
    return [performance.now() - started, 0];
  }
}

const count = (map: Map<number, number>, status: number) => map.set(status, (map.get(status) ?? 0) + 1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function attack(base: string, attackerKey: string, otherKey: string): Promise<Samples> {
  const samples: Samples = {
    readyMs: [],
    readyNon2xx: 0,
    checkMs: [],
    checkStatuses: new Map(),
    attackDone: 0,
    attackStatuses: new Map(),
  };
  const until = Date.now() + DURATION_MS;
  const post = (path: string, key: string, body: unknown) => () =>
    fetch(`${base}/api/v1/safety${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify(body),
    });
  const attacker = async () => {
    while (Date.now() < until) {
      const [, status] = await timed(post('/redact', attackerKey, { text: HOSTILE_TEXT }));
      samples.attackDone++;
      count(samples.attackStatuses, status);
    }
  };
  const readiness = async () => {
    await sleep(500); // let the attack build up first
    while (Date.now() < until) {
      const [ms, status] = await timed(() => fetch(`${base}/health/ready`));
      samples.readyMs.push(ms);
      if (status !== 200) samples.readyNon2xx++;
      await sleep(100);
    }
  };
  const otherKey_ = async () => {
    await sleep(500);
    let n = 0;
    while (Date.now() < until) {
      const [ms, status] = await timed(
        post('/check', otherKey, { action: 'execute_code', context: { command: `npm test -- --shard=${n++}` } }),
      );
      samples.checkMs.push(ms);
      count(samples.checkStatuses, status);
      await sleep(20);
    }
  };
  await Promise.all([...Array.from({ length: ATTACKERS }, attacker), readiness(), otherKey_()]);
  return samples;
}

function report(label: string, s: Samples, rssMb: number): { readyP99: number; checkP99: number; non2xx: number } {
  const ready = [...s.readyMs].sort((a, b) => a - b);
  const check = [...s.checkMs].sort((a, b) => a - b);
  const non2xx =
    s.readyNon2xx + [...s.checkStatuses].filter(([status]) => status !== 200).reduce((a, [, n]) => a + n, 0);
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(`${label}`);
  console.log(
    `  /health/ready     n=${ready.length}  p50 ${fmt(percentile(ready, 50))}  p99 ${fmt(percentile(ready, 99))}  max ${fmt(ready.at(-1) ?? 0)}  non-200 ${s.readyNon2xx}`,
  );
  console.log(
    `  other key /check  n=${check.length}  p50 ${fmt(percentile(check, 50))}  p99 ${fmt(percentile(check, 99))}  max ${fmt(check.at(-1) ?? 0)}  statuses ${JSON.stringify(Object.fromEntries(s.checkStatuses))}`,
  );
  console.log(
    `  attacker /redact  ${s.attackDone} done (${((s.attackDone * HOSTILE_TEXT.length) / 1e6 / (DURATION_MS / 1000)).toFixed(1)} MB/s)  statuses ${JSON.stringify(Object.fromEntries(s.attackStatuses))}  service peak RSS ${rssMb.toFixed(0)} MB`,
  );
  return { readyP99: percentile(ready, 99), checkP99: percentile(check, 99), non2xx };
}

async function main(): Promise<void> {
  const redis = await startRedisServer();
  const attackerKey = `attacker-${randomUUID()}`;
  const otherKey = `other-${randomUUID()}`;
  console.log(
    `isolation bench — ${ATTACKERS} × 1 MB pathological /redact in flight from one key for ${DURATION_MS / 1000} s (Node ${process.version})`,
  );
  let last = { readyP99: 0, checkP99: 0, non2xx: 0 };
  try {
    for (const workers of ['0', '1']) {
      const port = await freePort();
      const service = await startBuiltService(port, {
        REDIS_URL: redis.url,
        SAFETY_API_KEYS: `${attackerKey},${otherKey}`,
        REDACT_WORKERS: workers,
      });
      try {
        const samples = await attack(`http://127.0.0.1:${port}`, attackerKey, otherKey);
        last = report(
          workers === '0' ? 'REDACT_WORKERS=0 (baseline: on the event loop)' : `REDACT_WORKERS=${workers} (default)`,
          samples,
          peakRssMb(service.pid!),
        );
      } finally {
        await stop(service);
      }
    }
  } finally {
    await redis.stop();
    removeDir(redis.dir);
  }
  console.log(
    `targets (default): readiness p99 < 100 ms ${last.readyP99 < 100 ? 'met' : 'MISSED'}; other key's /check p99 < 50 ms ${last.checkP99 < 50 ? 'met' : 'MISSED'}; no 503 or other non-2xx ${last.non2xx === 0 ? 'met' : 'MISSED'}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
