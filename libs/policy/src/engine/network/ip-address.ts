import { isIPv4, isIPv6 } from 'node:net';

export type IpClass =
  'metadata' | 'loopback' | 'link-local' | 'private' | 'unspecified' | 'multicast' | 'reserved' | 'public';

/**
 * Parses an IPv4 literal in every spelling inet_aton accepts (decimal `2130706433`,
 * hex `0x7f.1`, octal `0177.0.0.1`, short forms `127.1`), as WHATWG URL parsing does.
 */
export function parseIPv4(text: string): number[] | undefined {
  const parts = text.replace(/\.$/, '').split('.');
  if (parts.length === 0 || parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/i.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]+$/.test(part)) value = parseInt(part, 8);
    else if (/^(0|[1-9][0-9]*)$/.test(part)) value = parseInt(part, 10);
    else return undefined;
    numbers.push(value);
  }
  const last = numbers.pop() as number;
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return undefined;
  const bytes = [...numbers];
  const rest: number[] = [];
  let remaining = last;
  for (let i = 0; i < 4 - numbers.length; i++) {
    rest.unshift(remaining % 256);
    remaining = Math.floor(remaining / 256);
  }
  return [...bytes, ...rest];
}

/** Eight 16-bit groups of an IPv6 literal (brackets, zone id and embedded IPv4 allowed). */
export function parseIPv6(text: string): number[] | undefined {
  let address = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!isIPv6(address)) return undefined;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (v4) {
    const bytes = v4[1].split('.').map(Number);
    address =
      address.slice(0, -v4[1].length) +
      ((bytes[0] << 8) | bytes[1]).toString(16) +
      ':' +
      ((bytes[2] << 8) | bytes[3]).toString(16);
  }
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(fill).fill('0'), ...tailGroups].map((g) => parseInt(g || '0', 16));
  return groups.length === 8 ? groups : undefined;
}

/** IPv4 embedded in IPv6 (mapped, compatible, NAT64, 6to4, Teredo), else undefined. */
export function embeddedIPv4(groups: number[]): number[] | undefined {
  const v4 = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255];
  const zero = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zero(0, 5) && groups[5] === 0xffff) return v4(groups[6], groups[7]);
  if (zero(0, 6) && (groups[6] !== 0 || groups[7] > 1)) return v4(groups[6], groups[7]);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zero(2, 6)) return v4(groups[6], groups[7]);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups[2] === 1) return v4(groups[6], groups[7]);
  if (groups[0] === 0x2002) return v4(groups[1], groups[2]);
  if (groups[0] === 0x2001 && groups[1] === 0) return v4(groups[6] ^ 0xffff, groups[7] ^ 0xffff);
  return undefined;
}

const METADATA_V4 = [
  '169.254.169.254',
  '169.254.170.2',
  '169.254.170.23',
  '100.100.100.200',
  '168.63.129.16',
  '192.0.0.192',
];

export function classifyIPv4(bytes: number[]): IpClass {
  const [a, b] = bytes;
  const dotted = bytes.join('.');
  if (METADATA_V4.includes(dotted)) return 'metadata';
  if (a === 127) return 'loopback';
  if (a === 0) return 'unspecified';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127))
    return 'private';
  if (a === 198 && (b === 18 || b === 19)) return 'private';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved';
  return 'public';
}

export function classifyIPv6(groups: number[]): IpClass {
  const embedded = embeddedIPv4(groups);
  if (embedded) return classifyIPv4(embedded);
  if (groups.every((g) => g === 0)) return 'unspecified';
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return 'loopback';
  if (groups[0] === 0xfd00 && groups[1] === 0x0ec2 && groups.slice(2, 7).every((g) => g === 0) && groups[7] === 0x254)
    return 'metadata';
  if ((groups[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((groups[0] & 0xfe00) === 0xfc00 || (groups[0] & 0xffc0) === 0xfec0) return 'private';
  if ((groups[0] & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

/** Canonical text and class of an IP literal in any spelling, or undefined if not an IP. */
export function normaliseIp(text: string): { canonical: string; cls: IpClass; version: 4 | 6 } | undefined {
  const trimmed = text.trim().replace(/^\[|\]$/g, '');
  const v4 = isIPv4(trimmed) ? trimmed.split('.').map(Number) : parseIPv4(trimmed);
  if (v4) return { canonical: v4.join('.'), cls: classifyIPv4(v4), version: 4 };
  const v6 = parseIPv6(trimmed);
  if (v6) {
    const embedded = embeddedIPv4(v6);
    return {
      canonical: embedded
        ? `${v6.map((g) => g.toString(16)).join(':')} (${embedded.join('.')})`
        : v6.map((g) => g.toString(16)).join(':'),
      cls: classifyIPv6(v6),
      version: 6,
    };
  }
  return undefined;
}

/** Whether an IP (canonical v4 dotted or v6 groups) falls in a CIDR written in the allowlist. */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const a = parseIPv4(ip) ?? undefined;
  const b = parseIPv4(base) ?? undefined;
  if (a && b && Number.isInteger(bits) && bits >= 0 && bits <= 32) {
    const toInt = (x: number[]) => ((x[0] << 24) | (x[1] << 16) | (x[2] << 8) | x[3]) >>> 0;
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return (toInt(a) & mask) === (toInt(b) & mask);
  }
  const a6 = parseIPv6(ip);
  const b6 = parseIPv6(base);
  if (a6 && b6 && Number.isInteger(bits) && bits >= 0 && bits <= 128) {
    for (let i = 0; i < 8; i++) {
      const take = Math.max(0, Math.min(16, bits - i * 16));
      const mask = take === 0 ? 0 : (0xffff << (16 - take)) & 0xffff;
      if ((a6[i] & mask) !== (b6[i] & mask)) return false;
    }
    return true;
  }
  return false;
}
