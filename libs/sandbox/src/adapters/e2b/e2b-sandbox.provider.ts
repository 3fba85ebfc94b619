import type { CommandHandle, Sandbox, SandboxOpts } from 'e2b';
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
import type { E2bSandboxOptions } from './e2b-sandbox.options';
import { loadE2bSdk, type E2bSdk } from './e2b-sdk';

/** Metadata keys stored on the E2B sandbox so any replica can rebuild the session from its id. */
const META = {
  marker: 'safety_api',
  runId: 'run_id',
  allowedDomains: 'allowed_domains',
  expiresAt: 'expires_at',
  template: 'template',
} as const;

/** Creates /workspace owned by the template user (files and commands use the same paths as the local provider). */
const PREPARE_WORKSPACE = 'install -d -o user -g user /workspace 2>/dev/null || mkdir -p /workspace';

/**
 * The E2B cloud through the official SDK (pinned). `allowed_domains` becomes
 * `network.allowOut` with everything else denied (no domains: no internet);
 * a non-zero exit (`CommandExitError`) and a timeout (`TimeoutError`) are
 * results, not exceptions. Sessions are addressable from any replica: their
 * facts live in the sandbox's metadata and `reconnect` reattaches by id.
 */
export class E2bSandboxProvider extends SandboxProvider {
  readonly name = 'e2b' as const;
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly outputCapBytes: number;
  private readonly maxTimeoutMs: number;
  private readonly maxSessionTtlMs: number;
  private readonly sdk: E2bSdk;

  constructor(private readonly options: E2bSandboxOptions) {
    super();
    this.sdk = loadE2bSdk();
    this.outputCapBytes = options.outputCapBytes ?? 1024 * 1024;
    this.maxTimeoutMs = options.maxTimeoutMs ?? 10 * 60 * 1000;
    this.maxSessionTtlMs = options.maxSessionTtlMs ?? 60 * 60 * 1000;
  }

  assertAvailable(): Promise<void> {
    if (!this.options.apiKey) {
      return Promise.reject(new SandboxError('SANDBOX_UNAVAILABLE', 'The E2B provider needs E2B_API_KEY.'));
    }
    return Promise.resolve();
  }

  async create(template: string, options: CreateSessionOptions = {}): Promise<SandboxSession> {
    await this.assertAvailable();
    const allowedDomains = parseAllowedDomains(options.allowedDomains);
    const ttlMs = Math.min(options.ttlMs ?? this.maxSessionTtlMs, this.maxSessionTtlMs);
    const createdAt = new Date();
    const expiresAt = new Date(createdAt.getTime() + ttlMs);
    const metadata: Record<string, string> = {
      [META.marker]: '1',
      [META.template]: template,
      [META.expiresAt]: expiresAt.toISOString(),
      [META.allowedDomains]: allowedDomains.join(','),
      ...(options.runId ? { [META.runId]: options.runId } : {}),
    };
    let sandbox: Sandbox;
    try {
      sandbox = await this.sdk.Sandbox.create(template, {
        ...this.connection(),
        timeoutMs: ttlMs,
        metadata,
        ...(allowedDomains.length === 0
          ? { allowInternetAccess: false }
          : { network: { allowOut: allowedDomains, denyOut: [this.sdk.ALL_TRAFFIC] } }),
      });
    } catch (error) {
      if (error instanceof this.sdk.NotFoundError || Reflect.get(error as object, 'statusCode') === 404) {
        throw new SandboxError('SANDBOX_TEMPLATE_UNKNOWN', `E2B has no template ${JSON.stringify(template)}.`, {
          template,
        });
      }
      throw unavailable(error);
    }
    try {
      await sandbox.commands.run(PREPARE_WORKSPACE, { user: 'root', timeoutMs: 30_000 });
    } catch (error) {
      await sandbox.kill().catch(() => undefined);
      throw unavailable(error);
    }
    this.sandboxes.set(sandbox.sandboxId, sandbox);
    return {
      id: sandbox.sandboxId,
      provider: 'e2b',
      template,
      createdAt,
      expiresAt,
      runId: options.runId,
      allowedDomains,
    };
  }

  async uploadFiles(session: SandboxSession, files: UploadFile[]): Promise<void> {
    checkUploadSize(files, {
      maxFiles: this.options.maxUploadFiles ?? 100,
      maxTotalBytes: this.options.maxUploadBytes ?? 10 * 1024 * 1024,
    });
    const entries = files.map((file) => {
      const content = Buffer.from(file.content);
      return {
        path: '/workspace/' + confineUploadPath(file.path),
        data: content.buffer.slice(content.byteOffset, content.byteOffset + content.byteLength) as ArrayBuffer,
      };
    });
    const sandbox = await this.sandbox(session.id);
    try {
      // Symlink tricks are the VM's own business here: the whole VM is the sandbox, there is no host path to reach.
      await sandbox.files.write(entries);
    } catch (error) {
      throw this.mapSessionError(session.id, error);
    }
  }

  async execute(
    session: SandboxSession,
    command: string,
    timeoutMs: number,
    options: ExecuteOptions = {},
  ): Promise<ExecuteResult> {
    validateTimeout(timeoutMs, this.maxTimeoutMs);
    const envs = validateCommandEnv(options.env);
    const cwd = confineCwd(options.cwd);
    const sandbox = await this.sandbox(session.id);
    const stdout = new CappedText(this.outputCapBytes);
    const stderr = new CappedText(this.outputCapBytes);
    const started = Date.now();
    const finish = (exitCode: number, timedOut: boolean): ExecuteResult => ({
      exit_code: exitCode,
      stdout: stdout.text,
      stderr: stderr.text,
      timed_out: timedOut,
      duration_ms: Date.now() - started,
      truncated: stdout.truncated || stderr.truncated,
    });
    let handle: CommandHandle;
    try {
      handle = await sandbox.commands.run(command, {
        background: true,
        cwd,
        envs,
        timeoutMs,
        onStdout: (data) => tapKept(options, 'stdout', stdout.add(data)),
        onStderr: (data) => tapKept(options, 'stderr', stderr.add(data)),
      });
    } catch (error) {
      throw this.mapSessionError(session.id, error);
    }
    const onAbort = () => void handle.kill().catch(() => undefined);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await handle.wait();
      return finish(result.exitCode, false);
    } catch (error) {
      if (error instanceof this.sdk.CommandExitError) return finish(error.exitCode, false);
      if (error instanceof this.sdk.TimeoutError) {
        // envd kills only the direct child on a deadline; ask for the process to be killed, and the session's destroy kills the VM.
        await handle.kill().catch(() => undefined);
        return finish(137, true);
      }
      throw this.mapSessionError(session.id, error);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  async destroy(session: SandboxSession): Promise<void> {
    this.sandboxes.delete(session.id);
    try {
      await this.sdk.Sandbox.kill(session.id, this.connection());
    } catch {
      // Already gone, or E2B will kill it at its timeout anyway; destroy never fails the caller.
    }
  }

  async reconnect(sessionId: string): Promise<SandboxSession | undefined> {
    try {
      const info = await this.sdk.Sandbox.getInfo(sessionId, this.connection());
      const metadata = info.metadata ?? {};
      if (metadata[META.marker] !== '1') return undefined;
      this.sandboxes.set(sessionId, await this.sdk.Sandbox.connect(sessionId, this.connection()));
      return {
        id: sessionId,
        provider: 'e2b',
        template: metadata[META.template] ?? info.templateId,
        createdAt: info.startedAt,
        expiresAt: new Date(metadata[META.expiresAt] ?? info.endAt),
        runId: metadata[META.runId] || undefined,
        allowedDomains: (metadata[META.allowedDomains] ?? '').split(',').filter(Boolean),
      };
    } catch (error) {
      if (error instanceof this.sdk.NotFoundError) return undefined;
      throw unavailable(error);
    }
  }

  private async sandbox(sessionId: string): Promise<Sandbox> {
    const known = this.sandboxes.get(sessionId);
    if (known) return known;
    try {
      const sandbox = await this.sdk.Sandbox.connect(sessionId, this.connection());
      this.sandboxes.set(sessionId, sandbox);
      return sandbox;
    } catch (error) {
      if (error instanceof this.sdk.NotFoundError) throw sessionNotFound(sessionId);
      throw unavailable(error);
    }
  }

  private mapSessionError(sessionId: string, error: unknown): SandboxError {
    if (error instanceof SandboxError) return error;
    if (error instanceof this.sdk.SandboxNotFoundError) {
      this.sandboxes.delete(sessionId);
      return sessionNotFound(sessionId);
    }
    return unavailable(error);
  }

  private connection(): SandboxOpts {
    return {
      apiKey: this.options.apiKey,
      requestTimeoutMs: this.options.requestTimeoutMs ?? 30_000,
      ...(this.options.domain ? { domain: this.options.domain } : {}),
      ...(this.options.apiUrl ? { apiUrl: this.options.apiUrl } : {}),
      ...(this.options.sandboxUrl ? { sandboxUrl: this.options.sandboxUrl } : {}),
    };
  }
}

function unavailable(error: unknown): SandboxError {
  const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new SandboxError('SANDBOX_UNAVAILABLE', `The E2B sandbox service failed: ${why.slice(0, 300)}`);
}

function tapKept(options: ExecuteOptions, stream: 'stdout' | 'stderr', kept: string): void {
  if (kept !== '') options.onOutput?.(stream, Buffer.from(kept));
}

class CappedText {
  private parts: string[] = [];
  private bytes = 0;
  truncated = false;

  constructor(private readonly cap: number) {}

  /** Keeps what fits under the cap and returns it (empty once the cap is reached). */
  add(data: string): string {
    const size = Buffer.byteLength(data);
    if (this.bytes + size <= this.cap) {
      this.parts.push(data);
      this.bytes += size;
      return data;
    }
    this.truncated = true;
    const room = this.cap - this.bytes;
    if (room <= 0) return '';
    const kept = Buffer.from(data).subarray(0, room).toString('utf8');
    this.parts.push(kept);
    this.bytes = this.cap;
    return kept;
  }

  get text(): string {
    return this.parts.join('');
  }
}
