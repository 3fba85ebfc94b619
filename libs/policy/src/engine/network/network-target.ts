import { allow, approval, deny, type Finding } from '../finding';
import { ipInCidr, normaliseIp, type IpClass } from './ip-address';

export interface NetworkRules {
  allowlist: string[];
  loopback_ports: number[];
  /** Told of every destination judged (host as parsed), for user rules. */
  observe?: (host: string, port: number, method: string) => void;
}

export interface NetworkTarget {
  url?: string;
  domain?: string;
  port?: number;
  method?: string;
  resolved_ip?: string;
}

const READ_METHODS = ['GET', 'HEAD', 'OPTIONS'];
const WRITE_METHODS = ['POST', 'PUT', 'PATCH'];
const ALLOWED_SCHEMES = ['http:', 'https:', 'ws:', 'wss:'];
const METADATA_HOSTS = [
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.com',
];
const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 };

interface ParsedTarget {
  host: string;
  port: number;
  scheme: string;
  userinfo: boolean;
}

/**
 * Parses the target the way a browser/undici would (WHATWG URL: userinfo, backslashes,
 * IDNA to punycode, IPv4 number forms, trailing dot, case) and returns the host to judge.
 */
export function parseTarget(target: NetworkTarget): ParsedTarget | { error: string } {
  const raw = (target.url ?? target.domain ?? '').trim();
  if (raw === '') return { error: 'no url or domain given' };
  const hasScheme =
    /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) || (/^[a-z][a-z0-9+.-]*:[^0-9]/i.test(raw) && !/^[^:/]+:\d/.test(raw));
  let url: URL;
  try {
    url = new URL(hasScheme ? raw : `https://${raw}`);
  } catch {
    return { error: `"${raw}" is not a valid URL or host name` };
  }
  if (!ALLOWED_SCHEMES.includes(url.protocol)) return { error: `scheme ${url.protocol} is not allowed` };
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '')
    .toLowerCase();
  if (host === '') return { error: `"${raw}" has no host` };
  const explicitPort = target.port ?? (url.port ? Number(url.port) : undefined);
  return {
    host,
    port: explicitPort ?? DEFAULT_PORTS[url.protocol] ?? 443,
    scheme: url.protocol,
    userinfo: url.username !== '' || url.password !== '',
  };
}

/** Judges one network destination; findings name the host as parsed, not as written. */
export function judgeNetworkTarget(target: NetworkTarget, rules: NetworkRules): Finding[] {
  const parsed = parseTarget(target);
  if ('error' in parsed) return [deny('net.invalid_target', `Network target rejected: ${parsed.error}.`, 'medium')];
  const findings: Finding[] = [];
  const { host, port } = parsed;
  const method = (target.method ?? 'GET').trim().toUpperCase();
  rules.observe?.(host, port, method);
  const ip = normaliseIp(host);
  const listed = isAllowlisted(host, ip?.canonical, rules.allowlist);

  if (METADATA_HOSTS.includes(host) || ip?.cls === 'metadata') {
    return [
      deny(
        'net.metadata_endpoint',
        `${host} is a cloud metadata endpoint (credential theft); always denied.`,
        'critical',
      ),
    ];
  }
  if (host === 'localhost' || host.endsWith('.localhost') || ip?.cls === 'loopback') {
    if (!listed && !rules.loopback_ports.includes(port)) {
      findings.push(
        deny(
          'net.loopback',
          `Loopback address ${host} on port ${port} is not a dev-server port in the policy.`,
          'high',
        ),
      );
    }
  } else if (ip && ip.cls !== 'public') {
    if (!listed)
      findings.push(
        deny(ipRule(ip.cls), `${host} is a ${ip.cls} address (${ip.canonical}) and is not allowlisted.`, 'high'),
      );
  } else if (!listed) {
    findings.push(deny('net.host_not_allowlisted', `Host ${host} is not on the network allowlist.`, 'high'));
  }

  if (target.resolved_ip !== undefined) {
    const resolved = normaliseIp(String(target.resolved_ip));
    if (!resolved)
      findings.push(deny('net.invalid_target', `resolved_ip "${target.resolved_ip}" is not an IP address.`, 'medium'));
    else if (resolved.cls === 'metadata')
      findings.push(
        deny('net.metadata_endpoint', `${host} resolves to the metadata endpoint ${resolved.canonical}.`, 'critical'),
      );
    else if (
      resolved.cls !== 'public' &&
      !(ip && ip.cls === resolved.cls) &&
      !isAllowlisted(resolved.canonical, resolved.canonical, rules.allowlist)
    ) {
      findings.push(
        deny(
          'net.dns_rebinding',
          `${host} resolves to ${resolved.canonical}, a ${resolved.cls} address (DNS rebinding).`,
          'critical',
        ),
      );
    }
  }
  if (parsed.userinfo)
    findings.push(approval('net.credentials_in_url', `The URL for ${host} carries credentials in its userinfo.`));

  // A dev server on a loopback port the policy lists is the agent's own: any method, nothing leaves the machine.
  const localDevServer =
    (host === 'localhost' || host.endsWith('.localhost') || ip?.cls === 'loopback') &&
    rules.loopback_ports.includes(port);
  if (!localDevServer) {
    if (method === 'DELETE')
      findings.push(deny('net.destructive_method', `DELETE request to ${host}: destructive API call.`, 'high'));
    else if (WRITE_METHODS.includes(method))
      findings.push(approval('net.write_method', `${method} to ${host} changes remote state (publish/upload).`));
    else if (!READ_METHODS.includes(method))
      findings.push(approval('net.unknown_method', `HTTP method ${method} to ${host} is not a plain read.`));
  }

  if (listed && ![80, 443].includes(port) && !(ip?.cls === 'loopback' || host === 'localhost')) {
    findings.push(approval('net.unusual_port', `Port ${port} on ${host} is not a standard web port.`));
  }
  if (findings.length === 0) findings.push(allow('net.allowlisted', `${host} is allowlisted for ${method} requests.`));
  return findings;
}

function ipRule(cls: IpClass): string {
  return cls === 'link-local' ? 'net.link_local' : cls === 'private' ? 'net.private_address' : 'net.reserved_address';
}

/** Exact host, `*.suffix` (subdomains only, as written), IP literal or CIDR. */
export function isAllowlisted(host: string, canonicalIp: string | undefined, allowlist: string[]): boolean {
  for (const entry of allowlist) {
    if (entry === host) return true;
    if (entry.startsWith('*.') && host.endsWith(entry.slice(1)) && host.length > entry.length - 1) return true;
    if (canonicalIp && entry.includes('/') && ipInCidr(canonicalIp.split(' ')[0], entry)) return true;
    if (canonicalIp && normaliseIp(entry)?.canonical === canonicalIp) return true;
  }
  return false;
}
