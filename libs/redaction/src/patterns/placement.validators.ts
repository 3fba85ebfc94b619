import { entropy, isPlaceholderValue } from './placeholders';
import { isLowerCaseName, isQuantity, isReference, passwordLike, secretName, standaloneValue } from './validators';

/**
 * Validators of the placement patterns (placement.patterns.ts): what makes a table cell, a prose word or a
 * command's output line a credential and not a setting, a name or a message.
 */

/** The key a match opens with, past the cell, field or backtick that opens it, for the validators. */
export const keyOf = (match: string) => /^[|\t ,"\x60]*([A-Za-z0-9_./-]*)/.exec(match)![1];
/** CSV cells that are names in code (`username2`, `password_confirmation`): a header row, not a value. */
export const LOWER_IDENTIFIER = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
/**
 * A cell beside a credential's name holds its value, unless it reads as a setting: a short lower-case slug
 * (`oauth2`, `ldap_v3`, `min8-upper1`) or a bare `auth` key (an auth method, not `.npmrc`'s `_auth`). Lower-case
 * random tokens are long (hex, base32), so 16 characters and more still count.
 */
export function cellValue(secret: string, match: string): boolean {
  const key = keyOf(match);
  return (
    standaloneValue(secret) &&
    !(secret.length < 16 && /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/.test(secret)) &&
    !/^auth$/i.test(key) &&
    secretName(key)
  );
}

/** A prose label with a qualifier and a colon or a verb (`password for the staging db: `, `password for user "ops" was `), up to its value. */
export const QUALIFIED_LABEL = /^[a-z ]+[ \t](?:for|of|on|in)[ \t](?:[^:]*:|.*[ \t](?:is|was))[ \t]{1,4}["'`]?$/i;

/**
 * An identifier made of words and numbers (`Token2022Program`, `EXPIRES_IN_3600s`, `TSESTree.Token`,
 * `OAuth2Token`, `X509CertificateV3`), read chunk by chunk, left to right: capitals, words, numbers and `_`,
 * `.`, `-`; a lone capital only before a capitalised word or a number, a number with a unit (`3600s`) only at
 * the end or before a separator, and words of three letters or more holding at least half the letters.
 * Random text breaks one of these within a few characters (`Eo`, `5ms4`).
 */
export function wordsAndNumbers(value: string): boolean {
  const chunks = value.match(IDENTIFIER_CHUNK) ?? [];
  let letters = 0;
  let wordLetters = 0;
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i];
    const next = chunks[i + 1];
    let ok: boolean;
    if (/^[A-Z]$/.test(chunk)) ok = next !== undefined && /^(?:[A-Z][a-z]{2,}|\d+)$/.test(next);
    else if (/^\d+[a-z]{1,2}$/.test(chunk)) ok = next === undefined || /^[_.-]$/.test(next);
    else ok = /^(?:[A-Z]{2,}|[A-Z]?[a-z]{2,}|\d+|[_.-])$/.test(chunk);
    if (!ok) return false;
    const chunkLetters = chunk.replace(/[^A-Za-z]/g, '').length;
    letters += chunkLetters;
    if (/^(?:[A-Z]?[a-z]{3,}|[A-Z]{3,})$/.test(chunk)) wordLetters += chunkLetters;
  }
  return wordLetters * 2 >= letters;
}
const IDENTIFIER_CHUNK = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+[a-z]{0,2}(?![a-z])|[\s\S]/g;
/** A value in running text that only a machine would write: varied, not a path, a publishable key or a name. */
export function generatedInProse(value: string): boolean {
  return (
    /[a-z]/.test(value) &&
    // Mixed case and a non-letter, or lower case with a digit and a symbol (`tt8mq~wwt305`), or a long run of
    // lower-case letters and digits well mixed, as hex and base36 keys are (`a8f3b2c1d4e5…`; a name with a
    // number, `release2024candidate`, keeps its digits together).
    (/[A-Z]/.test(value)
      ? /[^A-Za-z]/.test(value)
      : /\d/.test(value) && (/[^A-Za-z\d_.-]/.test(value) || mixedLowerToken(value))) &&
    !/^[/.~]/.test(value) &&
    // Publishable keys (Mapbox `pk.…`, Stripe `pk_live_…`) are public by design.
    !/^pk[._]/.test(value) &&
    !wordsAndNumbers(value) &&
    entropy(value) >= 2.5 &&
    !isPlaceholderValue(value) &&
    !isReference(value)
  );
}

/** 20 or more lower-case letters and digits with at least four changes between a letter and a digit. */
function mixedLowerToken(value: string): boolean {
  return /^[a-z0-9]{20,}$/.test(value) && (value.match(/[a-z](?=\d)|\d(?=[a-z])/g)?.length ?? 0) >= 4;
}

/** A credential's name in a command's argument (`db_password`, `api-token`, `secret_key`). */
const SECRET_ARGUMENT = /(?:password|passwd|secret|token|key|credential)/i;
/** Commands whose output can be a credential; `printsSecret` says when it is. */
export const PRINTING_COMMANDS = [
  'terraform output',
  'vault kv get',
  'vault read',
  'vault write',
  'vault token create',
  'aws ecr get-login-password',
  'aws secretsmanager get-secret-value',
  'aws codeartifact get-authorization-token',
  'kubectl get secret',
  'kubectl create token',
  'heroku auth:token',
  'heroku config:get',
  'gcloud secrets versions access',
  'gcloud auth print-access-token',
  'gcloud auth print-identity-token',
  'az keyvault secret show',
  'op read',
  'doppler secrets get',
  'pass show',
  'gh auth token',
  'security find-generic-password',
  // Secret generators: what they print is a new secret.
  'openssl rand',
  'pwgen',
  'wg genkey',
  'wg genpsk',
  'rails secret',
  'bin/rails secret',
  'mix phx.gen.secret',
  'php artisan key:generate --show',
];

/** The first program word of a printing command, from the program to the end of its line. */
const PRINTING_PROGRAM = new RegExp(
  String.raw`(?<![\w-])(?:${[...new Set(PRINTING_COMMANDS.map((command) => command.split(' ')[0]))].join('|')}) [^\r\n]*`,
);
/** The command of a command-and-output match: from the program to the end of its line. */
export const commandOf = (match: string) => PRINTING_PROGRAM.exec(match)?.[0] ?? '';
/** A command line whose output is a credential: `terraform output -raw NAME`, `vault … -field=NAME`, … */
export function printsSecret(command: string): boolean {
  // Piped on, the output went to the next program (`| base64 -d` excepted, below).
  const piped = command.includes('|');
  if (command.startsWith('terraform')) return SECRET_ARGUMENT.test(/-raw[ =]([\w-]+)/.exec(command)?.[1] ?? '');
  if (command.startsWith('vault')) return SECRET_ARGUMENT.test(/-field=([\w-]+)/.exec(command)?.[1] ?? '');
  if (command.startsWith('kubectl get')) return /\|[ \t]*base64 (?:-d|--decode)[ \t]*$/.test(command);
  if (command.startsWith('heroku config:get'))
    return !piped && SECRET_ARGUMENT.test(/config:get[ \t]+([\w-]+)/.exec(command)?.[1] ?? '');
  // JSON output is read by the assignment patterns; only the bare value of text output is taken here.
  if (/^(?:aws (?:secretsmanager|codeartifact)|az) /.test(command))
    return !piped && /(?:--output|-o)[ =](?:text|tsv)\b/.test(command);
  if (command.startsWith('doppler')) return !piped && command.includes('--plain');
  if (command.startsWith('security')) return !piped && /(?:^|[ \t])-w(?:[ \t]|$)/.test(command);
  // `aws ecr get-login-password`, `heroku auth:token`, `gcloud secrets versions access`, `op read`, `pass show`,
  // `gh auth token`, `kubectl create token`, `openssl rand -hex 32`, `wg genkey`: the whole output is the
  // credential, unless piped on or written to a file (`> key`, `-out key`; `2>&1` still prints).
  return !piped && !/(?:^|[^2&])>|(?:^|[ \t])-out[ \t]/.test(command);
}

/**
 * The argument of a protocol's login command (`PASS …`, `AUTH …`): a password-like word, not a count or a
 * ratio (`PASS 12/12`), a word in capitals (`AUTH FAILED`), a file name (`PASS app.spec.ts`) or a test's name
 * (`PASS test_login`).
 */
export function protocolArgument(value: string): boolean {
  return (
    passwordLike(value) &&
    !isQuantity(value) &&
    !/^[A-Z_]+$/.test(value) &&
    !/\.[a-z]{1,5}$/.test(value) &&
    !isLowerCaseName(value)
  );
}

/**
 * Parts joined by `.` or `-` that are each a word in camel, Pascal, lower or upper case (`Foo.Bar`,
 * `config.dbPassword`): a dotted name in code or docs.
 */
export function isDottedName(value: string): boolean {
  return value.split(/[.-]/).every((part) => /^(?:[A-Z]?[a-z]+(?:[A-Z][a-z]+)*|[A-Z]+)$/.test(part));
}

/** Words of a command that read and print a value, as a verb or a flag (`get`, `cat`, `--show-secrets`, `-raw`). */
const READING_WORD =
  /^(?:get|show|read|access|output|cat|echo|printf|printenv|print|reveal|decrypt|view|-raw|-field=.*|--fields?|--plain|--show-secrets|--with-decryption|--reveal|--print-value-only|--password|-w)$/;

/**
 * A command typed at a prompt that prints a secret it names: a reading word among its words, and one word
 * naming a credential by its last part (`/run/secrets/db_password`, `$API_TOKEN`, `app/db/password`,
 * `--password`). Piped on, its output went to the next program, unless that program decodes it (`| base64 -d`).
 */
export function readsNamedSecret(command: string): boolean {
  const pipe = command.indexOf('|');
  if (pipe !== -1 && !/^\|[ \t]*base64 (?:-d|--decode)[ \t]*$/.test(command.slice(pipe))) return false;
  const words = command
    .slice(0, pipe === -1 ? undefined : pipe)
    .split(/[ \t]+/)
    .map((word) => word.replace(/^["'$]+|["']+$/g, ''));
  return (
    words.some((word) => READING_WORD.test(word)) &&
    words.some((word) =>
      secretName(
        word
          .replace(/^-+/, '')
          .replace(/^.*[/:=]/, '')
          .replace(/^\{|\}$/g, ''),
      ),
    )
  );
}

/**
 * Words that make a value of words an instruction or a description (`see vault`, `stored in vault`, `not set`,
 * `must be strong`), not a passphrase: articles, prepositions, pronouns, auxiliaries and placeholder talk.
 */
const INSTRUCTION_WORD =
  /^(?:a|an|the|to|in|on|at|of|for|from|with|by|as|or|and|is|are|was|be|been|will|must|should|can|not|no|none|see|set|use|ask|get|change|replace|your|my|our|their|this|that|here|there|todo|tbd|empty|unset|same|above|below|required|optional|stored|managed|secret|secrets|password|passwords|credential|credentials|key|keys|token|tokens|name|file|path|ref|id|config|data|vault|env|environment|default)$/;

/**
 * A passphrase of words under a key that names one (`SESSION_SECRET=keyboard cat`): lower-case words, none of
 * them one that writes an instruction or a description rather than a phrase.
 */
export function passphraseOfWords(secret: string, match: string): boolean {
  const name =
    /(?:^|[\s-])([A-Za-z0-9_.-]*(?:passphrase|password|passwd|secret)[A-Za-z0-9_.-]*)/i.exec(match)?.[1] ?? '';
  const words = secret.split(/[ \t]+/);
  return (
    secretName(name) &&
    /^[a-z \t]+$/.test(secret) &&
    !words.some((word) => INSTRUCTION_WORD.test(word)) &&
    !isPlaceholderValue(secret)
  );
}
