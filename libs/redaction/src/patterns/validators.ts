import type { Confidence } from '../redaction.types';
import { hasValidCrc32Suffix } from './checksum';
import {
  CREDENTIAL_NAME_WORDS,
  PASSWORD_WORD_SOURCE,
  QUALIFIED_KEY_SOURCE,
  SECRET_WORD_SOURCE,
} from './credential-words';
import { entropy, isLowVariety, isPlaceholder, isPlaceholderValue, isPlaceholderWord } from './placeholders';

/** Rejects a token whose random part (after `prefixLength` characters) is a placeholder. */
export function randomPart(prefixLength: number): (secret: string) => boolean {
  return (secret) => !isPlaceholder(secret.slice(prefixLength)) && !isPlaceholder(secret);
}

/** Random tokens mix digits and letters, or upper and lower case; prose and identifiers rarely do both ways. */
export function looksGenerated(value: string): boolean {
  const digits = /\d/.test(value);
  const upper = /[A-Z]/.test(value);
  const lower = /[a-z]/.test(value);
  return (digits && (upper || lower)) || (upper && lower && entropy(value) >= 3);
}

/** GitHub classic/OAuth/app/refresh tokens: a valid CRC32 makes a finding `high`, an invalid one `medium`. */
export function githubToken(secret: string): boolean | Confidence {
  if (secret.startsWith('github_pat_')) return !isPlaceholder(secret.slice(11));
  if (isPlaceholder(secret.slice(4))) return false;
  if (secret.length === 40) return hasValidCrc32Suffix(secret, 4) ? 'high' : 'medium';
  return 'medium';
}

export function npmToken(secret: string): boolean | Confidence {
  if (isPlaceholder(secret.slice(4))) return false;
  return hasValidCrc32Suffix(secret, 4) ? 'high' : 'medium';
}

const NOT_AWS_EXAMPLE = (secret: string) => !/EXAMPLE/.test(secret);

export function awsAccessKeyId(secret: string): boolean {
  return NOT_AWS_EXAMPLE(secret) && !isLowVariety(secret.slice(4));
}

export function awsSecretKey(secret: string): boolean {
  return NOT_AWS_EXAMPLE(secret) && !isPlaceholder(secret) && entropy(secret) >= 3.5;
}

/** Discord bot tokens start with the bot's user id (a snowflake) in base64. */
export function discordBotToken(secret: string): boolean {
  const id = Buffer.from(secret.slice(0, secret.indexOf('.')), 'base64url').toString('latin1');
  return /^\d{17,20}$/.test(id);
}

export function basicCredentials(secret: string): boolean {
  const decoded = Buffer.from(secret, 'base64').toString('utf8');
  return (
    /^[\x20-\x7e]{1,256}:[\x20-\x7e]{0,512}$/.test(decoded) &&
    !isPlaceholder(decoded.slice(decoded.indexOf(':') + 1) || 'x')
  );
}

export function opaqueToken(secret: string): boolean {
  return !isPlaceholder(secret) && looksGenerated(secret);
}

export function pemPrivateKey(secret: string): boolean {
  const body = secret.replace(/-----[A-Z ]+-----/g, '').replace(/\\n|[^A-Za-z0-9+/]/g, '');
  return body.length >= 40 && !isLowVariety(body);
}

/**
 * Suffixes of a key name that turn a secret-sounding word into metadata
 * (`token_count`, `secretName`, `password_file`, `max_tokens`).
 */
const METADATA_SUFFIX =
  /^(?:s|es|[_.-]?(?:count|type|name|names|id|ids|len|length|size|limit|limits|max|min|url|uri|endpoint|file|path|dir|policy|policies|expiry|expires|expiration|expires_at|expires_in|ttl|at|usage|used|budget|prefix|header|field|label|version|format|kind|mode|enabled|required|ref|arn|hint|source|store|manager|provider|rotation|lifetime|timeout|stdin|env|prompt|length|strength|reset|changed|updated|created|set|less|izer|ization|ized|ize|ing|ed|able|ability|_?s|list|pattern|regex|validator|bucket|key_id|key_name|key_ref|id_\w*|encryption|encrypt|hash|hashes|hashing|hasher|hashers|encoder|encoders|digest|scheme|schemes|complexity|rounds|iterations|cost|history|requirements|rules|charset|alphabet|generator|checker|backend|engine|lockout|attempts|retries|algorithm|algo|cipher|method|command|to_\w*))(?:$|[_.-])/i;

/**
 * What follows the credential word `found` in the key (`_HASH` of `PASSWORD_HASH`), camelCase humps marked
 * with `_`; undefined when the match holds no such word.
 */
function keySuffix(match: string, found: RegExpExecArray | null): string | undefined {
  if (!found) return undefined;
  const suffix = /^[A-Za-z0-9_.-]*/.exec(match.slice(found.index + found[0].length))![0];
  return camelToSnake(suffix);
}

/** `izationId` → `ization_Id`, `sManager` → `s_Manager`: a hump starts a new word of the key. */
function camelToSnake(suffix: string): string {
  return suffix.replace(/([a-z0-9])(?=[A-Z])/g, '$1_');
}

/**
 * A value that names where the secret comes from instead of holding it: a call (`input(`,
 * `getenv(`), an index (`os.environ[`), or a member of a well-known source (`process.env.X`,
 * `settings.DB_PASSWORD`, `self.password`). A callee whose name holds a digit is a call only when
 * the value ends at its bracket or closes it (`sha256(x)`): `Op9(iU7yTr4e` is a password with a bracket.
 */
const REFERENCE =
  /^[A-Za-z_$]{1,60}(?:\.[A-Za-z_$][\w$]*)*[([]|^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(?:[([]$|\(.*\)|\[.*\])|^(?:process\.env|os\.environ|os\.getenv|env|ENV|settings|config|cfg|conf|self|this|args|opts|options|params|secrets|vars|context|ctx|System|Environment|import\.meta\.env)\.[A-Za-z_$][\w$.]*$/;

/** A resource path (`projects/123/secrets/db-pass/versions/latest`): lower-case words, no generated text. */
export function isResourcePath(value: string): boolean {
  return /^[a-z0-9_.-]+(?:\/[a-z0-9_.-]+){2,}$/.test(value);
}

export function isReference(value: string): boolean {
  return REFERENCE.test(value) || FILE_REFERENCE.test(value);
}
/**
 * A file the value is read from: a relative path (`./password.txt`, `../secrets/db`), a `file://` URL, or
 * curl's and Vault's `@file` (`password=@password.txt`).
 */
const FILE_REFERENCE = /^(?:\.{1,2}\/|file:\/\/|@\.{0,2}\/?[\w.-]+(?:\/[\w.-]+)*\.[A-Za-z]{1,5}$)[^\s]*$/;

/** `PWD=/home/app`, `OLDPWD=~`: the shell's working directories, not passwords. */
function isWorkingDirectory(match: string, secret: string): boolean {
  return /^(?:OLD)?PWD\b/.test(match) && /^(?:[/~]|[A-Za-z]:\\)/.test(secret);
}

const PASSWORD_WORD = new RegExp(PASSWORD_WORD_SOURCE, 'i');
const SECRET_WORD = new RegExp(SECRET_WORD_SOURCE, 'i');
/** A secret word that is a qualified key, whole (`license_key`, not `api_key`). */
const QUALIFIED_KEY = new RegExp(`^${QUALIFIED_KEY_SOURCE}$`, 'i');
/** A type annotation (`password: str`, `password: String`, `pwd: SecureString`): a parameter in code. */
const TYPE_NAME =
  /^(?:str|string|String|bytes|int|number|bool|boolean|any|unknown|object|char|SecureString|Secret(?:Str|Bytes)?|Optional|Option|Union)$/;

/**
 * An identifier that ends with the key it is assigned to (`IsStrongPassword = IsStrongPassword`,
 * `["TSPrivateKeyword"] = "TSPrivateKeyword"`) names a thing in code; it is not a credential.
 */
function namesItsKey(secret: string, match: string): boolean {
  const key = /^[A-Za-z0-9_.-]+/.exec(match)?.[0];
  return key !== undefined && /^[A-Za-z_$][\w$]*$/.test(secret) && secret.toLowerCase().endsWith(key.toLowerCase());
}

/** Characters that open a quoted value (`{` an ODBC one). */
const QUOTES = `"'\x60{`;

/**
 * A bare value may keep `&`, `;` and `,` as its own characters (`pass=p@ss&w0rd`), where they could also
 * have ended it (`pass=x&user=y`). Such a value is judged by its head, the part before the first of them: the
 * whole value goes exactly when its head alone would have, so keeping a password's punctuation removes its
 * tail and never makes a finding of a line its head did not (`status=pass;next=fail`, `pass=1,2,3`).
 * Quoted values are judged whole.
 */
export function byHead(
  validate: (secret: string, match: string) => boolean | Confidence,
  minLength: number,
): (secret: string, match: string, before: string) => boolean | Confidence {
  return (secret, match, before) => {
    const cut = QUOTES.includes(before) ? -1 : secret.search(/[&;,]/);
    if (cut < 0) return validate(secret, match);
    return cut >= minLength && validate(secret.slice(0, cut), match);
  };
}

export function passwordAssignment(secret: string, match: string): boolean | Confidence {
  // Every condition must hold; the cheap checks of the value go before the key's.
  if (isPlaceholderWord(secret)) return false;
  if (/^\d{1,3}$/.test(secret) || /^\*+$/.test(secret) || isReference(secret) || namesItsKey(secret, match))
    return false;
  if (TYPE_NAME.test(secret)) return false;
  const word = PASSWORD_WORD.exec(match);
  const suffix = keySuffix(match, word);
  if (suffix === undefined || METADATA_SUFFIX.test(suffix) || (suffix && !/^(?:word|wd|[_.-]|\d)/i.test(suffix)))
    return false;
  if (isPlaceholderValue(secret) || isWorkingDirectory(match, secret)) return false;
  // `pass` alone also names a test pass or a filter (`highPass: 1200`, `test_pass: 42/50`): not a number there.
  if (word![0].length === 4 && isQuantity(secret)) return false;
  return 'medium';
}

/**
 * Lower-case words joined by `-`, `_` or `.`: a host, job or test name (`ci-runner-07`, `prod-db-2`,
 * `test_login`), not a secret. Each part is a word, a number or a word with a number after it; a lone word
 * with digits (`hunter2`) is not a name, and neither are parts of hex (`sdk-5b548652-b08c-…`).
 */
export function isLowerCaseName(value: string): boolean {
  return /^[a-z]+\d*(?:[-_.](?:[a-z]+\d*|\d+))+$/.test(value);
}

/**
 * A password under a lower-case key glued to its prefix (`dbpassword`, `storepass`): such keys also name
 * settings (`forgotpassword: /account/forgot`, `multipass: enabled`), so the value must not read as a
 * word, a lower-case name, a path or a file name.
 */
export function gluedPasswordAssignment(secret: string, match: string): boolean | Confidence {
  if (/^[a-z]+$/.test(secret) || isLowerCaseName(secret) || /^[/~.]|\.[a-z]{2,5}$/.test(secret)) return false;
  return passwordAssignment(secret, match);
}

export function secretAssignment(secret: string, match: string): boolean | Confidence {
  // Every condition must hold; the cheapest that rejects most (short or prose-like values) goes first.
  if (secret.length < 8 || isPlaceholderWord(secret) || !looksGenerated(secret) || namesItsKey(secret, match))
    return false;
  const word = SECRET_WORD.exec(match);
  const suffix = keySuffix(match, word);
  if (suffix === undefined || METADATA_SUFFIX.test(suffix)) return false;
  // `routing_key`, `product_key`, `account_key` also name routes, SKUs and ids: their credentials are long.
  if (QUALIFIED_KEY.test(word![0]) && (secret.length < 16 || isLowerCaseName(secret))) return false;
  if (
    isPlaceholderValue(secret) ||
    isReference(secret) ||
    /^\d+$/.test(secret) ||
    /^(?:https?:)?\/\//.test(secret) ||
    /^[./~]/.test(secret) ||
    isResourcePath(secret)
  )
    return false;
  return 'medium';
}

export function urlPassword(secret: string): boolean {
  return !isPlaceholderValue(secret) && !/^\*+$/.test(secret) && !/^%[A-Za-z_]+%$/.test(secret);
}

/**
 * A cookie header's value holds a credential: some cookie named for a session or a credential (`sessionid`,
 * `auth_token`, `remember_me`) or holding a generated value. `theme=dark; lang=en` is a preference; attributes
 * (`Path=/`, `Max-Age=3600`) are no cookie. The whole value goes when one cookie is a credential.
 */
export function cookieHeader(secret: string): boolean {
  return secret.split(/;[ \t]*/).some((pair) => {
    const equals = pair.indexOf('=');
    if (equals <= 0) return false;
    const name = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).replace(/^"|"$/g, '');
    if (COOKIE_ATTRIBUTE.test(name) || value.length === 0 || isPlaceholderValue(value)) return false;
    return SESSION_COOKIE.test(name) || secretName(name) || (value.length >= 12 && looksGenerated(value));
  });
}
const COOKIE_ATTRIBUTE = /^(?:path|domain|expires|max-age|samesite|priority|partitioned)$/i;
/** Cookie names that carry a session or a login (`PHPSESSID`, `connect.sid`, `_gh_sess`, `remember_user_token`). */
const SESSION_COOKIE = /sess|(?<![a-z])sid(?![a-z])|auth|login|remember|jwt|csrf|xsrf/i;

/**
 * Whether a key name is a credential's: one of CREDENTIAL_NAME_WORDS where a word starts (start,
 * after punctuation, or a camelCase hump) and what follows it is not metadata (`passwordFile`,
 * `tokenizationId`, `UserSecretsId`).
 */
export function secretName(name: string): boolean {
  const lower = name.toLowerCase();
  for (const word of CREDENTIAL_NAME_WORDS) {
    for (let at = lower.indexOf(word); at !== -1; at = lower.indexOf(word, at + 1)) {
      if (!startsWord(name, at)) continue;
      const suffix = name.slice(at + word.length);
      // `passwords`, `PASSWORD2`, `_KEY`, `Key`: the credential itself; `passport`, `tokenizer`: other words.
      if (/^[a-z]/.test(suffix) && !/^(?:s|word|wd)(?![a-z])/.test(suffix)) continue;
      // `pass` + `word_policy`: the metadata test reads what follows the whole word.
      if (METADATA_SUFFIX.test(camelToSnake(suffix.replace(/^(?:word|wd|WORD|WD)(?![a-z])/, '')))) continue;
      return true;
    }
  }
  return false;
}

function startsWord(name: string, at: number): boolean {
  if (at === 0) return true;
  const before = name[at - 1];
  if (!/[A-Za-z0-9]/.test(before)) return true;
  // camelCase hump (`dbPassword`, `ClearTextPassword`, `apiKey`) or the end of an acronym (`DBPassword`).
  if (!/[A-Z]/.test(name[at])) return false;
  return /[a-z0-9]/.test(before) || /[a-z]/.test(name[at + 1] ?? '');
}

/** A value that can be a password: no placeholder or mask (`XXX`, `***`), no code reference, not one lower-case word, no blank (prose). */
export function passwordLike(value: string): boolean {
  if (value.length < 3 || /\s/.test(value) || isPlaceholderValue(value) || /^(.)\1*$/.test(value)) return false;
  // `/path/to/private/key`, `~/.ssh/id_rsa`: where a key is kept, not the key.
  if (/^(?:~|\.{1,2})?\/(?:[\w.-]+\/)+[\w.-]+\/?$/.test(value)) return false;
  if (/^[a-z]+$/.test(value)) return false;
  return !isReference(value);
}

/**
 * For structured matches: the key (`<Password>…`, `key="ClearTextPassword"`, `name="Password"`,
 * `('DB_PASSWORD', …`) names a credential and the value can be a password.
 */
export function namedSecretValue(secret: string, match: string): boolean | Confidence {
  const key = /^(?:<|(?:key|name)=["']|\([ \t]*["'])([^"'<>]*)/i.exec(match)?.[1] ?? '';
  return secretName(key) && passwordLike(secret) ? 'medium' : false;
}

/**
 * A value standing alone where a credential's value goes (a table cell, a backticked word, a YAML block
 * scalar): a password-like word with a digit or a symbol, and not a number, a date, a duration or a
 * version (`| token_ttl | 3600s |`, `| PasswordLastUsed | 2026-01-01T10:00:00Z |`).
 */
export function standaloneValue(value: string): boolean {
  return /[^A-Za-z]/.test(value) && passwordLike(value) && !isQuantity(value);
}

/** A number, a measure (`45W`, `3600s`), a date or time, or a version: what a setting holds, not a secret. */
export function isQuantity(value: string): boolean {
  return (
    /^[\d.,:/+-]+$/.test(value) ||
    /^\d+(?:\.\d+)?[A-Za-z%]{0,3}$/.test(value) ||
    /^\d{4}-\d{2}-\d{2}/.test(value) ||
    /^v?\d+(?:\.\d+)+/.test(value)
  );
}
