import bs58check from 'bs58check';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function base62(value: number, width: number): string {
  let out = '';
  let rest = value;
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub (`ghp_` and friends) and npm (`npm_`) tokens end in six base62 digits of
 * the CRC32 of the 30 random characters before them. A valid checksum means the
 * token is almost surely real, offline (no call to the provider).
 */
export function hasValidCrc32Suffix(token: string, prefixLength: number): boolean {
  const body = token.slice(prefixLength);
  if (body.length !== 36) return false;
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}

/** Builds a checksum-valid token from 30 random characters (tests, corpus, benchmarks). */
export function withCrc32Suffix(prefix: string, random30: string): string {
  return prefix + random30 + base62(crc32(random30), 6);
}

/** Whether a Base58Check string (Bitcoin WIF keys, BIP32 extended keys) carries a valid checksum. */
export function hasValidBase58Check(text: string): boolean {
  return bs58check.decodeUnsafe(text) !== undefined;
}
