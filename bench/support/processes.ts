import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** Peak resident set size of a live process (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/**
 * CPU time a live process has used so far (user + system, all its threads, GC helpers included), in µs.
 * /proc/<pid>/stat fields 14 and 15 count clock ticks of 1/100 s (USER_HZ, 100 on Linux).
 */
export function cpuTimeUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks * 10_000;
}

/**
 * BENCH_PIN=1: every server on CPU 0 (all its threads), and this process (the load generator) and what
 * it starts after (Redis) on CPU 1. Unpinned, the scheduler's placement of a server's threads against the
 * client's on 2 cores moves a server's CPU per request by up to two times from one start to the next.
 */
export const PINNED = process.env.BENCH_PIN === '1';

/** Under BENCH_PIN, moves this process to CPU 1 (before it starts Redis or servers). */
export function pinLoadGenerator(): void {
  if (PINNED) execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
}

function pinServer(child: ChildProcess): void {
  if (PINNED) execFileSync('taskset', ['-a', '-p', '-c', '0', String(child.pid)], { stdio: 'ignore' });
}

/** This process's own peak RSS in MB. */
export function ownPeakRssMb(): number {
  return peakRssMb(process.pid);
}

/** Starts the built service (`npm run build` first) on `port` and waits for readiness. */
export async function startBuiltService(port: number, env: Record<string, string>): Promise<ChildProcess> {
  // The production command (Dockerfile, start:prod): the same V8 flags.
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=32', '--liftoff-only', join(ROOT, 'dist/apps/safety-api/main.js')],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'development', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  await waitForHttp(`http://127.0.0.1:${port}/health/ready`, 30_000);
  pinServer(child);
  return child;
}

/**
 * Starts a reference server from bench/support (`bare-server.js`, `bare-nest-server.js`)
 * answering POST /bare with `json`, and waits for its /health.
 */
export async function startBaseline(script: string, port: number, json: unknown): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'bench/support', script), String(port), JSON.stringify(json)], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  await waitForHttp(`http://127.0.0.1:${port}/health`, 30_000);
  pinServer(child);
  return child;
}

export async function waitForHttp(url: string, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${withinMs} ms`);
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
