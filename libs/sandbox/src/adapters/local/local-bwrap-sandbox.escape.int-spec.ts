import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveProcessesOf } from '../../../test-fixtures/host-processes';
import { sandboxCodeOf } from '../../testing/sandbox-provider.contract';
import type { EgressDecision, SandboxSession } from '../../sandbox.types';
import { LocalBwrapSandboxProvider } from './local-bwrap-sandbox.provider';
import type { LocalSandboxOptions } from './local-sandbox.options';

/**
 * Escape attempts against the real bubblewrap provider. Each asserts
 * containment, and that the host and later runs are unaffected. The sandbox
 * runs as a host uid used by no other suite, so "no process left behind" can
 * be checked with `ps -u`.
 */
const HOST_UID = 10057;
const HOST_SECRET_FILE = '/root/.safety-sandbox-escape-secret';
const SERVICE_SECRET = 'service-env-secret-7f3a9c';
const TARGET_PORT_PLACEHOLDER = '__TARGET_PORT__';
const WORKSPACE_CAP = 8 * 1024 * 1024;

/** Workspace volume holders of this test process (`unshare … read _`, children of this process). */
function holderPids(): string[] {
  return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('echo ready; read _'));
}

async function waitForNoProcesses(uid: number): Promise<string[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const left = liveProcessesOf(uid);
    if (left.length === 0) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return liveProcessesOf(uid);
}

describe('local bubblewrap provider: escape attempts', () => {
  const workspaceRoot = join(tmpdir(), `sandbox-escape-${process.pid}`);
  const decisions: EgressDecision[] = [];
  let provider: LocalBwrapSandboxProvider;
  let target: Server;
  let targetPort: number;
  const targetHits: string[] = [];

  function makeProvider(extra: LocalSandboxOptions = {}): LocalBwrapSandboxProvider {
    return new LocalBwrapSandboxProvider({
      workspaceRoot,
      hostUid: HOST_UID,
      hostGid: HOST_UID,
      memoryBytes: 192 * 1024 * 1024,
      pids: 64,
      tmpSizeBytes: 8 * 1024 * 1024,
      workspaceMaxBytes: WORKSPACE_CAP,
      maxFileBytes: 32 * 1024 * 1024,
      outputCapBytes: 1024 * 1024,
      maxUploadBytes: 64 * 1024,
      maxUploadFiles: 10,
      // The allowlisted host is a local server: the only reachable network here is loopback.
      egressAllowedPorts: [443, targetPort],
      egressDenyPrivateAddresses: false,
      egressResolve: async (host) => (host === 'allowed.test' ? '127.0.0.1' : Promise.reject(new Error('NXDOMAIN'))),
      egressLog: (decision) => decisions.push(decision),
      ...extra,
    });
  }

  async function session(allowedDomains: string[] = [], runId = 'run-escape'): Promise<SandboxSession> {
    return provider.create('base', { allowedDomains, runId, ttlMs: 120_000 });
  }

  beforeAll(async () => {
    target = createServer((req, res) => {
      targetHits.push(req.url ?? '');
      res.end('reached-allowed-target');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetPort = (target.address() as AddressInfo).port;
    await writeFile(HOST_SECRET_FILE, 'host-file-secret', { mode: 0o600 });
    process.env.SANDBOX_ESCAPE_SERVICE_SECRET = SERVICE_SECRET;
    provider = makeProvider();
    await provider.assertAvailable();
  });

  afterAll(async () => {
    delete process.env.SANDBOX_ESCAPE_SERVICE_SECRET;
    await provider.destroyAll();
    await rm(HOST_SECRET_FILE, { force: true });
    await rm(workspaceRoot, { recursive: true, force: true });
    await new Promise((resolve) => target.close(resolve));
  });

  afterEach(async () => {
    expect(await waitForNoProcesses(HOST_UID)).toEqual([]);
  });

  it('runs as uid 1000 with no capabilities and cannot regain them', async () => {
    const s = await session();
    const result = await provider.execute(
      s,
      'id -u; grep -E "^Cap(Eff|Prm|Bnd)" /proc/self/status; unshare -U true && echo USERNS-OK; mount -o remount,rw,bind /usr && echo REMOUNT-OK; true',
      10_000,
    );
    expect(result.stdout).toContain('1000\n');
    expect(result.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(result.stdout).toMatch(/CapPrm:\s+0000000000000000/);
    expect(result.stdout).not.toContain('USERNS-OK');
    expect(result.stdout).not.toContain('REMOUNT-OK');
  });

  it('cannot read host files, the service environment or the service process', async () => {
    const s = await session();
    const result = await provider.execute(
      s,
      `cat /etc/shadow; ls /root; cat ${HOST_SECRET_FILE}; ls /home; cat /proc/*/environ | tr '\\0' '\\n'; env; ps -eo pid,args; echo PIDS=$(ls /proc | grep -c '^[0-9]')`,
      10_000,
    );
    expect(result.stdout + result.stderr).not.toContain('host-file-secret');
    expect(result.stdout + result.stderr).not.toContain(SERVICE_SECRET);
    expect(result.stderr).toMatch(/\/etc\/shadow: No such file or directory/);
    expect(result.stderr).toMatch(/cannot access '\/root': No such file or directory/);
    expect(result.stdout).not.toMatch(/jest|npm_|TS_JEST/);
    expect(Number(/PIDS=(\d+)/.exec(result.stdout)?.[1])).toBeLessThan(10);
  });

  it('cannot write outside the workspace; /tmp is capped and does not outlive the command', async () => {
    const s = await session();
    const marker = `escape-${process.pid}`;
    const result = await provider.execute(
      s,
      `for p in /usr/${marker} /etc/${marker} /${marker} /run/${marker}; do touch $p 2>&1; done; head -c 20M /dev/zero > /tmp/fill; echo tmp=$?; ls -l /tmp/fill | awk '{print $5}'; echo ws > /workspace/ok`,
      15_000,
    );
    expect(result.stdout).toMatch(/Read-only file system/);
    expect(existsSync(`/usr/${marker}`)).toBe(false);
    expect(existsSync(`/etc/${marker}`)).toBe(false);
    expect(existsSync(`/${marker}`)).toBe(false);
    expect(result.stdout).toContain('tmp=1');
    expect(Number(result.stdout.trim().split('\n').at(-1))).toBeLessThanOrEqual(8 * 1024 * 1024);
    const next = await provider.execute(s, 'ls /tmp; cat /workspace/ok', 10_000);
    expect(next.stdout).toBe('ws\n');
  });

  describe('workspace quota', () => {
    it('fails writes past the cap with ENOSPC inside the sandbox; nothing reaches the host disk', async () => {
      const s = await session();
      await provider.uploadFiles(s, [{ path: 'kept.txt', content: 'uploaded before' }]);
      const result = await provider.execute(
        s,
        'df -B1 --output=size /workspace | tail -1; head -c 20M /dev/zero > big; echo rc=$?; stat -c %s big; cat kept.txt',
        15_000,
      );
      const [size, rc, written, kept] = result.stdout.trim().split('\n');
      expect(Number(size)).toBe(WORKSPACE_CAP);
      expect(rc).toBe('rc=1');
      expect(result.stderr).toMatch(/No space left on device/);
      expect(Number(written)).toBeLessThanOrEqual(WORKSPACE_CAP);
      expect(kept).toBe('uploaded before');
      // The session directory on the host is only the mount point: the bytes live in the capped tmpfs.
      expect(readdirSync(join(workspaceRoot, s.id, 'workspace'))).toEqual([]);
    });

    it('runs out of files as well as bytes', async () => {
      const s = await session();
      const result = await provider.execute(
        s,
        'for i in $(seq 1 6000); do : > f$i || { echo stopped-at=$i; break; }; done',
        20_000,
      );
      expect(result.stdout).toMatch(/^stopped-at=\d+$/m);
      expect(result.stderr).toMatch(/No space left on device/);
    });

    it('keeps a full workspace full only for its own session, and usable after cleanup', async () => {
      const full = await session();
      const other = await session();
      await provider.execute(full, 'head -c 20M /dev/zero > big', 15_000);
      expect(
        await sandboxCodeOf(provider.uploadFiles(full, [{ path: 'more.txt', content: Buffer.alloc(60_000, 1) }])),
      ).toBe('SANDBOX_UPLOAD_TOO_LARGE');
      expect((await provider.execute(full, 'ls', 10_000)).stdout).toBe('big\n');
      expect((await provider.execute(other, 'head -c 6M /dev/zero > fits && echo ok', 15_000)).stdout).toBe('ok\n');
      expect((await provider.execute(full, 'rm big; echo again > small && cat small', 10_000)).stdout).toBe('again\n');
      await provider.uploadFiles(full, [{ path: 'more.txt', content: 'now it fits' }]);
      expect((await provider.execute(full, 'cat more.txt', 10_000)).stdout).toBe('now it fits');
    });

    it('writes a batch of uploads all or nothing: a file that does not fit undoes the ones before it', async () => {
      const s = await session();
      await provider.uploadFiles(s, [{ path: 'keep.txt', content: 'old' }]);
      // Fill the workspace, then free a little: the batch's small files fit, its last one does not.
      await provider.execute(s, 'head -c 20M /dev/zero > big; truncate -s -24K big', 15_000);
      const batch = [
        { path: 'keep.txt', content: 'new' },
        { path: 'dir/sub/a.txt', content: 'a' },
        { path: 'last.bin', content: Buffer.alloc(60_000, 1) },
      ];
      expect(await sandboxCodeOf(provider.uploadFiles(s, batch))).toBe('SANDBOX_UPLOAD_TOO_LARGE');
      const after = await provider.execute(s, 'cat keep.txt; echo; ls -A', 10_000);
      expect(after.stdout).toBe('old\nbig\nkeep.txt\n');
      // A path refused midway undoes the batch the same way.
      await provider.execute(s, 'rm big; ln -s /etc linkdir', 10_000);
      const refused = [
        { path: 'fine.txt', content: 'x' },
        { path: 'linkdir/pwned.txt', content: 'evil' },
      ];
      expect(await sandboxCodeOf(provider.uploadFiles(s, refused))).toBe('SANDBOX_UPLOAD_INVALID');
      expect((await provider.execute(s, 'ls -A', 10_000)).stdout).toBe('keep.txt\nlinkdir\n');
    });

    it('frees the volume with the session: its holder process is gone', async () => {
      const s = await session();
      await provider.execute(s, 'head -c 4M /dev/zero > data', 10_000);
      const holders = holderPids();
      expect(holders.length).toBeGreaterThan(0);
      await provider.destroy(s);
      expect(holderPids().length).toBe(holders.length - 1);
      expect(existsSync(join(workspaceRoot, s.id))).toBe(false);
    });
  });

  describe('network', () => {
    it('reaches an allowlisted host only through the proxy, with the decision logged under the run id', async () => {
      const s = await session(['allowed.test'], 'run-net-allow');
      const result = await provider.execute(s, `curl -sS -p http://allowed.test:${targetPort}/through-proxy`, 15_000);
      expect(result.stdout).toBe('reached-allowed-target');
      expect(targetHits).toContain('/through-proxy');
      expect(decisions).toContainEqual(
        expect.objectContaining({
          run_id: 'run-net-allow',
          sandbox_session: s.id,
          host: 'allowed.test',
          port: targetPort,
          decision: 'allow',
        }),
      );
    });

    it.each([
      ['a non-allowlisted host', 'curl -sS https://example.com/', 'example.com', 'host-not-allowlisted'],
      ['plain HTTP', 'curl -sSf http://allowed.test/', 'allowed.test', 'plain-http-not-allowed'],
      ['an IP literal', 'curl -sS --noproxy "" https://10.20.30.40/', '10.20.30.40', 'ip-literal'],
      ['a port not allowed', 'curl -sS -p http://allowed.test:22/', 'allowed.test', 'port-not-allowed'],
    ])('refuses %s at the proxy and logs it', async (_label, command, host, reason) => {
      const s = await session(['allowed.test'], 'run-net-deny');
      const result = await provider.execute(s, command, 15_000);
      expect(result.exit_code).not.toBe(0);
      expect(result.stdout).not.toContain('reached-allowed-target');
      expect(decisions).toContainEqual(
        expect.objectContaining({ run_id: 'run-net-deny', sandbox_session: s.id, host, decision: 'deny', reason }),
      );
    });

    it('tells the program why the proxy refused, not just 403', async () => {
      const s = await session(['allowed.test'], 'run-net-why');
      const result = await provider.execute(s, 'curl -sS -v https://example.com/ 2>&1', 15_000);
      expect(result.stdout).toMatch(/403 Forbidden by egress policy: host-not-allowlisted example\.com/);
    });

    it.each([
      [
        'curl bypassing the proxy',
        `curl -sS --noproxy '*' --max-time 5 http://127.0.0.1:${TARGET_PORT_PLACEHOLDER}/direct`,
      ],
      ['bash /dev/tcp', `exec 3<>/dev/tcp/127.0.0.1/${TARGET_PORT_PLACEHOLDER} && echo CONNECTED`],
      ['bash /dev/tcp to an outside address', 'exec 3<>/dev/tcp/1.1.1.1/443 && echo CONNECTED'],
      [
        'node fetch (ignores proxy variables)',
        `node -e "fetch('http://127.0.0.1:${TARGET_PORT_PLACEHOLDER}/node').then(()=>console.log('CONNECTED'),e=>{console.error(String(e.cause?.code||e));process.exit(2)})"`,
      ],
      ['a DNS lookup', `getent hosts example.com && echo CONNECTED`],
    ])('has no route out: %s fails', async (_label, template) => {
      const s = await session(['allowed.test']);
      const hitsBefore = targetHits.length;
      const result = await provider.execute(
        s,
        template.replaceAll(TARGET_PORT_PLACEHOLDER, String(targetPort)),
        15_000,
      );
      expect(result.exit_code).not.toBe(0);
      expect(result.stdout).not.toContain('CONNECTED');
      expect(targetHits.length).toBe(hitsBefore);
    });

    it('has no network at all when no domain is allowed', async () => {
      const s = await session([]);
      const result = await provider.execute(
        s,
        'ls /run; cat /proc/net/dev | tail -n +3 | cut -d: -f1; curl -sS https://allowed.test/',
        15_000,
      );
      expect(result.stdout.replace(/\s+/g, ' ').trim()).toBe('lo');
      expect(result.exit_code).not.toBe(0);
    });
  });

  it('contains a fork bomb and leaves nothing running', async () => {
    const s = await session();
    const result = await provider.execute(s, 'bomb() { bomb | bomb & }; bomb; sleep 1; echo survived', 3_000);
    expect(result.exit_code === 0 || result.timed_out).toBe(true);
    // 100 processes against a limit of 64: forks fail (bash keeps retrying until the timeout).
    const limited = await provider.execute(s, 'for i in $(seq 1 100); do sleep 30 & done; echo all-started', 2_500);
    expect(limited.stderr).toMatch(/fork.*Resource temporarily unavailable/);
    expect(limited.stdout).not.toContain('all-started');
    expect((await provider.execute(s, 'echo alive', 10_000)).stdout).toBe('alive\n');
  });

  it('kills a memory bomb at the memory limit without harming the host', async () => {
    const s = await session();
    const result = await provider.execute(s, `node -e "const a=[];for(;;)a.push(Buffer.alloc(16<<20,1))"`, 20_000);
    expect(result.exit_code).not.toBe(0);
    expect(result.timed_out).toBe(false);
    expect((await provider.execute(s, 'echo alive', 10_000)).stdout).toBe('alive\n');
  });

  it('survives a 1 GB stdout flood: output is capped at 1 MiB and truncated', async () => {
    const s = await session();
    const result = await provider.execute(s, 'head -c 1G /dev/zero; echo end >&2', 60_000);
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.stdout)).toBe(1024 * 1024);
    expect(result.stderr).toBe('end\n');
  }, 90_000);

  it('kills a command past its timeout together with setsid/nohup background children', async () => {
    const s = await session();
    const result = await provider.execute(
      s,
      'setsid sleep 300 & nohup sleep 301 >/dev/null 2>&1 & (trap "" HUP TERM; sleep 302) & sleep 303',
      1_000,
    );
    expect(result.timed_out).toBe(true);
    expect(await waitForNoProcesses(HOST_UID)).toEqual([]);
  });

  it('leaves nothing running after a command that exits with background daemons', async () => {
    const s = await session();
    const result = await provider.execute(s, 'setsid nohup sleep 300 >/dev/null 2>&1 & echo started', 10_000);
    expect(result).toMatchObject({ exit_code: 0, stdout: 'started\n', timed_out: false });
    expect(await waitForNoProcesses(HOST_UID)).toEqual([]);
  });

  describe('hostile uploads', () => {
    it.each(['../outside.txt', '/etc/cron.d/evil', 'a/../../outside.txt', '/workspace/../outside.txt', 'x\0y'])(
      'refuses %j',
      async (path) => {
        const s = await session();
        expect(await sandboxCodeOf(provider.uploadFiles(s, [{ path, content: 'evil' }]))).toBe(
          'SANDBOX_UPLOAD_INVALID',
        );
      },
    );

    it('refuses to write through a directory symlink planted by a command', async () => {
      const s = await session();
      const hostDir = join(workspaceRoot, '..', `sandbox-escape-target-${process.pid}`);
      await mkdir(hostDir, { recursive: true });
      try {
        await provider.execute(s, `ln -s ${hostDir} linkdir; ln -s / rootlink`, 10_000);
        expect(await sandboxCodeOf(provider.uploadFiles(s, [{ path: 'linkdir/pwned.txt', content: 'evil' }]))).toBe(
          'SANDBOX_UPLOAD_INVALID',
        );
        expect(
          await sandboxCodeOf(provider.uploadFiles(s, [{ path: 'rootlink/tmp/pwned.txt', content: 'evil' }])),
        ).toBe('SANDBOX_UPLOAD_INVALID');
        expect(existsSync(join(hostDir, 'pwned.txt'))).toBe(false);
        expect(existsSync('/tmp/pwned.txt')).toBe(false);
      } finally {
        await rm(hostDir, { recursive: true, force: true });
      }
    });

    it('replaces a planted file symlink instead of writing through it', async () => {
      const s = await session();
      const hostFile = join(tmpdir(), `sandbox-escape-file-${process.pid}`);
      await writeFile(hostFile, 'original');
      try {
        await provider.execute(s, `ln -s ${hostFile} victim`, 10_000);
        await provider.uploadFiles(s, [{ path: 'victim', content: 'uploaded' }]);
        expect(readFileSync(hostFile, 'utf8')).toBe('original');
        expect((await provider.execute(s, 'test -L victim || cat victim', 10_000)).stdout).toBe('uploaded');
      } finally {
        await rm(hostFile, { force: true });
      }
    });

    it('refuses an oversized upload and too many files', async () => {
      const s = await session();
      expect(
        await sandboxCodeOf(provider.uploadFiles(s, [{ path: 'big', content: Buffer.alloc(64 * 1024 + 1) }])),
      ).toBe('SANDBOX_UPLOAD_TOO_LARGE');
      const many = Array.from({ length: 11 }, (_, i) => ({ path: `f${i}`, content: 'x' }));
      expect(await sandboxCodeOf(provider.uploadFiles(s, many))).toBe('SANDBOX_UPLOAD_TOO_LARGE');
    });
  });

  it('with rlimits instead of cgroups, still contains a fork bomb and a memory bomb', async () => {
    const rlimited = makeProvider({ limitMode: 'rlimit' });
    try {
      expect(await rlimited.limitMechanism()).toMatch(/^rlimits/);
      const s = await rlimited.create('base');
      const bomb = await rlimited.execute(s, 'bomb() { bomb | bomb & }; bomb; sleep 1; echo survived', 3_000);
      expect(bomb.exit_code === 0 || bomb.timed_out).toBe(true);
      const memory = await rlimited.execute(s, `node -e "const a=[];for(;;)a.push(Buffer.alloc(16<<20,1))"`, 20_000);
      expect(memory.exit_code).not.toBe(0);
      expect(memory.timed_out).toBe(false);
      expect((await rlimited.execute(s, 'echo alive', 10_000)).stdout).toBe('alive\n');
    } finally {
      await rlimited.destroyAll();
    }
  });

  it('a later run sees none of it: clean /tmp, same limits, working commands', async () => {
    const s = await session();
    const result = await provider.execute(s, 'ls -A /tmp; ls -A /workspace; id -u', 10_000);
    expect(result).toMatchObject({ exit_code: 0, stdout: '1000\n' });
  });
});
