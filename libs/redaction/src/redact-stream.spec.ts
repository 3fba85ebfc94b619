import fc from 'fast-check';
import type { Transform } from 'node:stream';
import { WINDOW_CONTEXT } from './engine/pattern-scanner';
import { BUILTIN_PATTERNS } from './patterns/catalogue';
import { STREAM_MAX_SECRET_LENGTH } from './redact-stream';
import { RedactionError } from './redaction.errors';
import { Redactor } from './redactor';
import { FakeSecrets, seededRandom, syntheticLog } from './testing';
import { noise, placed } from './testing/secret-arbitraries';
import { leakedFragment, SECRET_FORMATS, type SecretSample } from './testing/secret-formats';

const redactor = new Redactor();

async function streamThrough(stream: Transform, chunks: ReadonlyArray<string | Buffer>): Promise<string> {
  const out: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await done;
  return Buffer.concat(out).toString('utf8');
}

/** Cuts `text` (as UTF-8 bytes, so a cut may fall inside a character) at the given byte offsets. */
function splitBytes(text: string, cuts: readonly number[]): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  return chunks;
}

const everyByte = (text: string) => [...Buffer.from(text, 'utf8')].map((byte) => Buffer.from([byte]));

function expectNoLeak(out: string, samples: readonly SecretSample[]): void {
  for (const s of samples)
    for (const secret of s.secrets)
      expect({ format: s.pattern, leaked: leakedFragment(out, secret) }).toEqual({
        format: s.pattern,
        leaked: undefined,
      });
}

/** Two samples of every generated format that fits `limit`, each in a line of log noise with multi-byte characters. */
function logWithEveryFormat(seed: number, limit: number): { text: string; samples: SecretSample[] } {
  const f = new FakeSecrets(seededRandom(seed));
  const samples = [...SECRET_FORMATS, ...SECRET_FORMATS]
    .map((format) => format.make(f))
    .filter((s) => s.text.length <= limit);
  const text = samples.map((s, i) => `2026-11-24 INFO [w${i}] café 日本 😀 value (${s.text}). done\n`).join('');
  return { text, samples };
}

describe('createRedactStream', () => {
  it(`guarantees secrets of up to STREAM_MAX_SECRET_LENGTH (${STREAM_MAX_SECRET_LENGTH}) characters, above every built-in pattern`, () => {
    expect(redactor.maxSecretLength).toBe(STREAM_MAX_SECRET_LENGTH);
    for (const pattern of BUILTIN_PATTERNS) expect(pattern.maxLength).toBeLessThanOrEqual(STREAM_MAX_SECRET_LENGTH);
    const custom = new Redactor({
      customPatterns: [{ name: 'LONG_BLOB', regex: 'blob_[a-z0-9]{10,30000}', keywords: ['blob_'], maxLength: 30_005 }],
    });
    expect(custom.maxSecretLength).toBe(30_005);
  });

  it('rejects a maxSecretLength that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN])
      expect(() => redactor.createRedactStream({ maxSecretLength: bad })).toThrow(RedactionError);
  });

  describe('with a 300-character limit (so a 6 KB text crosses many releases)', () => {
    const LIMIT = 300;
    const { text, samples } = logWithEveryFormat(7, LIMIT);
    const expected = redactor.redact(text);

    it('the text holds every generated format that fits the limit (all but the PEM keys)', () => {
      expect(samples.length).toBe(2 * (SECRET_FORMATS.length - 2));
      expect(text.length).toBeGreaterThan(10 * (LIMIT + 2 * WINDOW_CONTEXT));
      expectNoLeak(expected, samples);
    });

    it('one byte at a time (every boundary at once, inside multi-byte characters too) gives redact() of the whole', async () => {
      const out = await streamThrough(redactor.createRedactStream({ maxSecretLength: LIMIT }), everyByte(text));
      expect(out).toBe(expected);
    });

    it('split in two at every byte offset gives redact() of the whole', async () => {
      const bytes = Buffer.byteLength(text);
      for (let cut = 0; cut <= bytes; cut++) {
        const out = await streamThrough(
          redactor.createRedactStream({ maxSecretLength: LIMIT }),
          splitBytes(text, [cut]),
        );
        if (out !== expected) throw new Error(`split at byte ${cut}: output differs from redact()`);
      }
    });
  });

  it('random texts and random chunkings (fast-check) give redact() of the whole and leak nothing', async () => {
    const LIMIT = 200;
    // Every credential, with what it may swallow of the noise around it, stays within the limit.
    const fitting = placed.filter((p) => p.sample.text.length <= LIMIT - 2 * 40);
    const text = fc
      .tuple(fc.array(fc.tuple(fitting, noise), { minLength: 1, maxLength: 12 }), noise)
      .map(([parts, tail]) => ({
        text: parts.map(([p, n]) => p.text + n).join('') + tail,
        samples: parts.map(([p]) => p.sample),
      }));
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.array(fc.nat({ max: 4000 }), { maxLength: 30 }),
        async ({ text: whole, samples }, cuts) => {
          const out = await streamThrough(
            redactor.createRedactStream({ maxSecretLength: LIMIT }),
            splitBytes(whole, cuts),
          );
          expect(out).toBe(redactor.redact(whole));
          expectNoLeak(out, samples);
        },
      ),
      { numRuns: 300 },
    );
  });

  describe('at and beyond the limit', () => {
    const LIMIT = 100;
    const HOLD_BACK = LIMIT + 2 * WINDOW_CONTEXT;
    const f = new FakeSecrets(seededRandom(99));

    it('a URL password whose whole match is exactly the limit is never split', async () => {
      const password = f.alnum(LIMIT - 'postgres://u:@'.length);
      const url = `postgres://u:${password}@db/app`;
      expect(url.indexOf('@') + 1).toBe(LIMIT);
      for (let offset = 0; offset < 2 * HOLD_BACK + 50; offset += 3) {
        const text = `${'x '.repeat(offset)}\n${url}\n${'y '.repeat(HOLD_BACK)}`;
        const out = await streamThrough(redactor.createRedactStream({ maxSecretLength: LIMIT }), everyByte(text));
        expect(out).toBe(redactor.redact(text));
        expect(leakedFragment(out, password)).toBeUndefined();
      }
    });

    it('beyond it, a secret recognised only by what follows it (the @ after a URL password) can leak its beginning', async () => {
      // The first release cuts at HOLD_BACK once 2 × HOLD_BACK characters are in. The URL starts just before
      // that cut and its `@` comes after those 2 × HOLD_BACK characters: a match of 264 > HOLD_BACK characters.
      const start = HOLD_BACK - 20;
      const password = f.alnum(250);
      const url = `postgres://u:${password}@db/app`;
      expect(start + url.indexOf('@')).toBeGreaterThan(2 * HOLD_BACK);
      const text = `${'x'.repeat(start - 1)} ${url}\n${'y '.repeat(2 * HOLD_BACK)}`;
      expect(redactor.redact(text)).not.toContain(password.slice(0, 8));
      const out = await streamThrough(redactor.createRedactStream({ maxSecretLength: LIMIT }), everyByte(text));
      expect(out).not.toBe(redactor.redact(text));
      expect(out).toContain(`postgres://u:${password.slice(0, 7)}`);
    });

    it('beyond it, a token recognised from its prefix is still held back and masked whole', async () => {
      const token = `sk_live_${f.alnum(250)}`;
      for (const start of [HOLD_BACK - 20, HOLD_BACK - 200, 2 * HOLD_BACK - 10]) {
        const text = `${'x'.repeat(start - 1)} ${token}.\n${'y '.repeat(2 * HOLD_BACK)}`;
        const out = await streamThrough(redactor.createRedactStream({ maxSecretLength: LIMIT }), everyByte(text));
        expect(out).toBe(redactor.redact(text));
        expect(leakedFragment(out, token)).toBeUndefined();
      }
    });

    it('a known secret longer than the limit raises the hold-back for that stream', async () => {
      const secret = f.alnum(3 * HOLD_BACK);
      const text = `${'x '.repeat(HOLD_BACK)} ${secret} and again ${Buffer.from(secret).toString('base64')}\n${'y '.repeat(2 * HOLD_BACK)}`;
      const out = await streamThrough(
        redactor.createRedactStream({ maxSecretLength: LIMIT, secrets: [secret] }),
        everyByte(text),
      );
      expect(out).toBe(redactor.redact(text, { secrets: [secret] }));
      expect(leakedFragment(out, secret)).toBeUndefined();
    });
  });

  it("masks a Key Vault secret's value whose object opened kilobytes before it, at any chunking", async () => {
    // The value is found only from the object's `{`; the stream keeps enough released text to read it again.
    const f = new FakeSecrets(seededRandom(4));
    const value = f.alnum(24);
    const tags = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`tag${i}`, f.alnum(30)]));
    const object = JSON.stringify(
      { attributes: { enabled: true }, tags, id: 'https://kv.vault.azure.net/secrets/db/1a2b', value },
      null,
      2,
    );
    const text = `${syntheticLog(40_000, 6, 1000).text}\n${object}\n${syntheticLog(40_000, 7, 1000).text}`;
    const expected = redactor.redact(text);
    expect(expected).not.toContain(value);
    for (const size of [97, 4096, 20_000]) {
      const chunks: string[] = [];
      for (let at = 0; at < text.length; at += size) chunks.push(text.slice(at, at + size));
      expect(await streamThrough(redactor.createRedactStream(), chunks)).toBe(expected);
    }
  });

  it('with the default limit, a PEM key of almost 16 KB in a 60 KB log is masked whole at any chunking', async () => {
    const f = new FakeSecrets(seededRandom(3));
    const body = f.pemBody(240); // 240 lines × 65 = 15,600 characters
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${body.join('\n')}\n-----END RSA PRIVATE KEY-----`;
    expect(pem.length).toBeGreaterThan(15_600);
    expect(pem.length).toBeLessThanOrEqual(STREAM_MAX_SECRET_LENGTH);
    const log = syntheticLog(20_000, 5, 10).text;
    const text = `${log}key:\n${pem}\n${log}${log}`;
    const expected = redactor.redact(text);
    expect(expected.match(/\[REDACTED:PRIVATE_KEY\]/g)).toHaveLength(1);
    for (const size of [1, 7, 4096, 16_500, 40_000]) {
      const bytes = Buffer.from(text);
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
      const out = await streamThrough(redactor.createRedactStream(), chunks);
      expect(out).toBe(expected);
      for (const line of body) expect(out).not.toContain(line);
    }
  });

  describe('encoding', () => {
    it('never cuts between the halves of a surrogate pair (no U+FFFD in the output)', async () => {
      const LIMIT = 100;
      const holdBack = LIMIT + 2 * WINDOW_CONTEXT;
      // One chunk of exactly 2 × holdBack characters: the release cuts at holdBack, where the emoji starts.
      const head = 'a'.repeat(holdBack - 1) + '😀';
      const first = head + 'b'.repeat(2 * holdBack - head.length);
      expect(first.charCodeAt(holdBack - 1)).toBe(0xd83d);
      const text = first + ' tail 😀 sk_live_' + 'Zx9'.repeat(10) + '\n';
      const out = await streamThrough(redactor.createRedactStream({ maxSecretLength: LIMIT }), [
        first,
        text.slice(first.length),
      ]);
      expect(out).not.toContain('\ufffd');
      expect(out).toBe(redactor.redact(text));
    });

    it('takes strings and Uint8Arrays, emits UTF-8 (strings with setEncoding), and refuses objects', async () => {
      const key = new FakeSecrets(seededRandom(1)).githubClassic();
      const stream = redactor.createRedactStream();
      stream.setEncoding('utf8');
      const parts: string[] = [];
      stream.on('data', (chunk: string) => parts.push(chunk));
      const done = new Promise((resolve) => stream.on('end', resolve));
      stream.write('naïve ');
      stream.write(new TextEncoder().encode(`${key} `));
      expect(() => stream.write({ text: key } as never)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
      );
      stream.end('日本');
      await done;
      expect(parts.every((p) => typeof p === 'string')).toBe(true);
      expect(parts.join('')).toBe('naïve [REDACTED:GITHUB_TOKEN] 日本');
    });

    it('a multi-byte character split across chunks at the very end of the input is decoded, not lost', async () => {
      const bytes = Buffer.from('end 😀');
      const out = await streamThrough(redactor.createRedactStream(), [
        bytes.subarray(0, bytes.length - 2),
        bytes.subarray(bytes.length - 2),
      ]);
      expect(out).toBe('end 😀');
    });
  });

  it('learns an env var value where it is assigned and masks its later recurrences across releases', async () => {
    const f = new FakeSecrets(seededRandom(12));
    const value = `postgres://app:${f.alnum(20)}@db.internal:5432/app`;
    const filler = syntheticLog(4_000, 9, 1_000_000).text;
    const text = `DATABASE_URL=${value}\n${filler}connecting to ${value}\n${filler}b64 ${Buffer.from(value).toString('base64')}\n`;
    const out = await streamThrough(
      redactor.createRedactStream({ maxSecretLength: 100, envVars: ['DATABASE_URL'] }),
      everyByte(text),
    );
    expect(out).toBe(redactor.redact(text, { envVars: ['DATABASE_URL'] }));
    expect(out).not.toContain(value);
    expect(out).not.toContain(Buffer.from(value).toString('base64').slice(0, 20));
  });
});
