import { lookup } from 'node:dns/promises';
import { chmod, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { BlockList, connect, isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { EgressDecision } from '../../sandbox.types';
import { hostMatchesAllowlist, normaliseHost } from '../../domain-allowlist';

/** The answer of an extra check (PolicyGate's network rules) about a host the allowlist admits. */
export interface EgressCheckResult {
  allowed: boolean;
  reason: string;
  decisionId?: string;
}

export interface EgressProxySettings {
  socketPath: string;
  sessionId: string;
  runId?: string;
  allowedDomains: string[];
  allowedPorts: number[];
  /** Refuse hosts that resolve to loopback, private, link-local (cloud metadata) or CGNAT addresses. */
  denyPrivateAddresses: boolean;
  /** Asked after the allowlist admits a host; a refusal is logged with its decision id. */
  check?: (host: string, port: number) => Promise<EgressCheckResult>;
  /** Name resolution, done only after a host is allowed (denied names never reach DNS). */
  resolve?: (host: string) => Promise<string>;
  log: (decision: EgressDecision) => void;
}

const PRIVATE_RANGES = (() => {
  const list = new BlockList();
  for (const [net, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
  ] as const) {
    list.addSubnet(net, prefix, 'ipv4');
  }
  for (const [net, prefix] of [
    ['::1', 128],
    ['::', 128],
    ['fc00::', 7],
    ['fe80::', 10],
    ['::ffff:0:0', 96],
  ] as const) {
    list.addSubnet(net, prefix, 'ipv6');
  }
  return list;
})();

/**
 * One session's way out: an HTTP proxy on a unix socket outside the sandbox
 * (bind-mounted in, bridged to 127.0.0.1:3128 by socat). Only `CONNECT host:port`
 * to an allowlisted host name on an allowed port is tunnelled; plain HTTP, IP
 * literals and everything else get 403. Every decision is logged with the run id.
 */
export class EgressProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket | Duplex>();

  constructor(private readonly settings: EgressProxySettings) {
    this.server = createServer((req, res) => {
      const { host, port } = parseAbsoluteUrl(req);
      this.record('http', host, port, 'deny', 'plain-http-not-allowed');
      res.writeHead(403, 'Forbidden by egress policy: plain-http-not-allowed', {
        'content-type': 'text/plain',
        'x-safety-egress-refusal': 'plain-http-not-allowed',
        connection: 'close',
      });
      res.end('plain HTTP is not allowed from the sandbox; use HTTPS\n');
    });
    this.server.on(
      'connect',
      (req: IncomingMessage, client: Duplex, head: Buffer) => void this.onConnect(req, client, head),
    );
    this.server.on('connection', (socket: Socket) => this.track(socket));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.settings.socketPath, () => resolve());
    });
    // The sandbox runs as an unprivileged host uid; the socket's directory is what keeps others out.
    await chmod(this.settings.socketPath, 0o666);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.settings.socketPath, { force: true });
  }

  private async onConnect(req: IncomingMessage, client: Duplex, head: Buffer): Promise<void> {
    this.track(client);
    client.on('error', () => client.destroy());
    const target = parseAuthority(req.url ?? '');
    if (!target) return this.refuse(client, 'connect', req.url ?? '', 0, 'malformed-target', 400);
    const { host, port } = target;
    if (isIP(host)) return this.refuse(client, 'connect', host, port, 'ip-literal', 403);
    if (!this.settings.allowedPorts.includes(port))
      return this.refuse(client, 'connect', host, port, 'port-not-allowed', 403);
    if (!hostMatchesAllowlist(host, this.settings.allowedDomains)) {
      return this.refuse(client, 'connect', host, port, 'host-not-allowlisted', 403);
    }
    let decisionId: string | undefined;
    if (this.settings.check) {
      const verdict = await this.settings
        .check(host, port)
        .catch((): EgressCheckResult => ({ allowed: false, reason: 'policy-unavailable' }));
      decisionId = verdict.decisionId;
      if (!verdict.allowed)
        return this.refuse(client, 'connect', host, port, `policy-denied: ${verdict.reason}`, 403, decisionId);
    }
    let address: string;
    try {
      address = await (this.settings.resolve ?? defaultResolve)(host);
    } catch {
      return this.refuse(client, 'connect', host, port, 'dns-failed', 502, decisionId);
    }
    if (this.settings.denyPrivateAddresses && isPrivate(address)) {
      return this.refuse(client, 'connect', host, port, 'resolves-to-private-address', 403, decisionId);
    }
    this.record('connect', host, port, 'allow', 'allowlisted', decisionId);
    const upstream = connect({ host: address, port });
    this.track(upstream);
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => {
      if (client.writable && !upstream.readable) client.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\n\r\n');
      client.destroy();
    });
    client.on('close', () => upstream.destroy());
  }

  private refuse(
    client: Duplex,
    kind: 'connect',
    host: string,
    port: number,
    reason: string,
    status: number,
    decisionId?: string,
  ): void {
    this.record(kind, host, port, 'deny', reason, decisionId);
    // The program sees why, not a bare 403: in the status line (what most clients print), a header and the body.
    const why = `${reason.split(':')[0]} ${host}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
    const text = status === 403 ? 'Forbidden by egress policy' : status === 400 ? 'Bad Request' : 'Bad Gateway';
    client.end(
      `HTTP/1.1 ${status} ${text}: ${why}\r\ncontent-type: text/plain\r\nx-safety-egress-refusal: ${why}\r\n` +
        `connection: close\r\n\r\negress refused: ${reason.replace(/[\r\n]/g, ' ')} (${host}:${port})\n`,
    );
  }

  private record(
    kind: 'connect' | 'http',
    host: string,
    port: number,
    decision: 'allow' | 'deny',
    reason: string,
    decisionId?: string,
  ): void {
    this.settings.log({
      event: 'sandbox.egress',
      run_id: this.settings.runId ?? null,
      sandbox_session: this.settings.sessionId,
      kind,
      host,
      port,
      decision,
      reason,
      ...(decisionId ? { decision_id: decisionId } : {}),
      timestamp: new Date().toISOString(),
    });
  }

  private track(socket: Socket | Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }
}

function parseAuthority(authority: string): { host: string; port: number } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]/\s]+):(\d{1,5})$/.exec(authority);
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: normaliseHost(match[1].replace(/^\[|\]$/g, '')), port };
}

function parseAbsoluteUrl(req: IncomingMessage): { host: string; port: number } {
  try {
    const url = new URL(req.url ?? '', 'http://unknown');
    return { host: normaliseHost(url.hostname.replace(/^\[|\]$/g, '')), port: Number(url.port || 80) };
  } catch {
    return { host: String(req.headers.host ?? ''), port: 80 };
  }
}

function isPrivate(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE_RANGES.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

async function defaultResolve(host: string): Promise<string> {
  return (await lookup(host)).address;
}
