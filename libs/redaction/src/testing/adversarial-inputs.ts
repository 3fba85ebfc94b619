import { BUILTIN_PATTERNS } from '../patterns/catalogue';
import type { SecretPattern } from '../redaction.types';
import { FakeSecrets, seededRandom } from './fake-secrets';
import { SECRET_FORMATS } from './secret-formats';

/**
 * 1 MB inputs built to make a pattern, or the whole Redactor, work hardest
 * (patterns.adversarial.spec.ts asserts they complete well-formed; the
 * redaction benchmark times them).
 */
export const ADVERSARIAL_BYTES = 1024 * 1024;
const fill = (unit: string) => unit.repeat(Math.ceil(ADVERSARIAL_BYTES / unit.length)).slice(0, ADVERSARIAL_BYTES);
const prefixRun = (prefix: string, alphabet: string) => prefix + fill(alphabet).slice(prefix.length);

/** A valid sample of each pattern name that has a generator (for near-matches in its own alphabet). */
const samples = new Map<string, string>();
{
  const f = new FakeSecrets(seededRandom(4242));
  for (const format of SECRET_FORMATS) {
    const made = format.make(f);
    if (!samples.has(made.pattern)) samples.set(made.pattern, made.text);
  }
}

/** The keywords a pattern is attacked through: its first and last (a keywordless pattern: a Discord-like id prefix). */
export function attackKeywords(pattern: SecretPattern): string[] {
  return pattern.keywords.length > 0
    ? [...new Set([pattern.keywords[0], pattern.keywords[pattern.keywords.length - 1]])]
    : ['MTIzNDU2Nzg5MDEyMzQ1Njc4.'];
}

/**
 * Against one pattern through one keyword: the keyword at every position, its
 * prefix plus a run of its alphabet far past maxLength with no terminator,
 * key/separator storms where a value could swallow the next key, placeholder
 * values, and a valid sample one character short or broken in the middle.
 */
export function patternAdversarialInputs(pattern: SecretPattern, keyword: string): Array<[string, string]> {
  const sample = samples.get(pattern.name) ?? `${keyword}${'aB3dE9'.repeat(12)}`;
  const middle = sample.length >> 1;
  return [
    ['keyword at every position', fill(keyword)],
    ['keyword + its alphabet past maxLength, no terminator', prefixRun(keyword, 'aB3_x-Y7')],
    ['keyword + hex past maxLength', prefixRun(keyword, '0123456789abcdef')],
    ['key=key=… (a value that could swallow the next key)', fill(`${keyword}=`)],
    ['key: key: …', fill(`${keyword}: `)],
    ['key:key:… / URL userinfo', fill(`${keyword}://a:`)],
    ['quoted key storm', fill(`"${keyword}": "`)],
    ['placeholder values', fill(`${keyword}=xxxx-your-key-here `)],
    ['valid sample one character short', fill(`${sample.slice(0, -1)} `)],
    ['valid sample broken in the middle', fill(`${sample.slice(0, middle)}!${sample.slice(middle + 1)}\n`)],
  ];
}

/** Against the whole catalogue at once. */
export function redactorAdversarialInputs(): Array<[string, string]> {
  const f = new FakeSecrets(seededRandom(77));
  const keywords = [...new Set(BUILTIN_PATTERNS.flatMap((p) => p.keywords))];
  const nearMisses = SECRET_FORMATS.map((format) => format.make(f).text.slice(0, -1));
  return [
    ['every keyword, back to back', fill(keywords.join(''))],
    ['every keyword as a key', fill(keywords.map((k) => `${k}=`).join(''))],
    ['every keyword as a quoted key', fill(keywords.map((k) => `"${k}": "`).join(''))],
    ['the shortest password key, repeated (pass=pass=…)', fill('pass=')],
    ['the shortest password key and a colon, repeated (pass: pass: …)', fill('pass: ')],
    ['near-misses of every generated format', fill(nearMisses.join(' ') + '\n')],
    ['one line of base64 after Bearer', prefixRun('Authorization: Bearer ', 'QWxhZGRpbjpvcGVuIHNlc2FtZQ+/')],
    ['one line of value characters after password=', prefixRun('password=', 'hunter2~!*[]{}()')],
    ['PEM headers without bodies', fill('-----BEGIN RSA PRIVATE KEY-----\n')],
    ['Key Vault secret URLs in objects that never close', fill('{"a":".vault.azure.net/secrets/')],
    ['markers', fill('[REDACTED:PASSWORD]')],
    ['URLs with userinfo and no host', fill('postgres://u:p')],
    // Command lines: every program name opens a parse of the line around it.
    ['a program and its credential flag, repeated on one line (mysql -pX mysql -pX …)', fill('mysql -pX ')],
    ['a program and a positional credential, one per line (net user a b)', fill('net user a b\n')],
    ['key names closing table cells and CSV fields (auth|auth,…)', fill('auth|auth,')],
    // Validators see values of up to 256 characters: this one is a name made of words and numbers.
    ['a credential noun before a long name of words and numbers', fill(`token ${'AbcDef12'.repeat(31)}Abc#\n`)],
    // Not a near-miss: every 16 characters a finding, the cost of each accepted match.
    ['a password assignment every 16 characters (password=a1b2c3 …)', fill('password=a1b2c3 ')],
    [
      'random printable ASCII',
      f.pick(
        Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)),
        ADVERSARIAL_BYTES,
      ),
    ],
  ];
}
