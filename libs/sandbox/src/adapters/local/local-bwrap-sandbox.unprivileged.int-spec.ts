import { execFile } from 'node:child_process';
import { chmod, chown, copyFile, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { liveProcessesOf } from '../../../test-fixtures/host-processes';

/**
 * The image runs the service as a non-root user. Then there are no cgroups
 * (rlimits apply) and the workspace volume's user namespace maps the service
 * uid to root inside it. This runs a session in a child process under such a
 * uid, with the real provider, and checks the quota and confinement hold.
 */
const SERVICE_UID = 10060;
const ROOT = resolve(__dirname, '../../../../..');
const run = promisify(execFile);
const asServiceUser = ['setpriv', `--reuid=${SERVICE_UID}`, `--regid=${SERVICE_UID}`, '--clear-groups'];

/**
 * The node running the suite may sit under a private home (CI installs Node 24
 * under root's 0700 $HOME): then the service uid gets a copy of the binary in
 * the test's own directory.
 */
async function nodeRunnableByServiceUser(dir: string): Promise<string> {
  const [program, ...args] = asServiceUser;
  const runnable = await run(program, [...args, 'test', '-x', process.execPath]).then(
    () => true,
    () => false,
  );
  if (runnable) return process.execPath;
  const copy = join(dir, 'node');
  await copyFile(process.execPath, copy);
  await chmod(copy, 0o755);
  return copy;
}

describe('local bubblewrap provider run by a non-root service', () => {
  const base = join(tmpdir(), `sandbox-unprivileged-${process.pid}`);

  beforeAll(async () => {
    await mkdir(base, { recursive: true });
    await chown(base, SERVICE_UID, SERVICE_UID);
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('caps the workspace (ENOSPC inside, 413 for an upload) under rlimits, with no capabilities, leaving nothing running', async () => {
    const [program, ...args] = asServiceUser;
    const node = await nodeRunnableByServiceUser(base);
    const { stdout } = await run(
      program,
      [
        ...args,
        'env',
        '-i',
        'PATH=/usr/local/bin:/usr/bin:/bin',
        node,
        '-r',
        'ts-node/register/transpile-only',
        'libs/sandbox/test-fixtures/unprivileged-session.ts',
        join(base, 'root'),
      ],
      { cwd: ROOT, timeout: 60_000 },
    );
    const report = JSON.parse(stdout) as {
      uid: number;
      limits: string;
      fill: { stdout: string; stderr: string };
      upload: string;
      after: { stdout: string };
      probe: { stdout: string };
    };
    expect(report.uid).toBe(SERVICE_UID);
    expect(report.limits).toBe(`rlimits (RLIMIT_NPROC, RLIMIT_DATA) as host uid ${SERVICE_UID}`);
    const [uploaded, uid, size, rc] = report.fill.stdout.trim().split('\n');
    expect([uploaded, uid, Number(size), rc]).toEqual(['uploaded', '1000', 4 * 1024 * 1024, 'rc=1']);
    expect(report.fill.stderr).toMatch(/No space left on device/);
    expect(report.upload).toBe('SANDBOX_UPLOAD_TOO_LARGE');
    expect(report.after.stdout).toBe('big\nhello.txt\nok\n');
    expect(report.probe.stdout).toBe(
      'CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000000\n',
    );
    expect(liveProcessesOf(SERVICE_UID)).toEqual([]);
  }, 90_000);
});
