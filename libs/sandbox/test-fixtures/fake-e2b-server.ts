import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalBwrapSandboxProvider } from '../src/adapters/local/local-bwrap-sandbox.provider';
import type { LocalSandboxOptions } from '../src/adapters/local/local-sandbox.options';
import type { SandboxSession } from '../src/sandbox.types';

/**
 * A stand-in for E2B's control plane and envd data plane, speaking the wire
 * protocol of the pinned `e2b` SDK (2.51.0) so the real SDK code path runs in
 * tests without the cloud. Point the SDK at it with `apiUrl` and `sandboxUrl`
 * set to `url` (envd requests carry `E2b-Sandbox-Id`, so one server serves all
 * sandboxes). Commands really run, in the local bubblewrap sandbox, with
 * /workspace as the writable directory.
 *
 * Control plane: POST /v2/sandboxes, POST /v2/sandboxes/{id}/connect,
 * GET /sandboxes/{id}, DELETE /sandboxes/{id}.
 * envd: POST /files (multipart), GET /health, Connect RPC
 * process.Process/Start (server streaming, JSON envelopes) and /SendSignal.
 */
export class FakeE2bServer {
  readonly createRequests: Record<string, unknown>[] = [];
  readonly sandboxes = new Map<
    string,
    { session: SandboxSession; token: string; body: Record<string, unknown>; startedAt: Date; endAt: Date }
  >();
  private readonly running = new Map<number, AbortController>();
  private nextPid = 100;
  private server?: Server;
  private readonly engine: LocalBwrapSandboxProvider;
  url = '';

  constructor(
    engineOptions: LocalSandboxOptions,
    private readonly apiKey: string,
  ) {
    this.engine = new LocalBwrapSandboxProvider({
      // E2B streams everything; the provider under test applies its own cap.
      outputCapBytes: 64 * 1024 * 1024,
      ...engineOptions,
      maxUploadBytes: 64 * 1024 * 1024,
      maxUploadFiles: 10_000,
    });
  }

  async start(): Promise<this> {
    await this.engine.assertAvailable();
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => json(res, 500, { code: 500, message: String(error) }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const abort of this.running.values()) abort.abort();
    await this.engine.destroyAll();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    if (path.startsWith('/v2/sandboxes') || path.startsWith('/sandboxes')) {
      if (req.headers['x-api-key'] !== this.apiKey) return json(res, 401, { code: 401, message: 'Invalid API key' });
      return this.controlPlane(req, res, path);
    }
    const sandbox = this.sandboxes.get(String(req.headers['e2b-sandbox-id'] ?? ''));
    if (path === '/health') return void res.writeHead(204).end();
    if (!sandbox) return json(res, 502, { code: 502, message: 'sandbox not found' });
    if (req.headers['x-access-token'] !== sandbox.token)
      return json(res, 401, { code: 401, message: 'bad access token' });
    if (path === '/files' && req.method === 'POST') return this.writeFiles(req, res, sandbox.session, url);
    if (path === '/process.Process/Start') return this.startProcess(req, res, sandbox.session);
    if (path === '/process.Process/SendSignal') {
      const body = JSON.parse((await readBody(req)).toString('utf8')) as { process?: { selector?: { pid?: number } } };
      this.running.get(Number(body.process?.selector?.pid))?.abort();
      return json(res, 200, {});
    }
    json(res, 404, { code: 404, message: `no route ${path}` });
  }

  private async controlPlane(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const body =
      req.method === 'POST'
        ? (JSON.parse((await readBody(req)).toString('utf8') || '{}') as Record<string, unknown>)
        : {};
    if (req.method === 'POST' && path === '/v2/sandboxes') {
      this.createRequests.push(body);
      if (body.templateID !== 'base')
        return json(res, 404, { code: 404, message: `template '${String(body.templateID)}' not found` });
      const session = await this.engine.create('base', { ttlMs: Number(body.timeout ?? 300) * 1000 });
      const id = 'fake' + session.id.slice(4, 16);
      const startedAt = new Date();
      this.sandboxes.set(id, {
        session,
        token: randomBytes(8).toString('hex'),
        body,
        startedAt,
        endAt: new Date(startedAt.getTime() + Number(body.timeout ?? 300) * 1000),
      });
      return json(res, 201, this.describe(id));
    }
    const match = /^(?:\/v2)?\/sandboxes\/([^/]+)(\/connect)?$/.exec(path);
    const sandbox = match ? this.sandboxes.get(match[1]) : undefined;
    if (!match || !sandbox) return json(res, 404, { code: 404, message: 'sandbox not found' });
    if (req.method === 'POST' && match[2]) return json(res, 200, this.describe(match[1]));
    if (req.method === 'GET') {
      return json(res, 200, {
        ...this.describe(match[1]),
        metadata: sandbox.body.metadata ?? {},
        startedAt: sandbox.startedAt.toISOString(),
        endAt: sandbox.endAt.toISOString(),
        state: 'running',
        cpuCount: 2,
        memoryMB: 512,
      });
    }
    if (req.method === 'DELETE') {
      this.sandboxes.delete(match[1]);
      await this.engine.destroy(sandbox.session);
      return void res.writeHead(204).end();
    }
    json(res, 405, { code: 405, message: 'method not allowed' });
  }

  private describe(id: string): Record<string, unknown> {
    const sandbox = this.sandboxes.get(id);
    return {
      sandboxID: id,
      templateID: 'base',
      clientID: 'fake',
      envdVersion: '0.5.7',
      envdAccessToken: sandbox?.token,
      domain: null,
    };
  }

  /** Multipart upload; each part's filename is the target path (only /workspace/… is writable here). */
  private async writeFiles(
    req: IncomingMessage,
    res: ServerResponse,
    session: SandboxSession,
    url: URL,
  ): Promise<void> {
    const form = await new Request(url, {
      method: 'POST',
      headers: req.headers as Record<string, string>,
      body: await readBody(req),
    }).formData();
    const written: Record<string, string>[] = [];
    for (const [, value] of form.entries()) {
      if (typeof value === 'string') continue;
      const target = (value as File).name || url.searchParams.get('path') || '';
      if (!target.startsWith('/workspace/'))
        return json(res, 400, { code: 400, message: `path ${target} is not writable` });
      try {
        await this.engine.uploadFiles(session, [{ path: target, content: Buffer.from(await value.arrayBuffer()) }]);
      } catch (error) {
        return json(res, 400, { code: 400, message: (error as Error).message });
      }
      written.push({ name: target.split('/').pop() ?? '', type: 'file', path: target });
    }
    json(res, 200, written);
  }

  /** Connect server streaming: 5-byte envelopes (flags, big-endian length) around JSON messages. */
  private async startProcess(req: IncomingMessage, res: ServerResponse, session: SandboxSession): Promise<void> {
    const request = JSON.parse(unenvelope(await readBody(req))) as {
      process: { args?: string[]; envs?: Record<string, string>; cwd?: string };
    };
    const command = request.process.args?.at(-1) ?? '';
    const deadlineMs = Number(req.headers['connect-timeout-ms'] ?? 60_000);
    const pid = this.nextPid++;
    const abort = new AbortController();
    this.running.set(pid, abort);
    req.on('close', () => abort.abort());
    res.writeHead(200, { 'content-type': 'application/connect+json' });
    res.write(envelope(0, { event: { start: { pid } } }));
    const cwd = request.process.cwd?.replace(/^\/workspace\/?/, '') || undefined;
    try {
      const result = await this.engine.execute(session, command, deadlineMs + 1000, {
        cwd,
        env: request.process.envs,
        signal: abort.signal,
        onOutput: (stream, chunk) => {
          if (!res.destroyed) res.write(envelope(0, { event: { data: { [stream]: chunk.toString('base64') } } }));
        },
      });
      res.write(
        envelope(0, {
          event: { end: { exitCode: result.exit_code, exited: true, status: `exit status ${result.exit_code}` } },
        }),
      );
      res.end(envelope(2, {}));
    } finally {
      this.running.delete(pid);
    }
  }
}

function envelope(flags: number, message: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(message));
  const header = Buffer.alloc(5);
  header.writeUInt8(flags, 0);
  header.writeUInt32BE(payload.length, 1);
  return Buffer.concat([header, payload]);
}

function unenvelope(body: Buffer): string {
  return body.length >= 5 ? body.subarray(5, 5 + body.readUInt32BE(1)).toString('utf8') : '{}';
}

function json(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
