/**
 * Run by the unprivileged-service spec as a non-root uid (how the image runs
 * the service): one session on the local provider with a 4 MiB workspace,
 * reported as one JSON line on stdout.
 * Usage: node -r ts-node/register/transpile-only unprivileged-session.ts <workspaceRoot>
 */
import { LocalBwrapSandboxProvider } from '../src/adapters/local/local-bwrap-sandbox.provider';

async function main(): Promise<void> {
  const provider = new LocalBwrapSandboxProvider({
    workspaceRoot: process.argv[2],
    workspaceMaxBytes: 4 * 1024 * 1024,
    pids: 64,
    memoryBytes: 256 * 1024 * 1024,
  });
  try {
    const limits = await provider.limitMechanism();
    const session = await provider.create('base');
    await provider.uploadFiles(session, [{ path: 'hello.txt', content: 'uploaded' }]);
    const fill = await provider.execute(
      session,
      'cat hello.txt; echo; id -u; df -B1 --output=size /workspace | tail -1; head -c 8M /dev/zero > big; echo rc=$?',
      15_000,
    );
    const upload = await provider
      .uploadFiles(session, [{ path: 'more.bin', content: Buffer.alloc(512 * 1024, 1) }])
      .then(
        () => 'written',
        (error: { code?: string }) => error.code,
      );
    const after = await provider.execute(session, 'ls; rm big; echo ok > small && cat small', 10_000);
    const probe = await provider.execute(
      session,
      'grep -E "^Cap(Eff|Prm|Bnd)" /proc/self/status; mount -o remount,rw /usr 2>/dev/null && echo REMOUNT-OK; touch /usr/x 2>/dev/null && echo WRITE-OK; true',
      10_000,
    );
    process.stdout.write(JSON.stringify({ uid: process.getuid?.(), limits, fill, upload, after, probe }) + '\n');
  } finally {
    await provider.destroyAll();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n');
  process.exit(1);
});
