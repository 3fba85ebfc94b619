import fc from 'fast-check';
import { FakeSecrets, seededRandom } from './fake-secrets';
import { SECRET_FORMATS, type SecretSample } from './secret-formats';

/**
 * fast-check arbitraries for redaction properties: generated credentials of
 * every SECRET_FORMATS format (random bodies from a seeded source, so they are
 * as random as real ones) placed in noise the way logs and prose place them.
 */
export const seed = fc.integer({ min: 0, max: 0x7fffffff });
export const sample: fc.Arbitrary<SecretSample> = fc
  .tuple(fc.constantFrom(...SECRET_FORMATS), seed)
  .map(([format, s]) => format.make(new FakeSecrets(seededRandom(s))));

/** Log-like noise: ASCII words and punctuation, some multi-byte characters, newlines. */
export const noise = fc.string({
  unit: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...'abcdefxyzABCXYZ0123456789 _-=:./,;!?()[]{}@&#%*+<>"\'\\\n\t') },
    { weight: 1, arbitrary: fc.constantFrom('é', 'ß', '日本', '😀', '\u00a0') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('token ', 'password ', 'Bearer ', 'session ', 'https://', 'key: ', '[REDACTED:X] '),
    },
  ),
  maxLength: 40,
});
/** What precedes a secret: a separator, as in prose, logs, JSON, assignments and brackets. */
export const before = fc.constantFrom(' ', '\n', '\t', '(', '[', '"', "'", '= ', ': ', ', ', '<');
/** What follows it (never a letter or digit, which would make it a longer word): sentence and URL punctuation included (`.,!)]@&/`). */
export const after = fc.constantFrom(
  ' ',
  '\n',
  '.',
  ',',
  '!',
  ')',
  ']',
  '@',
  '&',
  '/',
  '.)',
  '!!',
  '),',
  '"',
  "'",
  ';',
  '>',
);

export const placed = fc
  .tuple(noise, before, sample, after)
  .map(([left, sep, s, punct]) => ({ text: `${left}${sep}${s.text}${punct}`, sample: s }));
/** One to four credentials in a stretch of noise. */
export const textWithSecrets = fc
  .tuple(fc.array(placed, { minLength: 1, maxLength: 4 }), noise)
  .map(([parts, tail]) => ({
    text: parts.map((p) => p.text).join('') + tail,
    samples: parts.map((p) => p.sample),
  }));
