import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { ExecuteResult } from '../../sandbox.types';

const LAUNCHER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface RunSpec {
  argv: string[];
  timeoutMs: number;
  /** Per-stream cap; bytes past it are read and discarded so the writer never blocks. */
  outputCapBytes: number;
  /** Called when the timeout fires, after the process group has been sent SIGKILL (e.g. to kill a cgroup). */
  onTimeout?: () => Promise<void> | void;
  /** Opens fd 3 as a pipe and returns what was written to it (bwrap's --json-status-fd). */
  captureFd3?: boolean;
  /** Aborting kills the tree (the session was destroyed while the command ran). */
  signal?: AbortSignal;
  /** Receives the output kept under the cap, as it arrives. */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

export interface RunOutcome extends ExecuteResult {
  /** The process could not be started at all (ENOENT, EACCES). */
  spawnError?: Error;
  /** Text written to fd 3, when captureFd3 was asked for. */
  fd3: string;
}

/**
 * Runs one process tree with a wall-clock timeout and capped output. The tree
 * is started as its own process group (detached) so the timeout can SIGKILL
 * all of it; bwrap's `--die-with-parent` and PID namespace take care of
 * anything that called setsid. Never rejects for the command's own failure.
 */
export function runProcess(spec: RunSpec): Promise<RunOutcome> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(spec.argv[0], spec.argv.slice(1), {
      detached: true,
      // Never the service's environment: bwrap's own PID 1 keeps the environment it was started
      // with, and the sandboxed command (same host uid) can read it from /proc/1/environ.
      env: { PATH: LAUNCHER_PATH },
      stdio: spec.captureFd3 ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
    });
    let fd3 = '';
    const statusStream = child.stdio[3] as Readable | null | undefined;
    statusStream?.on('data', (chunk: Buffer) => {
      if (fd3.length < 65536) fd3 += chunk.toString('utf8');
    });
    statusStream?.on('error', () => undefined);
    const stdout = new CappedCollector(spec.outputCapBytes);
    const stderr = new CappedCollector(spec.outputCapBytes);
    let timedOut = false;
    let spawnError: Error | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
      void Promise.resolve(spec.onTimeout?.()).catch(() => undefined);
    }, spec.timeoutMs);
    const onAbort = () => killGroup(child.pid);
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    if (spec.signal?.aborted) onAbort();
    stdout.attach(child.stdout as Readable, spec.onOutput && ((chunk) => spec.onOutput?.('stdout', chunk)));
    stderr.attach(child.stderr as Readable, spec.onOutput && ((chunk) => spec.onOutput?.('stderr', chunk)));
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
      // Anything left in the group (a child that kept our pipes open is gone by now, but be thorough).
      killGroup(child.pid);
      const exitCode = code ?? (signal ? 128 + signalNumber(signal) : 1);
      resolve({
        exit_code: timedOut ? 137 : exitCode,
        stdout: stdout.text(),
        stderr: stderr.text(),
        timed_out: timedOut,
        duration_ms: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
        truncated: stdout.truncated || stderr.truncated,
        spawnError,
        fd3,
      });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGABRT: 6,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGPIPE: 13,
  SIGTERM: 15,
};
function signalNumber(signal: NodeJS.Signals): number {
  return SIGNALS[signal] ?? 0;
}

class CappedCollector {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly cap: number) {}

  /** `tap` sees what is kept, never the discarded rest. */
  attach(stream: Readable, tap?: (chunk: Buffer) => void): void {
    stream.on('data', (chunk: Buffer) => {
      const room = this.cap - this.size;
      if (room <= 0) {
        this.truncated = true;
        return;
      }
      const kept = Buffer.from(chunk.length > room ? chunk.subarray(0, room) : chunk);
      if (kept.length < chunk.length) this.truncated = true;
      this.chunks.push(kept);
      this.size += kept.length;
      tap?.(kept);
    });
  }

  /** UTF-8 text; a multi-byte character cut by the cap becomes U+FFFD. */
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
