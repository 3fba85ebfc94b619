/**
 * The one dictionary of words that make a key a credential's name. The assignment patterns' key
 * alternations and keywords (credential.patterns.ts), the validators' key tests and `secretName`
 * (validators.ts) all derive from these tables, so a new word is added once.
 */

/** Password words; the regex alternation tries them in this order. */
export const PASSWORD_WORDS = ['password', 'passwd', 'passphrase', 'pwd', 'pass'] as const;

/** A word of two parts, written together or joined by `_` or `-` (`api_key`, `api-key`, `apikey`, `ApiKey`). */
const joined = (first: string, second: string) => ({
  source: `${first}[_-]?${second}`,
  spellings: [`${first}_${second}`, `${first}-${second}`, `${first}${second}`],
});
const single = (word: string, source = word) => ({ source, spellings: [word] });

/** What a `…_key` names when the key is a credential (see SECRET_WORDS). */
const KEY_QUALIFIERS = [
  'license',
  'hmac',
  'aes',
  'jwt',
  'cipher',
  'decryption',
  'account',
  'storage',
  'instrumentation',
  'ingest',
  'write',
  'deploy',
  'unseal',
  'activation',
  'product',
  'integration',
  'routing',
  'service',
  'subscription',
  'sdk',
  'server',
  'admin',
  'root',
  'shared',
  'management',
  'primary',
  'secondary',
  'partner',
  'merchant',
  'webhook',
  'session',
  'consumer',
  'developer',
];

/** Secret words: each word's regex source and its spellings (the keyword prefilter's entries). */
const SECRET_WORDS: ReadonlyArray<{ source: string; spellings: readonly string[] }> = [
  single('secret'),
  single('token'),
  joined('api', 'key'),
  joined('access', 'key'),
  joined('auth', 'key'),
  joined('private', 'key'),
  joined('client', 'key'),
  joined('app', 'key'),
  single('dockerconfigjson'),
  single('dockercfg'),
  single('credential', 'credentials?'),
  joined('signing', 'key'),
  joined('encryption', 'key'),
  joined('master', 'key'),
  // WireGuard's PresharedKey, wpa_supplicant's psk=.
  joined('preshared', 'key'),
  single('psk'),
  // Keys named for what they sign, unlock, license or reach (`license_key`, `hmac_key`, `AccountKey`,
  // `instrumentation_key`, `write_key`, `routing_key`, `subscription_key`): the value must still look generated
  // (`secretAssignment`), so `routing_key: orders.created` or `primary_key: id` stay.
  ...KEY_QUALIFIERS.map((qualifier) => joined(qualifier, 'key')),
];

/** The qualified key words as one regex alternation (`license[_-]?key|hmac[_-]?key|…`). */
export const QUALIFIED_KEY_SOURCE = `(?:(?:${KEY_QUALIFIERS.join('|')})[_-]?key)`;
/** Their spellings as command-line flags write them (`account-key`). */
export const QUALIFIED_KEY_FLAG_SPELLINGS: readonly string[] = KEY_QUALIFIERS.map((qualifier) => `${qualifier}-key`);
/** The password words as one regex alternation. */
export const PASSWORD_WORD_SOURCE = `(?:${PASSWORD_WORDS.join('|')})`;
/** The secret words as one regex alternation (`secret|token|api[_-]?key|…`). */
export const SECRET_WORD_SOURCE = `(?:${SECRET_WORDS.map((word) => word.source).join('|')})`;
/** Every spelling of the secret words: the keywords of the patterns keyed on them. */
export const SECRET_WORD_SPELLINGS: readonly string[] = SECRET_WORDS.flatMap((word) => word.spellings);

/**
 * Words that make a name in a structured place (a table cell, a CSV field, an XML attribute, a
 * `name:`/`value:` pair) a credential's: every spelling above, the German `passwort`, and names whose
 * value is a credential without holding one of the words (`auth`, `signature`, redis `requirepass`,
 * slapd `rootpw`, nslcd `bindpw`, `connectionstring`).
 */
export const CREDENTIAL_NAME_WORDS: readonly string[] = [
  ...PASSWORD_WORDS,
  'passwort',
  ...SECRET_WORD_SPELLINGS,
  'auth',
  'signature',
  'requirepass',
  'masterauth',
  'rootpw',
  'bindpw',
  'connectionstring',
];
