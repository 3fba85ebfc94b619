import { Logger } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, lstat, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SandboxProvider } from '../../ports/sandbox-provider.port';
import { SandboxError, sessionNotFound } from '../../sandbox.errors';
import type {
  CreateSessionOptions,
  ExecuteOptions,
  ExecuteResult,
  SandboxSession,
  UploadFile,
} from '../../sandbox.types';
import { checkUploadSize, confineCwd, confineUploadPath } from '../../upload-limits';
import { parseAllowedDomains } from '../../domain-allowlist';
import { validateCommandEnv, validateTimeout } from '../../execute-arguments';
import { baseEnvironment, buildBwrapArgs, commandArgv, proxyEnvironment, SANDBOX_UID } from './bwrap-args';
import { CgroupLimiter, type CgroupHandle } from './cgroup-limiter';
import { EgressProxy } from './egress-proxy';
import {
  resolveLocalSandboxOptions,
  type LocalSandboxOptions,
  type ResolvedLocalSandboxOptions,
} from './local-sandbox.options';
import { runProcess, type RunOutcome } from './process-runner';
import { WorkspaceVolume } from './workspace-volume';
import { writeWorkspaceFiles } from './workspace-writer';

export const LOCAL_TEMPLATES = ['base'] as const;

/** What the availability probe established once; every command is launched the same way. */
interface HostSetup {
  /** Set when the service is root: the sandbox runs as this unprivileged host uid (so rlimits bind). */
  owner?: { uid: number; gid: number };
  limiter?: CgroupLimiter;
  etcDir: string;
}

interface LocalSessionState {
  session: SandboxSession;
  dir: string;
  /** Bound at /workspace (the mount point of `volume` when there is one). */
  workspace: string;
  /** The size-capped tmpfs behind /workspace, unless the cap is off. */
  volume?: WorkspaceVolume;
  proxy?: EgressProxy;
  /** Operations on one session run one at a time (uploads must not race a command planting symlinks). */
  queue: Promise<unknown>;
  running?: AbortController;
  destroyed: boolean;
}

/**
 * Runs commands with bubblewrap on this host. One directory per session holds
 * the writable /workspace (a size-capped tmpfs, see WorkspaceVolume) and, when
 * the session may reach the network, the unix socket of its egress proxy. Each
 * `execute` is a fresh bwrap (a fresh PID namespace), so nothing a command
 * starts outlives it. Sessions live on this replica only.
 */
export class LocalBwrapSandboxProvider extends SandboxProvider {
  readonly name = 'local' as const;
  private readonly options: ResolvedLocalSandboxOptions;
  private readonly sessions = new Map<string, LocalSessionState>();
  private setup?: Promise<HostSetup>;
  private socatChecked?: Promise<void>;
  private readonly logger = new Logger('SandboxEgress');

  constructor(options: LocalSandboxOptions = {}) {
    super();
    this.options = resolveLocalSandboxOptions(options);
  }

  /** How memory/pids are limited here (for logs and docs/sandbox.md's claims). */
  async limitMechanism(): Promise<string> {
    const setup = await this.ready();
    return setup.limiter
      ? setup.limiter.description
      : `rlimits (RLIMIT_NPROC, RLIMIT_DATA) as host uid ${setup.owner?.uid ?? process.getuid?.()}`;
  }

  async assertAvailable(): Promise<void> {
    await this.ready();
  }

  async create(template: string, options: CreateSessionOptions = {}): Promise<SandboxSession> {
    if (!(LOCAL_TEMPLATES as readonly string[]).includes(template)) {
      throw new SandboxError(
        'SANDBOX_TEMPLATE_UNKNOWN',
        `Template ${JSON.stringify(template)} is not available on the local provider (available: ${LOCAL_TEMPLATES.join(', ')}).`,
        {
          template,
        },
      );
    }
    const setup = await this.ready();
    const allowedDomains = parseAllowedDomains(options.allowedDomains);
    if (allowedDomains.length > 0) await this.assertSocat();
    const ttlMs = Math.min(options.ttlMs ?? this.options.maxSessionTtlMs, this.options.maxSessionTtlMs);
    const id = 'lsb_' + randomBytes(12).toString('hex');
    const dir = join(this.options.workspaceRoot, id);
    const workspace = join(dir, 'workspace');
    await mkdir(dir, { mode: 0o711 });
    const volume = await this.prepareWorkspace(setup, workspace).catch(async (error: unknown) => {
      await rm(dir, { recursive: true, force: true });
      throw error;
    });
    const now = new Date();
    const session: SandboxSession = {
      id,
      provider: 'local',
      template,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttlMs),
      runId: options.runId,
      allowedDomains,
    };
    const state: LocalSessionState = { session, dir, workspace, volume, queue: Promise.resolve(), destroyed: false };
    try {
      if (allowedDomains.length > 0) state.proxy = await this.startProxy(session, join(dir, 'egress.sock'));
    } catch (error) {
      await volume?.destroy();
      await rm(dir, { recursive: true, force: true });
      throw new SandboxError(
        'SANDBOX_PROVIDER_FAILED',
        `Could not start the egress proxy: ${(error as Error).message}`,
      );
    }
    this.sessions.set(id, state);
    return { ...session };
  }

  async uploadFiles(session: SandboxSession, files: UploadFile[]): Promise<void> {
    const state = this.state(session.id);
    checkUploadSize(files, { maxFiles: this.options.maxUploadFiles, maxTotalBytes: this.options.maxUploadBytes });
    const confined = files.map((file) => ({ path: confineUploadPath(file.path), content: Buffer.from(file.content) }));
    const setup = await this.ready();
    const target = state.volume?.hostPath ?? state.workspace;
    await this.serialised(state, () =>
      writeWorkspaceFiles(target, confined, setup.owner, (path, error) =>
        error.code === 'ENOSPC' ? this.workspaceFull(path) : error,
      ),
    );
  }

  async execute(
    session: SandboxSession,
    command: string,
    timeoutMs: number,
    options: ExecuteOptions = {},
  ): Promise<ExecuteResult> {
    const state = this.state(session.id);
    validateTimeout(timeoutMs, this.options.maxTimeoutMs);
    const env = validateCommandEnv(options.env);
    const cwd = confineCwd(options.cwd);
    const setup = await this.ready();
    return this.serialised(state, async () => {
      if (state.destroyed) throw sessionNotFound(session.id);
      const abort = new AbortController();
      state.running = abort;
      const stopOnCallerAbort = () => abort.abort();
      if (options.signal?.aborted) abort.abort();
      options.signal?.addEventListener('abort', stopOnCallerAbort, { once: true });
      try {
        return await this.runSandboxed(setup, {
          workspace: state.workspace,
          volume: state.volume,
          cwd,
          env: { ...baseEnvironment(), ...env, ...(state.proxy ? proxyEnvironment() : {}) },
          egressSocket: state.proxy ? join(state.dir, 'egress.sock') : undefined,
          command,
          timeoutMs,
          signal: abort.signal,
          onOutput: options.onOutput,
        });
      } finally {
        options.signal?.removeEventListener('abort', stopOnCallerAbort);
        state.running = undefined;
      }
    });
  }

  async destroy(session: SandboxSession): Promise<void> {
    const state = this.sessions.get(session.id);
    if (!state || state.destroyed) return;
    state.destroyed = true;
    this.sessions.delete(session.id);
    state.running?.abort();
    await state.queue.catch(() => undefined);
    await state.volume?.destroy();
    await state.proxy?.close().catch(() => undefined);
    await rm(state.dir, { recursive: true, force: true });
  }

  reconnect(): Promise<SandboxSession | undefined> {
    // A local session's workspace is a directory on this host: other replicas cannot serve it.
    return Promise.resolve(undefined);
  }

  /** Destroys every session (service shutdown). */
  async destroyAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((state) => this.destroy(state.session)));
  }

  private async runSandboxed(
    setup: HostSetup,
    spec: {
      workspace: string;
      volume?: WorkspaceVolume;
      cwd: string;
      env: Record<string, string>;
      egressSocket?: string;
      command: string;
      timeoutMs: number;
      signal?: AbortSignal;
      onOutput?: ExecuteOptions['onOutput'];
    },
  ): Promise<ExecuteResult> {
    let group: CgroupHandle | undefined;
    if (setup.limiter) {
      try {
        group = await setup.limiter.create('exec-' + randomBytes(8).toString('hex'), {
          memoryBytes: this.options.memoryBytes,
          pids: this.options.pids,
        });
      } catch (error) {
        throw new SandboxError(
          'SANDBOX_UNAVAILABLE',
          `Could not create the command's cgroup: ${(error as Error).message}`,
        );
      }
    }
    try {
      const argv = [
        ...this.launcher(setup, group, spec.volume),
        this.options.bwrapPath,
        '--json-status-fd',
        '3',
        ...buildBwrapArgs({
          workspace: spec.workspace,
          etcDir: setup.etcDir,
          tmpSizeBytes: this.options.tmpSizeBytes,
          cwd: spec.cwd,
          env: spec.env,
          egressSocket: spec.egressSocket,
        }),
        '--',
        ...commandArgv(spec.command, spec.egressSocket !== undefined),
      ];
      const outcome = await runProcess({
        argv,
        timeoutMs: spec.timeoutMs,
        outputCapBytes: this.options.outputCapBytes,
        captureFd3: true,
        signal: spec.signal,
        onOutput: spec.onOutput,
        onTimeout: () => group?.killAll(),
      });
      assertSandboxStarted(outcome);
      const { spawnError: _spawnError, fd3: _fd3, ...result } = outcome;
      return result;
    } finally {
      if (group) {
        await group.killAll();
        await group.remove();
      }
    }
  }

  /**
   * The chain in front of bwrap: join the cgroup (a shell that writes its own
   * pid before exec, so no child can be forked outside the limits), enter the
   * namespaces holding the session's workspace volume, drop to the unprivileged
   * host uid with no capabilities, then set rlimits.
   */
  private launcher(setup: HostSetup, group: CgroupHandle | undefined, volume: WorkspaceVolume | undefined): string[] {
    const argv: string[] = [];
    if (group) {
      argv.push(
        '/bin/sh',
        '-c',
        'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n-1)); done; exec "$@"',
        'sandbox-launcher',
        String(group.procsFiles.length),
        ...group.procsFiles,
      );
    }
    // A non-root service enters the volume's namespaces as root there (capabilities in them only);
    // bwrap needs that to map the sandbox uid, and leaves the sandbox none (unprivileged spec).
    if (volume) argv.push(...volume.enterArgs());
    if (setup.owner) {
      argv.push(
        'setpriv',
        `--reuid=${setup.owner.uid}`,
        `--regid=${setup.owner.gid}`,
        '--clear-groups',
        '--no-new-privs',
        '--inh-caps=-all',
        '--bounding-set=-all',
      );
    }
    argv.push('prlimit', '--core=0', `--fsize=${this.options.maxFileBytes}`);
    if (!setup.limiter) argv.push(`--nproc=${this.options.pids}`, `--data=${this.options.memoryBytes}`);
    argv.push('--');
    return argv;
  }

  private ready(): Promise<HostSetup> {
    if (!this.setup) {
      this.setup = this.prepareHost();
      // A failed probe is retried on the next call (bubblewrap may be installed meanwhile).
      this.setup.catch(() => (this.setup = undefined));
    }
    return this.setup;
  }

  private async prepareHost(): Promise<HostSetup> {
    await requireExecutable(
      this.options.bwrapPath,
      ['--version'],
      'bubblewrap (bwrap) is not installed, so sandboxed commands cannot run and none will run unsandboxed. Install it (Debian/Ubuntu: `apt-get install bubblewrap socat`; Fedora: `dnf install bubblewrap socat`) or use the E2B provider (SANDBOX_PROVIDER=e2b with E2B_API_KEY).',
    );
    const isRoot = process.getuid?.() === 0;
    if (isRoot) {
      await requireExecutable(
        'setpriv',
        ['--version'],
        'setpriv (util-linux) is needed to run the sandbox as an unprivileged host uid; install util-linux.',
      );
    }
    await requireExecutable(
      'prlimit',
      ['--version'],
      'prlimit (util-linux) is needed to apply resource limits; install util-linux.',
    );
    if (this.options.workspaceMaxBytes > 0) {
      for (const tool of ['unshare', 'nsenter']) {
        await requireExecutable(
          tool,
          ['--version'],
          `${tool} (util-linux) is needed for the size-capped workspace; install util-linux, or set SANDBOX_WORKSPACE_MB=0 to run without the cap.`,
        );
      }
    }
    await this.prepareWorkspaceRoot();
    const etcDir = join(this.options.workspaceRoot, '.etc');
    await mkdir(etcDir, { recursive: true, mode: 0o755 });
    await writeFile(
      join(etcDir, 'passwd'),
      `sandbox:x:${SANDBOX_UID}:${SANDBOX_UID}:sandbox:/workspace:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
      { mode: 0o644 },
    );
    await writeFile(join(etcDir, 'group'), `sandbox:x:${SANDBOX_UID}:\nnogroup:x:65534:\n`, { mode: 0o644 });
    await writeFile(join(etcDir, 'hosts'), '127.0.0.1 localhost sandbox\n::1 localhost ip6-localhost\n', {
      mode: 0o644,
    });
    const limiter =
      this.options.limitMode === 'auto' && isRoot ? await CgroupLimiter.detect(this.options.cgroupName) : undefined;
    const setup: HostSetup = {
      owner: isRoot ? { uid: this.options.hostUid, gid: this.options.hostGid } : undefined,
      limiter,
      etcDir,
    };
    await this.smokeTest(setup);
    return setup;
  }

  private async prepareWorkspaceRoot(): Promise<void> {
    const root = this.options.workspaceRoot;
    await mkdir(root, { recursive: true, mode: 0o711 });
    const stat = await lstat(root);
    // A shared /tmp: refuse a root someone else created (they could swap session directories).
    if (stat.isSymbolicLink() || !stat.isDirectory() || stat.uid !== process.getuid?.() || (stat.mode & 0o022) !== 0) {
      throw new SandboxError(
        'SANDBOX_UNAVAILABLE',
        `The sandbox workspace root ${root} must be a directory owned by the service and not group/world writable.`,
      );
    }
  }

  /**
   * Runs `true` the way every command runs (workspace volume included), so a
   * host without user namespaces is reported up front.
   */
  private async smokeTest(setup: HostSetup): Promise<void> {
    const dir = join(this.options.workspaceRoot, `.smoke-${randomBytes(6).toString('hex')}`);
    await mkdir(dir, { mode: 0o711 });
    try {
      const workspace = join(dir, 'workspace');
      const volume = await this.prepareWorkspace(setup, workspace);
      try {
        const result = await this.runSandboxed(setup, {
          workspace,
          volume,
          cwd: '/workspace',
          env: baseEnvironment(),
          command: 'true',
          timeoutMs: 10000,
        });
        if (result.exit_code !== 0) throw new Error(result.stderr.trim() || `exit ${result.exit_code}`);
      } catch (error) {
        throw new SandboxError(
          'SANDBOX_UNAVAILABLE',
          `bubblewrap is installed but cannot create a sandbox here (${(error as Error).message}). It needs unprivileged user namespaces: in a container, allow them (e.g. Docker --security-opt seccomp=unconfined or a profile permitting clone/unshare of user namespaces; Kubernetes: a node with user namespaces enabled), and kernel.unprivileged_userns_clone=1 / user.max_user_namespaces>0 on the host.`,
        );
      } finally {
        await volume?.destroy();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private assertSocat(): Promise<void> {
    if (!this.socatChecked) {
      this.socatChecked = requireExecutable(
        this.options.socatPath,
        ['-V'],
        'socat is not installed; it bridges the egress proxy into the sandbox, so allowed_domains cannot be honoured. Install it (`apt-get install socat`) or omit allowed_domains.',
      );
      this.socatChecked.catch(() => (this.socatChecked = undefined));
    }
    return this.socatChecked;
  }

  private async startProxy(session: SandboxSession, socketPath: string): Promise<EgressProxy> {
    const check = this.options.egressCheck;
    const proxy = new EgressProxy({
      socketPath,
      sessionId: session.id,
      runId: session.runId,
      allowedDomains: session.allowedDomains,
      allowedPorts: this.options.egressAllowedPorts,
      denyPrivateAddresses: this.options.egressDenyPrivateAddresses,
      resolve: this.options.egressResolve,
      check: check ? (host, port) => check(host, port, session.runId) : undefined,
      log: this.options.egressLog ?? ((decision) => this.logger.log(decision)),
    });
    await proxy.listen();
    return proxy;
  }

  private state(sessionId: string): LocalSessionState {
    const state = this.sessions.get(sessionId);
    if (!state || state.destroyed) throw sessionNotFound(sessionId);
    if (state.volume && !state.volume.alive) {
      // Its files went with the holder process: nothing is left to serve.
      void this.destroy(state.session);
      throw new SandboxError(
        'SANDBOX_SESSION_NOT_FOUND',
        `Sandbox session ${sessionId} lost its workspace and was destroyed; create a new one.`,
        { sessionId },
      );
    }
    return state;
  }

  /**
   * Makes the session's /workspace: a size-capped tmpfs volume, or with the cap
   * off a plain directory owned by the sandbox's host uid.
   */
  private async prepareWorkspace(setup: HostSetup, workspace: string): Promise<WorkspaceVolume | undefined> {
    await mkdir(workspace, { mode: 0o755 });
    const sizeBytes = this.options.workspaceMaxBytes;
    if (sizeBytes <= 0) {
      if (setup.owner) await chown(workspace, setup.owner.uid, setup.owner.gid);
      return undefined;
    }
    try {
      return await WorkspaceVolume.create({
        mountPoint: workspace,
        sizeBytes,
        maxInodes: Math.max(4096, Math.floor(sizeBytes / 8192)),
        sandboxOwner: setup.owner,
      });
    } catch (error) {
      throw new SandboxError(
        'SANDBOX_UNAVAILABLE',
        `Could not create the size-capped workspace (${(error as Error).message}). It needs unshare, nsenter and mount (util-linux) and unprivileged user namespaces, like bubblewrap; SANDBOX_WORKSPACE_MB=0 turns the cap off.`,
      );
    }
  }

  private workspaceFull(path: string): SandboxError {
    return new SandboxError(
      'SANDBOX_UPLOAD_TOO_LARGE',
      `The workspace is full (at most ${this.options.workspaceMaxBytes} bytes); ${JSON.stringify(path)} was not written.`,
      { path, maxBytes: this.options.workspaceMaxBytes },
    );
  }

  private serialised<T>(state: LocalSessionState, work: () => Promise<T>): Promise<T> {
    const next = state.queue.then(work, work);
    state.queue = next.catch(() => undefined);
    return next;
  }
}

/** bwrap reports `child-pid` on fd 3 once the sandbox is set up; without it the sandbox never started. */
function assertSandboxStarted(outcome: RunOutcome): void {
  if (outcome.spawnError) {
    throw new SandboxError('SANDBOX_UNAVAILABLE', `The sandbox could not be started: ${outcome.spawnError.message}`);
  }
  if (!outcome.fd3.includes('"child-pid"') && !outcome.timed_out) {
    const why =
      outcome.stderr.split('\n').find((line) => line.startsWith('bwrap:')) ?? outcome.stderr.trim().slice(0, 300);
    throw new SandboxError(
      'SANDBOX_UNAVAILABLE',
      `The sandbox could not be set up: ${why || 'exit ' + outcome.exit_code}`,
    );
  }
}

function requireExecutable(command: string, args: string[], message: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    child.on('error', () => reject(new SandboxError('SANDBOX_UNAVAILABLE', message)));
    child.on('close', () => resolve());
  });
}
