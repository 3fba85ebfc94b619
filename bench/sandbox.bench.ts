/**
 * npm run bench:sandbox — the cost of isolation, measured in one run on this host:
 * executing `true` as a bare spawn, as raw bubblewrap (the same namespaces and
 * mounts, no limits or uid drop), through the local provider (cgroup or rlimits,
 * uid drop, output capture, size-capped workspace volume), the same without the
 * workspace cap, and with the egress bridge (socat) started; session create
 * (with and without the workspace volume); and this process's peak RSS.
 */
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBwrapSandboxProvider } from '../libs/sandbox/src/adapters/local/local-bwrap-sandbox.provider';
import { baseEnvironment, buildBwrapArgs } from '../libs/sandbox/src/adapters/local/bwrap-args';
import { ownPeakRssMb } from './support/processes';
import { percentile } from './support/stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const WARMUP = 5;

interface Row {
  name: string;
  samples: number[];
  /** A session create, not a command: no ratio to a bare spawn. */
  create?: boolean;
}

async function measure(name: string, once: () => Promise<unknown>): Promise<Row> {
  for (let i = 0; i < WARMUP; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    await once();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { name, samples };
}

/** Create (and destroy, untimed) a session, at most 50 times. */
async function measureCreate(name: string, provider: LocalBwrapSandboxProvider): Promise<Row> {
  const samples: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 50); i++) {
    const started = process.hrtime.bigint();
    const created = await provider.create('base');
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    await provider.destroy(created);
  }
  return { name, samples, create: true };
}

function run(argv: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore', env: { PATH: '/usr/bin:/bin' } });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(code) : reject(new Error(`${argv[0]} exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const root = join(tmpdir(), `sandbox-bench-${process.pid}`);
  const rawWorkspace = join(root, 'raw');
  const etcDir = join(root, 'etc');
  await mkdir(rawWorkspace, { recursive: true });
  await mkdir(etcDir, { recursive: true });
  for (const [file, text] of [
    ['passwd', 'sandbox:x:1000:1000::/workspace:/bin/bash\n'],
    ['group', 'sandbox:x:1000:\n'],
    ['hosts', '127.0.0.1 localhost\n'],
  ]) {
    await writeFile(join(etcDir, file), text);
  }
  const provider = new LocalBwrapSandboxProvider({
    workspaceRoot: join(root, 'provider'),
    hostUid: 10021,
    hostGid: 10021,
    egressLog: () => undefined,
  });
  const uncapped = new LocalBwrapSandboxProvider({
    workspaceRoot: join(root, 'uncapped'),
    hostUid: 10021,
    hostGid: 10021,
    workspaceMaxBytes: 0,
  });
  await provider.assertAvailable();
  await uncapped.assertAvailable();
  const limits = await provider.limitMechanism();
  const session = await provider.create('base');
  const uncappedSession = await uncapped.create('base');
  const egressSession = await provider.create('base', { allowedDomains: ['registry.npmjs.org'] });
  const rawArgs = [
    'bwrap',
    ...buildBwrapArgs({
      workspace: rawWorkspace,
      etcDir,
      tmpSizeBytes: 64 << 20,
      cwd: '/workspace',
      env: baseEnvironment(),
    }),
    '--',
    '/bin/true',
  ];

  const rows: Row[] = [];
  rows.push(await measure('bare spawn /bin/true', () => run(['/bin/true'])));
  rows.push(await measure('raw bwrap /bin/true', () => run(rawArgs)));
  rows.push(await measure('local provider execute("true")', () => provider.execute(session, 'true', 10_000)));
  rows.push(await measure('  same, workspace cap off', () => uncapped.execute(uncappedSession, 'true', 10_000)));
  rows.push(await measure('local provider + egress bridge', () => provider.execute(egressSession, 'true', 10_000)));
  rows.push(await measureCreate('session create', provider));
  rows.push(await measureCreate('  same, workspace cap off', uncapped));
  await provider.destroyAll();
  await uncapped.destroyAll();
  await rm(root, { recursive: true, force: true });

  const baseline = percentile(rows[0].samples, 50);
  console.log(`sandbox bench: ${RUNS} runs each after ${WARMUP} warm-up, limits via ${limits}`);
  console.log(
    'name'.padEnd(34) + 'mean ms'.padStart(9) + 'p50 ms'.padStart(9) + 'p95 ms'.padStart(9) + '  p50 vs bare spawn',
  );
  for (const row of rows) {
    const mean = row.samples.reduce((sum, x) => sum + x, 0) / row.samples.length;
    const p50 = percentile(row.samples, 50);
    console.log(
      row.name.padEnd(34) +
        mean.toFixed(2).padStart(9) +
        p50.toFixed(2).padStart(9) +
        percentile(row.samples, 95).toFixed(2).padStart(9) +
        (row.create ? '  -' : `  ${(p50 / baseline).toFixed(1)}x`),
    );
  }
  console.log(`peak RSS of the bench process: ${ownPeakRssMb().toFixed(1)} MB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
