import fc from 'fast-check';
import { Redactor } from './redactor';
import { FakeSecrets, seededRandom } from './testing';
import { after, noise, seed, textWithSecrets } from './testing/secret-arbitraries';
import { leakedFragment, MIN_LEAK, SECRET_FORMATS, type SecretSample } from './testing/secret-formats';

const redactor = new Redactor();

function expectNoLeak(out: string, samples: readonly SecretSample[]): void {
  for (const s of samples)
    for (const secret of s.secrets)
      expect({ format: s.pattern, leaked: leakedFragment(out, secret) }).toEqual({
        format: s.pattern,
        leaked: undefined,
      });
}

describe('Redactor properties (fast-check)', () => {
  it(`generators cover ${SECRET_FORMATS.length} formats, each redacted to its own placeholder on its own`, () => {
    expect(SECRET_FORMATS.length).toBeGreaterThanOrEqual(15);
    fc.assert(
      fc.property(fc.constantFrom(...SECRET_FORMATS), seed, (format, s) => {
        const generated = format.make(new FakeSecrets(seededRandom(s)));
        const out = redactor.redact(generated.text);
        expect(out).toContain(`[REDACTED:${generated.pattern}]`);
        expectNoLeak(out, [generated]);
      }),
      { numRuns: 400 },
    );
  });

  it(`no run of ${MIN_LEAK} characters of a generated secret survives, whatever surrounds it`, () => {
    fc.assert(
      fc.property(textWithSecrets, ({ text, samples }) => {
        expectNoLeak(redactor.redact(text), samples);
      }),
      { numRuns: 500 },
    );
  });

  it('checksum-valid GitHub and npm tokens are high confidence; a broken checksum is medium', () => {
    fc.assert(
      fc.property(seed, fc.constantFrom('ghp_', 'gho_', 'ghs_', 'ghu_', 'ghr_', 'npm_'), (s, prefix) => {
        const f = new FakeSecrets(seededRandom(s));
        const token = prefix === 'npm_' ? f.npm() : f.githubClassic(prefix);
        const last = token[token.length - 1];
        const broken = token.slice(0, -1) + (last === 'A' ? 'B' : 'A');
        expect(redactor.findSecrets(`t ${token}.`).map((x) => x.confidence)).toEqual(['high']);
        expect(redactor.findSecrets(`t ${broken}.`).map((x) => x.confidence)).toEqual(['medium']);
      }),
    );
  });

  it('is idempotent: redacting redacted text changes nothing', () => {
    const withMarkers = fc
      .tuple(
        textWithSecrets,
        fc.constantFrom(
          '',
          '[REDACTED:PASSWORD]',
          'password=[REDACTED:PASSWORD]',
          'Bearer [REDACTED:JWT]',
          '***',
          '****',
          '${TOKEN}',
          '<token>',
        ),
      )
      .map(([{ text }, extra]) => extra + text + extra);
    fc.assert(
      fc.property(fc.oneof(withMarkers, noise), (text) => {
        const once = redactor.redact(text);
        expect(redactor.redact(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  describe('known values (`secrets`) and env var values', () => {
    /** Printable values with spaces, quotes, backslashes and multi-byte characters, from a seeded source. */
    const knownValue = fc.tuple(seed, fc.integer({ min: MIN_LEAK, max: 40 })).map(([s, length]) => {
      const f = new FakeSecrets(seededRandom(s));
      return f.alnum(2) + f.pick([...'abcdefghijkXYZ0123456789 "\\/+=:é日😀~!*%&'], length - 4) + f.alnum(2);
    });
    /** The forms a value is printed in: raw, JSON-escaped, URL-encoded, base64. */
    const printed = (value: string) => [
      value,
      JSON.stringify(value),
      encodeURIComponent(value),
      Buffer.from(value).toString('base64'),
    ];

    it('a known value is masked in every printed form', () => {
      fc.assert(
        fc.property(
          knownValue,
          fc.array(fc.tuple(noise, fc.nat(3), after), { minLength: 1, maxLength: 4 }),
          noise,
          (value, uses, tail) => {
            const forms = printed(value);
            const text = uses.map(([left, form, punct]) => `${left} ${forms[form]}${punct}`).join('') + tail;
            const out = redactor.redact(text, { secrets: [value] });
            for (const [, form] of uses) expect(leakedFragment(out, forms[form])).toBeUndefined();
            expect(redactor.redact(out, { secrets: [value] })).toBe(out);
          },
        ),
        { numRuns: 300 },
      );
    });

    /** Values an assignment can hold unquoted: no whitespace, quotes, `,` or `;`, not a `$reference`. */
    const envValue = fc.tuple(seed, fc.integer({ min: MIN_LEAK, max: 40 })).map(([s, length]) => {
      const f = new FakeSecrets(seededRandom(s));
      return f.alnum(1) + f.pick('abcdefXYZ0123456789/+=:@.!*~%-_()', length - 1);
    });
    const assignment = fc.constantFrom(
      (n: string, v: string) => `${n}=${v}`,
      (n: string, v: string) => `export ${n}=${v}`,
      (n: string, v: string) => `${n}: ${v}`,
      (n: string, v: string) => `{"${n}": ${JSON.stringify(v)}}`,
      (n: string, v: string) => `cmd --${n.toLowerCase().replace(/_/g, '-')} ${v}`,
    );

    it('an env var value is masked where assigned and wherever it recurs, in every printed form', () => {
      fc.assert(
        fc.property(
          fc.constantFrom('DATABASE_URL', 'API_TOKEN', 'MY_APP_SECRET', 'X'),
          envValue,
          assignment,
          fc.array(fc.tuple(noise, fc.nat(3), after), { maxLength: 3 }),
          noise,
          (name, value, assign, uses, head) => {
            const forms = printed(value);
            const text =
              `${head}\n${assign(name, value)}\n` +
              uses.map(([left, form, punct]) => `${left} ${forms[form]}${punct}`).join('');
            const out = redactor.redactEnvVars(text, [name]);
            expect(leakedFragment(out, value)).toBeUndefined();
            for (const [, form] of uses) expect(leakedFragment(out, forms[form])).toBeUndefined();
            expect(out).toContain(`[REDACTED:${name}]`);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
