import { SandboxError, type SandboxErrorCode } from '../sandbox.errors';
import type { SandboxProvider } from '../ports/sandbox-provider.port';
import type { ExecuteOptions, SandboxSession } from '../sandbox.types';

/** What the contract needs: a provider, its per-stream output cap and upload caps, and cleanup. */
export interface SandboxProviderHarness {
  provider: SandboxProvider;
  template: string;
  outputCapBytes: number;
  maxUploadFiles: number;
  maxUploadBytes: number;
  close(): Promise<void>;
}

/** Collects what a provider streams through `onOutput`, per stream. */
function streamed(): {
  onOutput: NonNullable<ExecuteOptions['onOutput']>;
  text: (stream: 'stdout' | 'stderr') => string;
} {
  const chunks: Record<'stdout' | 'stderr', Buffer[]> = { stdout: [], stderr: [] };
  return {
    onOutput: (stream, chunk) => chunks[stream].push(Buffer.from(chunk)),
    text: (stream) => Buffer.concat(chunks[stream]).toString('utf8'),
  };
}

export async function sandboxCodeOf(promise: Promise<unknown>): Promise<SandboxErrorCode> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SandboxError) return error.code;
    throw error;
  }
  throw new Error('expected a SandboxError');
}

/**
 * The behaviour every SandboxProvider must have, run against the local
 * bubblewrap provider and against the E2B provider (through the fake server).
 */
export function sandboxProviderContract(name: string, open: () => Promise<SandboxProviderHarness>): void {
  describe(`SandboxProvider contract: ${name}`, () => {
    let harness: SandboxProviderHarness;
    let provider: SandboxProvider;
    const sessions: SandboxSession[] = [];

    async function session(): Promise<SandboxSession> {
      const created = await provider.create(harness.template, { ttlMs: 120_000 });
      sessions.push(created);
      return created;
    }

    beforeAll(async () => {
      harness = await open();
      provider = harness.provider;
      await provider.assertAvailable();
    });

    afterAll(async () => {
      for (const created of sessions) await provider.destroy(created);
      await harness?.close();
    });

    it('creates a session that names its provider, template and expiry', async () => {
      const created = await session();
      expect(created.id).toEqual(expect.any(String));
      expect(created.provider).toBe(provider.name);
      expect(created.template).toBe(harness.template);
      expect(created.expiresAt.getTime()).toBeGreaterThan(Date.now());
    });

    it('runs a command over uploaded files and reports exit code and output', async () => {
      const created = await session();
      await provider.uploadFiles(created, [
        { path: 'test.js', content: 'console.log("sum", 2 + 3)' },
        { path: 'nested/dir/data.txt', content: Buffer.from('payload') },
      ]);
      const result = await provider.execute(created, 'node /workspace/test.js && cat nested/dir/data.txt', 30_000);
      expect(result).toMatchObject({
        exit_code: 0,
        stdout: 'sum 5\npayload',
        stderr: '',
        timed_out: false,
        truncated: false,
      });
      expect(result.duration_ms).toBeGreaterThanOrEqual(0);
    });

    it('returns a failing command as a result, never as an exception', async () => {
      const created = await session();
      const result = await provider.execute(created, 'echo oops >&2; exit 3', 30_000);
      expect(result).toMatchObject({ exit_code: 3, stdout: '', stderr: 'oops\n', timed_out: false });
    });

    it('stops a command at its timeout and says so', async () => {
      const created = await session();
      const result = await provider.execute(created, 'echo started; sleep 30', 700);
      expect(result.timed_out).toBe(true);
      expect(result.exit_code).not.toBe(0);
      expect(result.stdout).toBe('started\n');
    });

    it('caps each output stream and marks the result truncated', async () => {
      const created = await session();
      const output = streamed();
      const result = await provider.execute(
        created,
        `head -c ${harness.outputCapBytes * 3} /dev/zero | tr '\\0' a; echo done >&2`,
        30_000,
        { onOutput: output.onOutput },
      );
      expect(result.truncated).toBe(true);
      expect(result.stdout.length).toBe(harness.outputCapBytes);
      expect(result.stderr).toBe('done\n');
      expect(result.exit_code).toBe(0);
      // Streaming consumers (the redactor) see exactly what is kept, never the discarded rest.
      expect(output.text('stdout')).toBe(result.stdout);
      expect(output.text('stderr')).toBe(result.stderr);
    });

    it('streams output as it is written, split where the command split it', async () => {
      const created = await session();
      const output = streamed();
      const arrivals: number[] = [];
      const result = await provider.execute(
        created,
        "printf 'first-'; sleep 0.3; printf 'second' >&2; printf 'third'",
        30_000,
        {
          onOutput: (stream, chunk) => {
            arrivals.push(Date.now());
            output.onOutput(stream, chunk);
          },
        },
      );
      expect(result).toMatchObject({ exit_code: 0, stdout: 'first-third', stderr: 'second' });
      expect(output.text('stdout')).toBe('first-third');
      expect(output.text('stderr')).toBe('second');
      expect(arrivals.length).toBeGreaterThanOrEqual(3);
      expect(arrivals.at(-1)! - arrivals[0]).toBeGreaterThanOrEqual(200);
    });

    it('passes caller variables and the working directory, never the service environment', async () => {
      // Planting a variable in the service's environment is the point: it must not reach the sandbox.
      // eslint-disable-next-line no-restricted-properties
      process.env.SANDBOX_CONTRACT_HOST_SECRET = 'host-secret-value';
      try {
        const created = await session();
        await provider.uploadFiles(created, [{ path: 'sub/marker', content: 'x' }]);
        const result = await provider.execute(created, 'pwd; echo "$GREETING"; env', 30_000, {
          cwd: 'sub',
          env: { GREETING: 'hi' },
        });
        expect(result.stdout.split('\n').slice(0, 2)).toEqual(['/workspace/sub', 'hi']);
        expect(result.stdout).not.toContain('host-secret-value');
      } finally {
        // eslint-disable-next-line no-restricted-properties
        delete process.env.SANDBOX_CONTRACT_HOST_SECRET;
      }
    });

    it('keeps sessions apart', async () => {
      const first = await session();
      const second = await session();
      await provider.uploadFiles(first, [{ path: 'only-first.txt', content: '1' }]);
      const result = await provider.execute(second, 'ls /workspace', 30_000);
      expect(result.stdout).not.toContain('only-first.txt');
    });

    it.each(['../escape.txt', '/etc/passwd', 'a/../../escape.txt', '/workspace/../escape.txt', '', 'a\\..\\b'])(
      'refuses the upload path %j',
      async (path) => {
        const created = await session();
        expect(await sandboxCodeOf(provider.uploadFiles(created, [{ path, content: 'x' }]))).toBe(
          'SANDBOX_UPLOAD_INVALID',
        );
      },
    );

    it('accepts /workspace-absolute upload paths', async () => {
      const created = await session();
      await provider.uploadFiles(created, [{ path: '/workspace/abs.txt', content: 'abs' }]);
      expect((await provider.execute(created, 'cat abs.txt', 30_000)).stdout).toBe('abs');
    });

    it('refuses uploads over the byte or file-count caps before writing anything', async () => {
      const created = await session();
      const big = Buffer.alloc(harness.maxUploadBytes + 1, 1);
      expect(await sandboxCodeOf(provider.uploadFiles(created, [{ path: 'big.bin', content: big }]))).toBe(
        'SANDBOX_UPLOAD_TOO_LARGE',
      );
      const many = Array.from({ length: harness.maxUploadFiles + 1 }, (_, i) => ({ path: `f${i}.txt`, content: 'x' }));
      expect(await sandboxCodeOf(provider.uploadFiles(created, many))).toBe('SANDBOX_UPLOAD_TOO_LARGE');
      expect((await provider.execute(created, 'ls', 30_000)).stdout).toBe('');
    });

    it('destroys idempotently; a destroyed session is not found', async () => {
      const created = await session();
      await provider.destroy(created);
      await provider.destroy(created);
      expect(await sandboxCodeOf(provider.execute(created, 'true', 30_000))).toBe('SANDBOX_SESSION_NOT_FOUND');
      expect(await sandboxCodeOf(provider.uploadFiles(created, [{ path: 'x', content: 'x' }]))).toBe(
        'SANDBOX_SESSION_NOT_FOUND',
      );
    });
  });
}
