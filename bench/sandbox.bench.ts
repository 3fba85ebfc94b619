/**
 * npm run bench:sandbox — the cost of isolation, measured in one run on this host:
 * executing `true` as a bare spawn, as raw bubblewrap (the same namespaces and
 * mounts, no limits or uid drop), through the local provider (cgroup or rlimits,
 * uid drop, output capture), and through the local provider with the egress
 * bridge (socat) started; session create p50; and this process's peak RSS.
 */
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBwrapSandboxProvider } from '../libs/sandbox/src/adapters/local/local-bwrap-sandbox.provider';
import { baseEnvironment, buildBwrapArgs } from '../libs/sandbox/src/adapters/local/bwrap-args';
import { ownPeakRssMb } from './support/processes';

const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const WARMUP = 5;

interface Row {
  name: string;
  samples: number[];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
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
  await provider.assertAvailable();
  const limits = await provider.limitMechanism();
  const session = await provider.create('base');
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
  rows.push(await measure('local provider + egress bridge', () => provider.execute(egressSession, 'true', 10_000)));
  const creates: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 50); i++) {
    const started = process.hrtime.bigint();
    const created = await provider.create('base');
    creates.push(Number(process.hrtime.bigint() - started) / 1e6);
    await provider.destroy(created);
  }
  rows.push({ name: 'session create', samples: creates });
  await provider.destroyAll();
  await rm(root, { recursive: true, force: true });

  const baseline = percentile(
    [...rows[0].samples].sort((a, b) => a - b),
    50,
  );
  console.log(`sandbox bench: ${RUNS} runs each after ${WARMUP} warm-up, limits via ${limits}`);
  console.log(
    'name'.padEnd(34) + 'mean ms'.padStart(9) + 'p50 ms'.padStart(9) + 'p95 ms'.padStart(9) + '  p50 vs bare spawn',
  );
  for (const row of rows) {
    const sorted = [...row.samples].sort((a, b) => a - b);
    const mean = sorted.reduce((sum, x) => sum + x, 0) / sorted.length;
    const p50 = percentile(sorted, 50);
    console.log(
      row.name.padEnd(34) +
        mean.toFixed(2).padStart(9) +
        p50.toFixed(2).padStart(9) +
        percentile(sorted, 95).toFixed(2).padStart(9) +
        (row.name === 'session create' ? '  -' : `  ${(p50 / baseline).toFixed(1)}x`),
    );
  }
  console.log(`peak RSS of the bench process: ${ownPeakRssMb().toFixed(1)} MB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
