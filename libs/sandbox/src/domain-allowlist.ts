import { isIP } from 'node:net';
import { SandboxError } from './sandbox.errors';

const HOST_LABELS = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** Lower case, no trailing dot: the form hosts are compared in. */
export function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * Checks and normalises `allowed_domains`: exact host names or `*.suffix`
 * (subdomains only, as PolicyGate reads them). IP literals, ports, schemes and
 * a bare `*` are refused so the allowlist means the same on every provider.
 */
export function parseAllowedDomains(domains: readonly string[] | undefined, max = 50): string[] {
  if (!domains) return [];
  if (domains.length > max) {
    throw new SandboxError(
      'SANDBOX_INVALID_ARGUMENT',
      `allowed_domains has ${domains.length} entries; at most ${max}.`,
      { field: 'allowed_domains' },
    );
  }
  return [
    ...new Set(
      domains.map((raw) => {
        const domain = normaliseHost(raw);
        const host = domain.startsWith('*.') ? domain.slice(2) : domain;
        if (isIP(host) || !HOST_LABELS.test(host) || !host.includes('.')) {
          throw new SandboxError(
            'SANDBOX_INVALID_ARGUMENT',
            `allowed_domains entry ${JSON.stringify(raw)} is not a host name or *.suffix (IP addresses, ports and schemes are not accepted).`,
            { field: 'allowed_domains' },
          );
        }
        return domain;
      }),
    ),
  ];
}

/** `*.example.com` matches `a.example.com` and `a.b.example.com`, never `example.com` itself. */
export function hostMatchesAllowlist(host: string, allowlist: readonly string[]): boolean {
  const name = normaliseHost(host);
  return allowlist.some((entry) =>
    entry.startsWith('*.') ? name.endsWith(entry.slice(1)) && name.length > entry.length - 1 : name === entry,
  );
}
