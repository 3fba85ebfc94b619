import { randomBytes } from 'node:crypto';
import { SandboxProvider } from '../ports/sandbox-provider.port';
import { sessionNotFound } from '../sandbox.errors';
import type { CreateSessionOptions, ExecuteOptions, ExecuteResult, SandboxSession, UploadFile } from '../sandbox.types';

export type ScriptedRun = (command: string, timeoutMs: number, files: Map<string, Buffer>) => Partial<ExecuteResult>;

/**
 * A SandboxProvider double for service specs: nothing runs; `script` decides
 * each result. Records every call so specs can assert what did (not) happen.
 */
export class InMemorySandboxProvider extends SandboxProvider {
  readonly name = 'local' as const;
  readonly calls: string[] = [];
  /** Size of the chunks scripted output is streamed in. */
  chunkBytes = 7;
  readonly live = new Map<string, { session: SandboxSession; files: Map<string, Buffer> }>();
  unavailable?: Error;

  constructor(private readonly script: ScriptedRun = () => ({})) {
    super();
  }

  async assertAvailable(): Promise<void> {
    if (this.unavailable) throw this.unavailable;
  }

  async create(template: string, options: CreateSessionOptions = {}): Promise<SandboxSession> {
    await this.assertAvailable();
    this.calls.push(`create ${template}`);
    const now = new Date();
    const session: SandboxSession = {
      id: 'mem_' + randomBytes(6).toString('hex'),
      provider: 'local',
      template,
      createdAt: now,
      expiresAt: new Date(now.getTime() + (options.ttlMs ?? 60_000)),
      runId: options.runId,
      allowedDomains: options.allowedDomains ?? [],
    };
    this.live.set(session.id, { session, files: new Map() });
    return session;
  }

  async uploadFiles(session: SandboxSession, files: UploadFile[]): Promise<void> {
    const entry = this.live.get(session.id);
    if (!entry) throw sessionNotFound(session.id);
    this.calls.push(`upload ${files.map((file) => file.path).join(',')}`);
    for (const file of files) entry.files.set(file.path, Buffer.from(file.content));
  }

  /** Scripted output is also streamed through `onOutput`, in chunks of `chunkBytes`, as a real provider would. */
  async execute(
    session: SandboxSession,
    command: string,
    timeoutMs: number,
    options: ExecuteOptions = {},
  ): Promise<ExecuteResult> {
    const entry = this.live.get(session.id);
    if (!entry) throw sessionNotFound(session.id);
    this.calls.push(`execute ${command}`);
    const result: ExecuteResult = {
      exit_code: 0,
      stdout: '',
      stderr: '',
      timed_out: false,
      duration_ms: 10,
      truncated: false,
      ...this.script(command, timeoutMs, entry.files),
    };
    for (const stream of ['stdout', 'stderr'] as const) {
      const bytes = Buffer.from(result[stream]);
      for (let at = 0; at < bytes.length; at += this.chunkBytes) {
        options.onOutput?.(stream, bytes.subarray(at, at + this.chunkBytes));
      }
    }
    return result;
  }

  async destroy(session: SandboxSession): Promise<void> {
    if (this.live.delete(session.id)) this.calls.push('destroy');
  }

  reconnect(): Promise<SandboxSession | undefined> {
    return Promise.resolve(undefined);
  }
}
