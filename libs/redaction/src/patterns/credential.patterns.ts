import type { SecretPattern } from '../redaction.types';
import {
  PASSWORD_WORD_SOURCE,
  PASSWORD_WORDS,
  QUALIFIED_KEY_FLAG_SPELLINGS,
  QUALIFIED_KEY_SOURCE,
  SECRET_WORD_SOURCE,
  SECRET_WORD_SPELLINGS,
} from './credential-words';
import { isPlaceholderValue } from './placeholders';
import {
  byHead,
  awsSecretKey,
  basicCredentials,
  cookieHeader,
  gluedPasswordAssignment,
  isLowerCaseName,
  opaqueToken,
  passwordAssignment,
  pemPrivateKey,
  secretAssignment,
  standaloneValue,
  urlPassword,
} from './validators';

/**
 * `key = value`, `key: value`, `"key": "value"`, `key := value`, `key => value`, `['key'] = value`,
 * `\"key\": \"value\"` (JSON inside JSON), `""key"":""value""` (JSON inside CSV), `key%3Dvalue` (percent-encoded),
 * `key：value`, YAML tags (`key: !!str "value"`; not CloudFormation's `!Ref`, `!Sub`, …). The blanks around the
 * operator never include a line break: an empty assignment (`DB_PASSWORD=`) ends its line, it does not
 * take the next line as its value.
 */
/** CloudFormation's short-form functions (`!Ref Name`, `!Sub '…'`): what follows names or builds a value. */
const CFN_FUNCTION = String.raw`(?:Ref|Sub|GetAtt|ImportValue|FindInMap|Select|Join|If|Base64|Cidr|GetAZs|Split|Transform|Condition|Equals|Not|And|Or)\b`;
const SEP = String.raw`(?:(?:\\?["']\]?)?[ \t]{0,4}(?::=|=>|[:=\uff1a]|%3[aAdD])[ \t]{0,4}(?:!!?(?!${CFN_FUNCTION})[a-z]{1,10}[ \t]{1,4})?(?:"""|'''|\\?["'\x60])?|""[ \t]{0,4}[:=][ \t]{0,4}"")`;
/**
 * A value: quoted (to the closing quote, escaped quotes inside; TOML's and Python's `"""…"""` and `'''…'''`;
 * `\"…\"` when the quotes are escaped, as in JSON inside JSON; `""…""` as in CSV; `'…'\''…'` as a shell writes a
 * quote inside single quotes), or bare up to a blank, a quote, a separator, a control character (a NUL-separated
 * next variable) or a JSON escape such as `\u0026`. `{…}` is one ODBC value, `;` included, and `}}` inside it
 * is ODBC's escaped `}`.
 */
const quotedValue = (min: number, max: number) =>
  String.raw`(?<=""")[^"\n]{${min},${max}}(?=""")|(?<=''')[^'\n]{${min},${max}}(?=''')|(?<=\\")[^"\\\n]{${min},${max}}(?=\\")|(?<=[:=][ \t]{0,4}"")[^"\n]{${min},${max}}(?="")|(?<=(?<![\\"])")(?:[^"\\\n]|\\.){${min},${max}}(?=")|(?<=')(?:[^'\n]|'\\'')(?:[^'\n]|'\\''){${min - 1},${max}}(?=')|(?<=[=:]\{)(?:[^}\n]|\}\}){${min},${max}}(?=\}(?!\}))`;
const BARE_STOP = String.raw`\s"'\x60,;&<>\x00-\x1f\\%`;
// A backslash or percent sign is part of a value, unless it starts an escape that ends it (`\u0026`, `%26`).
/**
 * A bare value that is a call (`String.fromCodePoint(i)`, `input('…')`, `base64.b64decode(…)`) is code, not a
 * credential. A lone callee name holds no digit (`Op9(iU7y` is a password with a bracket); a dotted one may
 * (`hashlib.sha256(`, `base64.b64decode(`).
 */
const NOT_A_CALL = String.raw`(?![A-Za-z_$][A-Za-z_$]{0,40}(?:\.[A-Za-z_$][A-Za-z_$]{0,40}){0,4}\(|[A-Za-z_$][\w$]{0,40}(?:\.[A-Za-z_$][\w$]{0,40}){1,4}\()`;
/** What starts the next parameter after a separator: `&user=`, `;Server=`, `,level:`. */
const NEXT_KEY = String.raw`[A-Za-z_][A-Za-z0-9_.\[\]-]{0,40}[=:]`;
/**
 * `&`, `;` and `,` separate parameters (`pass=x&user=y`, `Password=x;Server=y`) and `'` closes a quote, but
 * inside a value they are the password's own characters (`pass=p@ss&w0rd`, `O'Brien`): cutting the value
 * there leaves its tail in the text. They stay in the value when a value character follows and what follows
 * is not the next key (`&&`, `&amp;` and `&#` end it too); `'` only between letters or digits, not
 * as an English contraction (`it's`, `don't`) and not before the next key (`…!a'CLIENT_SECRET=…`). `'\''` is a quote a shell wrote inside single quotes
 * (`echo 'password: ab'\''cd'`): part of the value.
 */
const innerPunctuation = (stop: string) =>
  String.raw`|[&;,](?=[^${stop}])(?!amp;|#|${NEXT_KEY})|(?<=[A-Za-z0-9])'(?=[A-Za-z0-9])(?![a-z]{1,2}(?![A-Za-z0-9])|${NEXT_KEY})|'\\''(?=[^${stop}])`;
const bareChar = (stop: string) =>
  String.raw`(?:[^${stop}]|\\(?![ux0-9nrt"])|%(?!26|3[bBdD]|2[02cC])${innerPunctuation(stop)})`;
// The key must start a word (after `_`, `.`, `-`, a non-alphanumeric or a percent escape): `DB_PASSWORD` and
// `%3Fpassword%3D` match,
// `mypassword` does not. Without that boundary `passpasspass…` makes the pattern polynomial (recheck).
const PASSWORD_KEY = String.raw`(?:(?<![A-Za-z0-9])|(?<=%[0-9A-Fa-f]{2}))${PASSWORD_WORD_SOURCE}[A-Za-z0-9_.-]{0,24}`;
const SECRET_KEY = String.raw`${SECRET_WORD_SOURCE}[A-Za-z0-9_.-]{0,24}`;
const PASSWORD_KEYWORDS = [...PASSWORD_WORDS];

/**
 * Context rules: credentials recognised by where they sit (key files, URLs,
 * headers, assignments) rather than by a provider prefix. Only the secret
 * span is masked, so `postgres://app:[REDACTED:URL_PASSWORD]@db/x` stays readable.
 */
export const CREDENTIAL_PATTERNS: SecretPattern[] = [
  {
    name: 'PRIVATE_KEY',
    description:
      'PEM private keys (RSA, EC, DSA, OpenSSH, PGP, PKCS#8, encrypted), multi-line or with \\n escapes inside JSON; public keys and certificates are kept',
    // The body may hold single dashes (Proc-Type, DEK-Info) but never "--", so it stops at the END line
    // and one key's scan never runs into the next key: linear.
    regex:
      /-----BEGIN[ A-Z0-9]{0,40} PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=\s\\,:.]|-(?!-)){0,16000}(?:-----END[ A-Z0-9]{0,40} PRIVATE KEY(?: BLOCK)?-----)?/,
    keywords: ['-----BEGIN'],
    maxLength: 16120,
    keywordOffset: 0,
    validate: pemPrivateKey,
  },
  {
    name: 'PRIVATE_KEY',
    description:
      'PEM private keys whose lines carry a prefix (CI timestamps, `app-1  | `, `[pod] `): BEGIN to END, prefixes included',
    // Anything but "--" between the two lines, so the span never runs past its own END (or into another key).
    regex:
      /-----BEGIN[ A-Z0-9]{0,40} PRIVATE KEY(?: BLOCK)?-----(?:[^-]|-(?!-)){40,16000}-----END[ A-Z0-9]{0,40} PRIVATE KEY(?: BLOCK)?-----/,
    keywords: ['-----BEGIN'],
    maxLength: 16120,
    keywordOffset: 0,
    validate: pemPrivateKey,
  },
  {
    name: 'PRIVATE_KEY',
    description: 'PuTTY private key files (.ppk): the Private-Lines block and its MAC',
    regex:
      /Private-Lines:[ \t]{0,4}\d{1,3}\r?\n(?<secret>(?:[A-Za-z0-9+/=]{1,128}\r?\n){1,64}(?:Private-MAC:[ \t]{0,4}[0-9a-f]{20,128})?)/,
    keywords: ['Private-Lines:'],
    maxLength: 8500,
    keywordOffset: 0,
  },
  {
    name: 'JWT',
    description: 'JSON Web Tokens (eyJ….eyJ….signature), signed or not',
    regex: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,4096}\.eyJ[A-Za-z0-9_-]{2,8192}\.[A-Za-z0-9_-]{0,2048}/,
    keywords: ['eyJ'],
    maxLength: 14360,
    keywordOffset: 0,
  },
  {
    name: 'URL_PASSWORD',
    description: 'Passwords in URL userinfo (postgres, mysql, mongodb(+srv), redis, amqp, ftp, http basic auth, …)',
    regex:
      // A `#` belongs in the password (`redis://:pa#ss@host`): unencoded it is not a valid URL, but logs and
      // config files write it so, and the `@` after it still ends the userinfo.
      /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/[^\s:/?#@"'<>]{0,128}:(?<secret>[^\s/?"'<>]{1,256})@(?=[A-Za-z0-9[_])/,
    keywords: ['://'],
    maxLength: 420,
    keywordOffset: 31, // the scheme (up to 31 characters) precedes `://`
    validate: urlPassword,
  },
  {
    name: 'AWS_SECRET_ACCESS_KEY',
    description:
      'AWS secret access keys in an aws/secret-access-key-named assignment; the documented example key is kept',
    // The value of a secret-key-named assignment is secret whatever follows its 40 characters: the whole
    // token goes (`…key/a` used to keep the key, refused as "not 40 characters"); at most 40 more.
    regex:
      /(?:aws[_.-]?secret[_.-]?(?:access[_.-]?)?key|secret[_.-]?access[_.-]?key|aws[_.-]?secret)["']?\s{0,5}(?::=|=>|[:=])\s{0,5}["']?(?<secret>[A-Za-z0-9/+]{40}[A-Za-z0-9/+=]{0,40})(?![A-Za-z0-9+/=])/i,
    keywords: ['secret'],
    maxLength: 120,
    keywordOffset: 4, // `aws_` precedes `secret`
    validate: awsSecretKey,
  },
  {
    name: 'BEARER_TOKEN',
    description: 'Bearer tokens (Authorization headers, curl -H, logs)',
    regex: /(?<![A-Za-z0-9_])bearer(?:\s{1,4}|%20)(?<secret>[A-Za-z0-9._~+/-]{8,4096}=*)/i,
    keywords: ['bearer'],
    maxLength: 4120,
    keywordOffset: 0,
    validate: opaqueToken,
  },
  {
    name: 'BASIC_AUTH',
    description: 'HTTP Basic credentials (base64 user:password)',
    regex: /(?<![A-Za-z0-9_])basic(?:\s{1,4}|%20)(?<secret>[A-Za-z0-9+/]{6,2048}={0,2})/i,
    keywords: ['basic'],
    maxLength: 2064,
    keywordOffset: 0,
    validate: basicCredentials,
  },
  {
    name: 'AUTHORIZATION_HEADER',
    description: 'Authorization header values with other schemes (token, Bot, SSWS, raw keys)',
    // `=` only as base64 padding, so the value never runs over a following `authorization=`.
    regex:
      /authorization["']?\s{0,4}[:=]\s{0,4}["']?(?!bearer\s|basic\s)(?:(?:token|bot|apikey|ssws|key|digest)\s{1,4})?(?<secret>[A-Za-z0-9._~+/-]{8,4096}={0,2})/i,
    keywords: ['authorization'],
    maxLength: 4140,
    keywordOffset: 0,
    validate: opaqueToken,
  },
  {
    name: 'COOKIE',
    description: 'Cookie and Set-Cookie header values',
    // The value starts with a cookie name and `=`, so `cookie: cookie: …` fails at once instead of rescanning
    // the line from every `cookie`; 2 KiB bounds that rescan for lines built of rejected `cookie: a=` pairs
    // (session and token cookies further along still meet their own patterns).
    regex: /(?<![A-Za-z0-9_-])(?:set-)?cookie["']?\s{0,4}:\s{0,4}["']?(?<secret>[^\s;,=:"']{1,256}=[^\r\n"']{0,2048})/i,
    keywords: ['cookie'],
    maxLength: 2330,
    keywordOffset: 4, // `set-`
    validate: cookieHeader,
  },
  {
    name: 'SESSION_TOKEN',
    description:
      'Session ids and tokens in assignments and cookies (session_id=, sessionid=, PHPSESSID=, connect.sid=, …)',
    // The value holds no `:` or `=` (base64 padding and express's `s:` prefix aside), so it can never run
    // over the next `session=`: each character is scanned for one key, not for every key before it.
    regex:
      /(?:session(?:[_.-]?(?:id|token|key|cookie|secret))?|sessid|connect\.sid)["']?\s{0,4}(?::=|=>|[:=])\s{0,4}["']?(?<secret>(?:s:)?[A-Za-z0-9%._~+/-]{16,4096}={0,2})/i,
    keywords: ['session', 'sessid', 'connect.sid'],
    maxLength: 4130,
    keywordOffset: 0,
    validate: (secret) => /\d/.test(secret) && !isPlaceholderValue(secret),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description: 'Passwords in env, YAML, JSON, INI, ADO.NET and query-string assignments',
    regex: new RegExp(
      String.raw`${PASSWORD_KEY}${SEP}\{?(?<secret>${quotedValue(3, 256)}|${NOT_A_CALL}(?![a-z]{1,20}[ \t][a-z]{2})${bareChar(BARE_STOP)}{3,256})`,
      'i',
    ),
    keywords: PASSWORD_KEYWORDS,
    maxLength: 320,
    keywordOffset: 0,
    trimTrailing: '.:)]}',
    runsToLineEnd: true,
    validate: byHead(passwordAssignment, 3),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'Passwords under camelCase keys and glued names (dbPassword, keyStorePassword, keystorePass, DBPassword, PGPASSWORD, DBPASS, pgpassword, keystorepass)',
    // Case-sensitive: the capital is the word boundary, so `passpass…` never restarts the key (linear). `Pass`
    // alone ends the key (`keystorePass`, `smtpPass`, `DBPASS`), or `firstPassCount` would be one. In lower case the
    // word is glued to a prefix (`dbpassword`, `storepass`); `pass` there ends the key and is not the end of
    // an English word (`bypass`, `compass`, `trespass`, `surpass`, `overpass`, `underpass`). Lower-case
    // `pwd` is left out: `oldpwd` is the shell's previous directory.
    regex: new RegExp(
      String.raw`(?<=[A-Za-z0-9])(?:Password|Passwd|Passphrase|Pass(?![a-z])|Pwd|PASSWORD|PASSWD|PASSPHRASE|(?<!BY|COM|TRES|SUR|OVER|UNDER)PASS(?![A-Z])|(?<=[a-z0-9])(?:password|passwd|passphrase|(?<!by|com|tres|sur|over|under)pass(?![a-z])))[a-z0-9_.-]{0,24}${SEP}\{?(?<secret>${quotedValue(3, 256)}|${bareChar(BARE_STOP)}{3,256})`,
    ),
    keywords: [
      'Pass',
      'Password',
      'Passwd',
      'Passphrase',
      'Pwd',
      'PASSWORD',
      'PASSWD',
      'PASSPHRASE',
      'PASS',
      'pass', // the lower-case glued forms all hold it
    ],
    maxLength: 320,
    keywordOffset: 0,
    opensAfterAlphanumeric: true,
    trimTrailing: '.:)]}',
    runsToLineEnd: true,
    // The match starts at the password word: lower case when it is glued to a lower-case prefix.
    validate: byHead(
      (secret, match) => (match.startsWith('pass') ? gluedPasswordAssignment : passwordAssignment)(secret, match),
      3,
    ),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description: 'PowerShell plain-text secure strings (ConvertTo-SecureString "…" -AsPlainText)',
    regex: /ConvertTo-SecureString[ \t]{1,4}(?:-String[ \t]{1,4})?["'](?<secret>[^"'\n]{1,256})["']/i,
    keywords: ['convertto-securestring'],
    maxLength: 300,
    keywordOffset: 0,
    validate: (secret) => !isPlaceholderValue(secret),
  },
  {
    name: 'PASSWORD',
    description:
      'Passwords given as CLI flags (--password x, --db-password=x; as list items: args: ["--db-password", "x"])',
    regex:
      /(?<![A-Za-z0-9_-])--?[a-z0-9-]{0,20}(?:password|passwd|passphrase|pass|pwd)(?:=|\s{1,4}|["'],[ \t]{0,4}(?=["']))["']?(?<secret>[^\s"'`;&|<>-][^\s"'`;&|<>]{2,255})/i,
    keywords: PASSWORD_KEYWORDS,
    maxLength: 300,
    keywordOffset: 22, // `--` and up to 20 flag characters precede the word
    // `-pass env:VAR`, `file:path`, `fd:3`, `stdin` (openssl, keytool) say where the password is read from.
    validate: (secret) =>
      !isPlaceholderValue(secret) && !/^\d{1,3}$/.test(secret) && !/^(?:(?:env|file|fd):|stdin$)/.test(secret),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'A password flag right after a user flag, whatever the program (`-u admin -p …`, `-l admin -p …`, `-u:admin -p:…`, `--username u --pass …`)',
    // The pair is the convention of tools without a rule of their own (smbmap, evil-winrm, hydra, winrs); `-p`
    // alone is as often a port or a prompt, so the user flag before it is what makes it a password.
    regex:
      /(?<![A-Za-z0-9_-])(?:-[ulU]|--user(?:name)?|\/u)(?:[ \t]{1,4}|[:=])["']?[^\s"'-][^\s"']{0,63}["']?[ \t]{1,4}(?:-[pP]|--pass|\/p)(?:[ \t]{1,4}|[:=])["']?(?<secret>[^\s"'`;&|<>[-][^\s"'`;&|<>]{2,255})/,
    keywords: ['-u', '-l', '-U', '--user', '/u'],
    maxLength: 360,
    keywordOffset: 0,
    // Not a port or a pid (`-u root -p 3306`, `-p 8080:80`), nor a word (`mysql -u root -p shop` names the
    // database): `standaloneValue` refuses both.
    validate: (secret) => (standaloneValue(secret) && !isPlaceholderValue(secret) ? 'medium' : false),
  },
  {
    name: 'PASSWORD',
    description: 'Passwords in .netrc entries',
    regex:
      /(?:machine\s{1,10}[^\s]{1,253}|default)\s{1,10}login\s{1,10}[^\s]{1,128}\s{1,10}password\s{1,10}(?<secret>[^\s]{1,256})/i,
    keywords: ['machine', 'default'],
    maxLength: 700,
    keywordOffset: 0,
    validate: (secret) => !isPlaceholderValue(secret),
  },
  {
    name: 'PASSWORD',
    description: 'Passwords in .pgpass lines (host:port:database:user:password)',
    regex: /(?<![^\s])[A-Za-z0-9.*_-]{1,253}:(?:\d{1,5}|\*):[^:\s]{1,63}:[^:\s]{1,63}:(?<secret>[^\s]{1,256})/,
    keywords: [':5432:', ':6432:', ':*:'],
    maxLength: 700,
    keywordOffset: 253, // the host name precedes `:5432:`; wrong starts fail at the lookbehind
    validate: (secret) => !isPlaceholderValue(secret),
  },
  {
    name: 'PASSWORD',
    description: 'Passwords in Oracle JDBC URLs (jdbc:oracle:thin:user/password@host)',
    regex: /jdbc:oracle:thin:[^/\s@]{1,64}\/(?<secret>[^@\s/:]{1,128})@/i, // no `/` or `:` in the secret: keeps it linear (recheck)
    keywords: ['jdbc:oracle'],
    maxLength: 220,
    keywordOffset: 0,
    validate: (secret) => !isPlaceholderValue(secret),
  },
  {
    name: 'GENERIC_SECRET',
    description: 'Values of secret/token/api_key/credential-named keys in env, YAML, JSON, headers and query strings',
    // Unquoted values hold no `:` and no `=` but padding, so they never run over the next `token=`. A key right
    // after a colon is an ARN or URN segment (`…:secret:prod/db`), unless the colon is PowerShell's `$env:`.
    regex: new RegExp(
      String.raw`(?:(?<!:)|(?<=\$env:))${SECRET_KEY}${SEP}(?<secret>${quotedValue(8, 512)}|${NOT_A_CALL}${bareChar(BARE_STOP + String.raw`()\[\]{}:=@`)}{8,512}={0,2})`,
      'i',
    ),
    keywords: SECRET_WORD_SPELLINGS,
    maxLength: 580,
    keywordOffset: 0,
    trimTrailing: '.:',
    validate: byHead(secretAssignment, 8),
    confidence: 'medium',
  },
  {
    name: 'GENERIC_SECRET',
    description:
      "Secrets given as CLI flags (--token x, --api-key=x, --client-secret x, --secret-key x, --account-key x; Go's single dash: -token x; as list items too)",
    regex: new RegExp(
      String.raw`(?<![A-Za-z0-9_-])--?[a-z0-9-]{0,20}(?:secret|token|api-key|apikey|access-key|auth-key|private-key|${QUALIFIED_KEY_SOURCE})(?:-(?:key|value|string))?(?:=|\s{1,4}|["'],[ \t]{0,4}(?=["']))["']?(?<secret>[^\s"'\x60;&|<>-][^\s"'\x60;&|<>]{7,511})`,
      'i',
    ),
    keywords: [
      'secret',
      'token',
      'api-key',
      'apikey',
      'access-key',
      'auth-key',
      'private-key',
      ...QUALIFIED_KEY_FLAG_SPELLINGS,
    ],
    maxLength: 560,
    keywordOffset: 22, // `--` and up to 20 flag characters precede the word
    // Not a file the secret is read from (`--deploy-key ~/.ssh/id_ed25519`, `--service-key sa-2.json`), nor a
    // lower-case name (`--routing-key orders.created.v2`).
    validate: (secret) =>
      /\d/.test(secret) &&
      !isPlaceholderValue(secret) &&
      !isLowerCaseName(secret) &&
      !/^[~./]|\.(?:pem|key|json|p12|pfx|crt|txt)$/i.test(secret),
    confidence: 'medium',
  },
];
