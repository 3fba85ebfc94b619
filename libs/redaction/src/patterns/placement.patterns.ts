import type { SecretPattern } from '../redaction.types';
import { hasValidBase58Check } from './checksum';
import { isPlaceholderValue } from './placeholders';
import {
  basicCredentials,
  isLowerCaseName,
  isQuantity,
  isReference,
  isResourcePath,
  looksGenerated,
  namedSecretValue,
  passwordLike,
  secretName,
  standaloneValue,
} from './validators';
import {
  cellValue,
  isDottedName,
  commandOf,
  PRINTING_COMMANDS,
  generatedInProse,
  wordsAndNumbers,
  keyOf,
  LOWER_IDENTIFIER,
  printsSecret,
  passphraseOfWords,
  protocolArgument,
  readsNamedSecret,
  QUALIFIED_LABEL,
} from './placement.validators';

/**
 * Credentials recognised by the structure around them rather than by their own
 * shape: config formats (XML, call-style definitions, name/value member pairs,
 * `key value` lines), tool output (Terraform, Redis MONITOR, SQL, signed URLs)
 * and prose. Each span is the value only.
 */

/** A number from 0 to 255 written in decimal, as a byte of a key printed as a list. */
const BYTE = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\d)`;

/** Key words that name a credential, in the spelling config keys use (a dictionary checked again by `secretName`). */
const OTHER_CREDENTIAL_WORDS = String.raw`pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth`;
const CREDENTIAL_WORD = String.raw`(?:password|passwd|passphrase|${OTHER_CREDENTIAL_WORDS})`;
/**
 * The same with `pass` for the password words, which also takes a short `SmtpPass` or `keystorePass`
 * (`secretName` turns away `bypass`, `compass` and `passport`). Only in patterns whose name sits between
 * delimiters (XML, a call's first argument): in the table-cell pattern `pass` followed by the name's tail is
 * ambiguous, and recheck finds it polynomial.
 */
const DELIMITED_CREDENTIAL_WORD = String.raw`(?:pass|${OTHER_CREDENTIAL_WORDS})`;
const CREDENTIAL_KEYWORDS = [
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'apikey',
  'api_key',
  'api-key',
  'access_key',
  'access-key',
  'accesskey',
  'private',
  'credential',
  'auth',
];

/** What an interactive prompt asks for when it asks for a credential (`AWS Secret Access Key`, `Client secret`). */
const PROMPT_CREDENTIAL = String.raw`password|passphrase|passwd|secret(?:[ \t]access)?(?:[ \t]key)?|token|api[ \t]?key|access[ \t]key|private[ \t]key`;
const PROMPT_KEYWORDS = [
  'password',
  'passphrase',
  'passwd',
  'secret',
  'token',
  'api key',
  'apikey',
  'access key',
  'secret key',
  'private key',
];

/** The whole key of a `key value` line (`password`, `db_password`, `api_key`): no `Auth Auth` declarations. */
const LINE_KEY_WORD = String.raw`(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|secret[_-]?key)`;

/** The rest of a key after its credential word (`Password` of `DbPassword`, `_key` of `api_key`). */
const NAME_TAIL = String.raw`[A-Za-z0-9_.-]{0,24}`;
/** One argument of a call as code or a stack trace prints it: a quoted string or a bare expression. */
const CALL_ARG = String.raw`(?:'[^'\n]{0,200}'|"[^"\n]{0,200}"|[\w$.>-]{1,60})`;

/** The JSON member that names a value in a name/value pair (`"name": `, `"Key": `, `"ParameterKey": `). */
const NAME_MEMBER = String.raw`"(?:key|name|keyName|ParameterKey|Name|Key)"[ \t]{0,4}:[ \t]{0,4}`;
/** The member that holds the value (`"value": `, `"ParameterValue": `). */
const VALUE_MEMBER = String.raw`"(?:value|Value|ParameterValue)"[ \t]{0,4}:[ \t]{0,4}`;
/** One other short member that may sit between the two (`"Type": "SecureString", `). */
const OTHER_MEMBER = String.raw`(?:"[A-Za-z]{1,20}"[ \t]{0,4}:[ \t]{0,4}"[^"\n]{0,40}",[ \t]{0,4})?`;
/** The name a pair gives, first in the match (`DB_PASSWORD` of `"name": "DB_PASSWORD"`), and last. */
const FIRST_MEMBER_NAME = new RegExp(String.raw`${NAME_MEMBER}"([^"\n]*)"`);
const LAST_MEMBER_NAME = new RegExp(String.raw`${NAME_MEMBER}"([^"\n]*)"$`);

/** An unquoted or quoted item of an argument list, up to its `,` or the list's end. */
const LIST_ITEM = String.raw`[^\s,"'()[\]]`;

/** Password words of other languages whose spelling is ASCII (the others are in LOCALISED_PASSWORD_KEYS). */
const ASCII_LOCAL_PASSWORDS = [
  'passwort',
  'kennwort',
  'contrasena',
  'mot de passe',
  'mdp',
  'senha',
  'wachtwoord',
  'haslo',
  'heslo',
  'jelszo',
  'parola',
  'salasana',
  'losenord',
  'adgangskode',
  'sifre',
  'clave',
];
const LOCALISED_PASSWORD_KEYS = [
  'contraseña',
  'hasło',
  'jelszó',
  'lösenord',
  'şifre',
  'пароль',
  'パスワード',
  '密码',
  '密碼',
  '口令',
  '비밀번호',
  'κωδικός',
  'סיסמה',
  'كلمة المرور',
  'mật khẩu',
  'รหัสผ่าน',
];
/** `:`, `=` and their full-width forms, with the blanks CJK and French typography put around them. */
const WIDE_SEP = String.raw`[ \t\u3000]{0,4}[:=\uff1a\uff1d][ \t\u3000]{0,4}`;
const LOCAL_VALUE = String.raw`["'\u201c\u300c]?(?<secret>[^\s"'\u201d\u300d,;]{3,256})`;

export const PLACEMENT_PATTERNS: SecretPattern[] = [
  {
    name: 'PASSWORD',
    description:
      'Password fields in other languages (Passwort, contraseña, mot de passe, senha, パスワード, 密码, пароль, …), full-width colons included',
    regex: new RegExp(
      String.raw`(?<![A-Za-z0-9\u00c0-\u024f])(?:${ASCII_LOCAL_PASSWORDS.join('|').replace('contrasena', 'contrase(?:n|ñ)a')})${WIDE_SEP}${LOCAL_VALUE}`,
      'i',
    ),
    keywords: ASCII_LOCAL_PASSWORDS.map((word) => (word === 'contrasena' ? 'contrase' : word)),
    maxLength: 290,
    keywordOffset: 0,
    trimTrailing: '.)]}。',
    validate: passwordLike,
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description: 'Password fields named in scripts other than Latin (パスワード, 密码, пароль, 비밀번호, …)',
    regex: new RegExp(String.raw`(?:${LOCALISED_PASSWORD_KEYS.join('|')})${WIDE_SEP}${LOCAL_VALUE}`, 'i'),
    keywords: [],
    // Scanned only when the text holds a character outside ASCII: most logs never pay for it. Its UTF-8 length
    // says so in about 1 ms on 5 MB (native code), where a regex search for one took 8.
    gate: (text) => Buffer.byteLength(text, 'utf8') !== text.length,
    maxLength: 290,
    trimTrailing: '.)]}。',
    validate: passwordLike,
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'Credentials as XML element text (<password>…</password>, <ClearTextPassword>, <apiKey>, <wsse:Password Type="…">, Windows unattend\'s <AdministratorPassword><Value>…</Value>)',
    regex: new RegExp(
      String.raw`<(?<name>[A-Za-z0-9_.:-]{0,30}${DELIMITED_CREDENTIAL_WORD}[A-Za-z0-9_.-]{0,24})(?:[ \t][^<>\n]{0,300})?>(?:\s{0,40}<value>)?(?<secret>[^<>\n]{3,512})</`,
      'i',
    ),
    keywords: ['pass', ...CREDENTIAL_KEYWORDS],
    maxLength: 900,
    keywordOffset: 32,
    validate: namedSecretValue,
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'A Terraform variable named for a credential and its default (`variable "db_password" { default = "…" }`)',
    // The members before `default` (`type`, `description`, `sensitive`) hold no braces; the block's name decides.
    regex:
      /variable[ \t]{1,4}"(?<name>[A-Za-z0-9_-]{1,64})"[ \t]{0,4}\{[^{}]{0,400}?(?<![A-Za-z0-9_])default[ \t]{0,8}=[ \t]{0,4}"(?<secret>[^"\n]{3,256})"/,
    keywords: ['variable'],
    maxLength: 800,
    keywordOffset: 0,
    validate: (secret, match) =>
      secretName(/"([^"]*)"/.exec(match)?.[1] ?? '') && passwordLike(secret) && !/^\$\{/.test(secret)
        ? 'medium'
        : false,
  },
  {
    name: 'PASSWORD',
    description: 'Plain-text passwords in HAProxy userlists (`user admin insecure-password …`)',
    regex: /(?<![A-Za-z0-9-])insecure-password[ \t]{1,8}(?<secret>[^\s]{1,256})/,
    keywords: ['insecure-password'],
    maxLength: 280,
    keywordOffset: 0,
    validate: (secret) => !isPlaceholderValue(secret),
  },
  {
    name: 'PASSWORD',
    description: "OpenVPN's inline credentials (`<auth-user-pass>`, the user line, then the password line)",
    regex: /<auth-user-pass>\r?\n[^\n]{1,128}\n(?<secret>[^\r\n<]{1,256})\r?\n<\/auth-user-pass>/,
    keywords: ['<auth-user-pass>'],
    maxLength: 420,
    keywordOffset: 0,
    validate: (secret) => !isPlaceholderValue(secret),
  },
  {
    name: 'GENERIC_SECRET',
    description:
      "Keys and salts defined by a call with a long generated value (WordPress's `define('NONCE_SALT', '…')`, `define('LOGGED_IN_KEY', '…')`)",
    regex:
      /define\([ \t]{0,4}["'][A-Z0-9_]{0,40}_(?:KEY|SALT)["'][ \t]{0,4},[ \t]{0,8}["'](?<secret>[^"'\n]{32,256})["']/,
    keywords: ['define('],
    maxLength: 340,
    keywordOffset: 0,
    // `put your unique phrase here` (the shipped placeholder) is words, not a generated value.
    validate: (secret) =>
      looksGenerated(secret) && !/\s/.test(secret) && !isPlaceholderValue(secret) ? 'medium' : false,
  },
  {
    name: 'PASSWORD',
    description:
      'Credentials named by a key or name attribute, the value in a value attribute or the element text (<add key="ClearTextPassword" value="…"/>, <Property name="Password" value="…"/>, <entry key="db.password">…</entry>)',
    // Up to three other attributes may sit between the name and the value (`type="string"`).
    regex: new RegExp(
      String.raw`(?<![A-Za-z0-9_])(?:key|name)=["'](?<name>[A-Za-z0-9_.:-]{0,30}${DELIMITED_CREDENTIAL_WORD}[A-Za-z0-9_.-]{0,24})["'](?:[ \t]{1,4}[A-Za-z_:-]{1,20}=["'][^"'\n]{0,60}["']){0,3}(?:[ \t]{1,4}value=["']|[ \t]{0,4}>)(?<secret>[^"'<>\n]{3,512})(?:["']|</)`,
      'i',
    ),
    keywords: ['key="', "key='", 'name="', "name='"],
    maxLength: 850,
    keywordOffset: 0,
    validate: namedSecretValue,
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'Credentials defined by call or tuple (define(\'DB_PASSWORD\', \'…\'), setenv("TOKEN", "…"), ("password", "…"))',
    // Only as the first arguments of a call: a list (`['password', 'user.secret']`) is not a definition.
    regex: new RegExp(
      String.raw`\([ \t]{0,4}["'](?<name>[A-Za-z0-9_.:-]{0,30}${DELIMITED_CREDENTIAL_WORD}[A-Za-z0-9_.-]{0,24})["'][ \t]{0,4},[ \t]{0,4}["'](?<secret>[^"'\n]{3,512})["']`,
      'i',
    ),
    keywords: ['("', "('", '( '],
    maxLength: 570,
    keywordOffset: 0,
    validate: namedSecretValue,
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'Credentials defined by the C preprocessor (`#define WIFI_PASSWORD "…"`, Arduino\'s `#define SECRET_PASS "…"`)',
    regex: new RegExp(
      String.raw`#[ \t]{0,4}define[ \t]{1,8}(?<name>[A-Za-z0-9_]{0,30}${DELIMITED_CREDENTIAL_WORD}[A-Za-z0-9_]{0,24})[ \t]{1,8}(?:L|u8|u|U)?"(?<secret>[^"\\\n]{3,512})"`,
      'i',
    ),
    keywords: ['define'],
    maxLength: 600,
    keywordOffset: 5, // `#` and blanks precede `define`
    // Arduino's secrets header names the network `SECRET_SSID` beside `SECRET_PASS`: a name, not a credential.
    validate: (secret, match) => {
      const name = /define[ \t]+(\w+)/i.exec(match)?.[1] ?? '';
      return secretName(name) && !/(?:SSID|USER(?:NAME)?|HOST|PORT|SERVER|BROKER)$/i.test(name) && passwordLike(secret)
        ? 'medium'
        : false;
    },
  },
  {
    name: 'PASSWORD',
    description:
      'The password after a distinguished name in a bind call (`ldap.simple_bind_s("cn=admin,dc=corp", "…")`, `bind(\'uid=svc,ou=people\', \'…\')`)',
    // A quoted DN and then a quoted string in one argument list: LDAP clients take the password right after the DN.
    regex: /["'](?:cn|uid)=[^"'\n]{1,200}["'][ \t]{0,4},[ \t]{0,4}["'](?<secret>[^"'\n]{3,256})["']/i,
    keywords: ['cn=', 'uid='],
    maxLength: 480,
    keywordOffset: 1,
    // Not a search filter (`"(objectClass=*)"`) nor an attribute name (`"userPassword"`) in a compare call.
    validate: (secret) => (standaloneValue(secret) && !secret.startsWith('(') ? 'medium' : false),
  },
  {
    name: 'PASSWORD',
    description:
      "The password of a client's `auth` call (Redis clients: `jedis.auth(\"…\")`, `await redis.auth('user', '…')`)",
    regex:
      /\.auth\([ \t]{0,4}(?:["'][^"'\n]{1,64}["'][ \t]{0,4},[ \t]{0,4})?["'](?<secret>[^"'\n]{3,256})["'][ \t]{0,4}[,)]/,
    keywords: ['.auth('],
    maxLength: 350,
    keywordOffset: 0,
    // Not a strategy or scheme name (`.auth('jwt')`, `.auth('basic-auth')`).
    validate: (secret) => (standaloneValue(secret) && !isLowerCaseName(secret) ? 'medium' : false),
  },
  {
    name: 'PASSWORD',
    description:
      'Name/value member pairs (Postman, HAR, Kubernetes env, ECS, CloudFormation, az keys list): {"name": "DB_PASSWORD", "value": "…"}',
    regex: new RegExp(
      String.raw`${NAME_MEMBER}"(?<name>[^"\n]{1,80})",[ \t]{0,4}${OTHER_MEMBER}${VALUE_MEMBER}"(?<secret>[^"\n]{3,1024})"`,
    ),
    keywords: ['"key"', '"name"', '"keyName"', '"ParameterKey"', '"Name"', '"Key"'],
    maxLength: 1300,
    keywordOffset: 0,
    validate: (secret, match) => {
      const name = FIRST_MEMBER_NAME.exec(match)?.[1] ?? '';
      const keyName = match.startsWith('"keyName"');
      return (keyName || secretName(name)) && !isPlaceholderValue(secret) ? 'medium' : false;
    },
  },
  {
    name: 'PASSWORD',
    description:
      'Name/value member pairs with the value first: {"value": "…", "name": "DB_PASSWORD"} (hand-written task definitions, exports)',
    regex: new RegExp(
      String.raw`${VALUE_MEMBER}"(?<secret>[^"\n]{3,1024})",[ \t]{0,4}${OTHER_MEMBER}${NAME_MEMBER}"[^"\n]{1,80}"`,
    ),
    keywords: ['"value"', '"Value"', '"ParameterValue"'],
    maxLength: 1300,
    keywordOffset: 0,
    validate: (secret, match) => {
      const name = LAST_MEMBER_NAME.exec(match)?.[1] ?? '';
      return secretName(name) && !isPlaceholderValue(secret) ? 'medium' : false;
    },
  },
  {
    name: 'PASSWORD',
    description:
      'Name/value pairs in YAML (Kubernetes env, Compose, CI, CloudFormation parameters): `- name: DB_PASSWORD` (or `Key:`, `ParameterKey:`) with `value: …` on the next line',
    regex:
      /(?<![A-Za-z0-9_])(?:name|Name|key|Key|ParameterKey):[ \t]{0,4}["']?(?<name>[A-Za-z0-9_.-]{1,80})["']?[ \t]{0,4}\r?\n[ \t]{0,16}(?:-[ \t]{1,4})?(?:value|Value|ParameterValue):[ \t]{0,4}["']?(?<secret>[^\s"'#]{3,512})/,
    keywords: ['name:', 'Name:', 'key:', 'Key:', 'ParameterKey:'],
    maxLength: 640,
    keywordOffset: 0,
    validate: (secret, match) => {
      const name = /^[A-Za-z]+:[ \t]*["']?([A-Za-z0-9_.-]*)/.exec(match)?.[1] ?? '';
      return secretName(name) && passwordLike(secret) ? 'medium' : false;
    },
  },
  {
    name: 'PASSWORD',
    description:
      'A user/password pair after creds, credentials, login or user/pass (`creds admin/…`, `login: bob:…`, `login: admin / …`)',
    regex:
      /(?<![A-Za-z0-9_])(?:creds|credentials|login|user(?:name)?[ \t]?\/[ \t]?pass(?:word)?)[ \t]{0,2}[:=]?[ \t]{1,4}[\w.@+-]{1,64}(?:[/:]|[ \t]{1,2}\/[ \t]{1,2})(?<secret>[^\s/@:]{4,128})/i,
    keywords: ['creds', 'credentials', 'login', 'user/pass', 'username/password', 'user / pass', 'username / password'],
    maxLength: 220,
    keywordOffset: 0,
    validate: (secret) => passwordLike(secret) && /[^A-Za-z]/.test(secret),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      "The password argument of connect and login calls, in code and in stack traces (new PDO(dsn, user, '…'), mysqli_connect, ldap_bind, ftp_login, DriverManager.getConnection)",
    regex: new RegExp(
      String.raw`(?<![A-Za-z0-9_])(?:PDO(?:->__construct)?|mysqli(?:_connect|->__construct|->real_connect)?|mysql_connect|ldap_bind|ssh2_auth_password|ftp_login|getConnection)[ \t]{0,4}\([ \t]{0,4}${CALL_ARG}[ \t]{0,4},[ \t]{0,4}${CALL_ARG}[ \t]{0,4},[ \t]{0,4}["'](?<secret>[^"'\n]{1,128})["']`,
      'i',
    ),
    keywords: ['pdo', 'mysqli', 'mysql_connect', 'ldap_bind', 'ssh2_auth_password', 'ftp_login', 'getconnection'],
    maxLength: 700,
    keywordOffset: 0,
    // A quoted literal in a connect call is the password whatever it looks like (placeholders aside).
    validate: (secret) => secret.length >= 3 && !isPlaceholderValue(secret),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'A password after a database URL and a user in an argument list ("with args [jdbc:postgresql://db/app, app, …]", connect("mysql://db/app", "app", "…"))',
    // The URL carries no credentials of its own; the list ends after the third item.
    regex: new RegExp(
      String.raw`[[(][ 	]{0,4}["']?(?:jdbc:[a-z0-9]{2,20}:|(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|ldaps?|sqlserver|mssql)://)${LIST_ITEM}{1,200}["']?[ 	]{0,4},[ 	]{0,4}["']?${LIST_ITEM}{1,64}["']?[ 	]{0,4},[ 	]{0,4}["']?(?<secret>${LIST_ITEM}{3,128})["']?[ 	]{0,4}[\])]`,
      'i',
    ),
    keywords: [
      'jdbc:',
      'postgres://',
      'postgresql://',
      'mysql://',
      'mariadb://',
      'mongodb://',
      'mongodb+srv://',
      'redis://',
      'rediss://',
      'amqp://',
      'amqps://',
      'ldap://',
      'ldaps://',
      'sqlserver://',
      'mssql://',
    ],
    maxLength: 420,
    keywordOffset: 6, // the bracket, blanks and a quote before the URL
    validate: (secret) => passwordLike(secret),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      "The password of an auth tuple or a credential constructor (auth=('user', '…'), HTTPBasicAuth, BasicAuth, NetworkCredential, UsernamePasswordCredentials, PasswordAuthentication)",
    regex: new RegExp(
      String.raw`(?:(?<![A-Za-z0-9_])auth[ \t]{0,4}=[ \t]{0,4}|(?:HTTP)?(?:BasicAuth|DigestAuth|ProxyAuth|NetworkCredential|UsernamePasswordCredentials?|PasswordAuthentication|UsernamePasswordToken|PasswordCredential|BasicAWSCredentials)[ \t]{0,4})\([ \t]{0,4}${CALL_ARG}[ \t]{0,4},[ \t]{0,4}["'](?<secret>[^"'\n]{1,128})["']`,
      'i',
    ),
    keywords: [
      'auth',
      'basicauth',
      'digestauth',
      'proxyauth',
      'networkcredential',
      'usernamepasswordcredential',
      'passwordauthentication',
      'usernamepasswordtoken',
      'passwordcredential',
      'basicawscredentials',
    ],
    maxLength: 420,
    keywordOffset: 4, // `HTTP` before BasicAuth
    // A quoted literal where a credential's password goes is the password whatever it looks like.
    validate: (secret) => secret.length >= 3 && !isPlaceholderValue(secret),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'The password argument of a login or sign-in call, in code and stack traces (smtp.login(user, \'…\'), $auth->login(\'admin\', \'…\'), Login(ctx, "admin", "…"), authenticate("u", "…"))',
    regex: new RegExp(
      // The callee names the act (log in, sign in, authenticate); a context argument may come first (Go's ctx, a
      // connection); then the user, then the password, both literals or the user a name.
      String.raw`(?<![A-Za-z0-9_])(?:log_?in|log_?on|sign_?in|authenticate)[ \t]{0,4}\([ \t]{0,4}(?:[A-Za-z_$][\w$.]{0,40}[ \t]{0,4},[ \t]{0,4})?${CALL_ARG}[ \t]{0,4},[ \t]{0,4}["'](?<secret>[^"'\n]{1,128})["']`,
      'i',
    ),
    keywords: ['login', 'log_in', 'logon', 'log_on', 'signin', 'sign_in', 'authenticate'],
    maxLength: 520,
    keywordOffset: 0,
    // Not a redirect path (signin("github", "/dashboard")) nor a lower-case slug (authenticate('jwt', 'session-1')).
    validate: (secret) =>
      passwordLike(secret) &&
      /[^A-Za-z]/.test(secret) &&
      !/^(?:\/|\.{1,2}\/|~\/)/.test(secret) &&
      !/^[a-z]+(?:[-_.][a-z0-9]+)*$/.test(secret),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'The second argument of a login, sign-in, connect or bind call printed with its values unquoted (method-entry logs: `Entering method login with args [bob, …]`, `AuthService.login args=[bob, …]`, `Db.connect(Db.java:42) with args [root, …]`, `login(bob, …)`)',
    // The user comes first, the password second; a stack frame's source location may sit between the method and
    // its arguments. Quoted arguments are the pattern above's.
    regex: new RegExp(
      String.raw`(?<![A-Za-z0-9_])(?:log_?in|log_?on|sign_?in|authenticate|connect|getConnection|bind)(?![A-Za-z0-9_])(?:\([A-Za-z0-9_.$]{1,80}:\d{1,6}\))?(?:,?[ \t]{1,4}(?:with[ \t]{1,4})?(?:args|arguments|params|parameters)[ \t]{0,4}[:=]?[ \t]{0,4}|[ \t]{0,4})[[(][ \t]{0,4}[^\s,[\]()"'=]{1,64}[ \t]{0,4},[ \t]{0,4}(?<secret>[^\s,[\]()"']{3,256})[ \t]{0,4}[,\])]`,
      'i',
    ),
    keywords: ['login', 'log_in', 'logon', 'log_on', 'signin', 'sign_in', 'authenticate', 'connect', 'bind'],
    maxLength: 520,
    keywordOffset: 3, // `get` of getConnection
    // A value only: a number, a port or a version (`connect(db01, 5432)`), a word, a lower-case name, a word
    // with a number or a constant (`login(user, password)`, `bind(host, app_port)`, `connect(host, port2)`,
    // `connect(DB_HOST, DB_PASSWORD)`) and a member (`cfg.password`) are the code's own names.
    validate: (secret) =>
      standaloneValue(secret) &&
      !isLowerCaseName(secret) &&
      !/^[a-z]+\d{0,3}$/.test(secret) &&
      !/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(secret)
        ? 'medium'
        : false,
  },
  {
    name: 'PASSWORD',
    description:
      'A passphrase of lower-case words under a key that starts its line (`SESSION_SECRET=keyboard cat`, `Passphrase: correct horse battery staple`)',
    // The assignment patterns refuse a bare value of words (it reads as prose); a key that starts its line and
    // names a passphrase, a password or a secret takes the whole rest of the line when it is words alone.
    regex: new RegExp(
      String.raw`(?<![^\n])[ \t]{0,16}(?:export[ \t]{1,4}|-[ \t]{1,4})?(?<name>[A-Za-z0-9_.-]{0,40}(?:passphrase|password|passwd|secret)[A-Za-z0-9_.-]{0,24})["']?[ \t]{0,4}[:=][ \t]{0,4}(?<secret>[a-z]{3,12}(?:[ \t][a-z]{2,12}){1,7})[ \t]{0,8}(?=\r?\n|$)`,
      'i',
    ),
    keywords: ['passphrase', 'password', 'passwd', 'secret'],
    maxLength: 220,
    keywordOffset: 64,
    opensAt: { chars: '', lineStart: true },
    validate: (secret, match) => passphraseOfWords(secret, match),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'The answer typed at an interactive prompt for a credential that shows a default or a note (`AWS Secret Access Key [None]: …`, `Password (again): …`, `Paste your token here: …`)',
    // A prompt starts its line (after `? ` or `> ` as prompt libraries print them) and ends in `:` with the answer
    // alone after it, to the line's end. Only prompts with a note, a bracketed default or a trailing `here`,
    // `again` or `below`: a plain `Password: …` line is an assignment the other patterns read.
    regex: new RegExp(
      String.raw`(?<![^\n])(?:[?>][ \t]{1,4})?(?:[A-Za-z][A-Za-z0-9-]{0,20}[ \t]){0,4}(?:${PROMPT_CREDENTIAL})(?:[ \t]\([^()\n]{1,48}\)|[ \t]\[[^[\]\n]{0,48}\]|[ \t](?:here|again|below)){1,2}[ \t]{0,2}:[ \t]{1,4}(?<secret>\S{3,256})[ \t]{0,8}(?=\r?\n|$)`,
      'i',
    ),
    keywords: PROMPT_KEYWORDS,
    maxLength: 470,
    keywordOffset: 96,
    // Only a hit followed by the note, the default or the trailing word is tried (most hits are not prompts).
    afterKeyName: /[ \t](?:\(|\[|here|again|below)/,
    opensAt: { chars: '', lineStart: true },
    // A word with a digit or a symbol, or a long generated one of letters alone (a token).
    validate: (secret) =>
      standaloneValue(secret) || (secret.length >= 16 && looksGenerated(secret) && passwordLike(secret)),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'A quoted value after a password word and a blank inside a line (fetchmailrc `user "bob" password "…"`, `pass "…"`)',
    // A blank, not a separator: the assignment patterns read `password = "…"`; a quote makes the value's end sure.
    regex: /(?<![A-Za-z0-9_-])(?:password|passwd|pass)[ \t]{1,4}"(?<secret>[^"\s\\]{3,256})"/i,
    keywords: ['password', 'passwd', 'pass'],
    maxLength: 280,
    keywordOffset: 0,
    validate: (secret) => (passwordLike(secret) ? 'medium' : false),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'The new value of a credential in a Terraform plan diff (`"DB_PASSWORD" = "…" -> "…"`; the old one is an assignment)',
    // Opened at the arrow, the key looked for behind it: each arrow costs one bounded look back (linear).
    regex: new RegExp(
      String.raw`(?<=(?<![A-Za-z0-9])[A-Za-z0-9_.-]{0,30}${CREDENTIAL_WORD}[A-Za-z0-9_.-]{0,24}["']?[ \t]{1,4}=[ \t]{1,4}"[^"\n]{0,256}" )-> "(?<secret>[^"\n]{3,256})"`,
      'i',
    ),
    keywords: ['-> "'],
    maxLength: 270,
    keywordOffset: 0,
    validate: (secret) => passwordLike(secret) && !/^\((?:sensitive value|known after apply)\)$/.test(secret),
    confidence: 'medium',
  },
  {
    name: 'GENERIC_SECRET',
    description: 'Values Terraform marks sensitive in `terraform output -json` and plan JSON',
    regex:
      /"sensitive"[ \t]{0,4}:[ \t]{0,4}true,[ \t]{0,4}(?:"type"[ \t]{0,4}:[ \t]{0,4}"[A-Za-z]{1,20}",[ \t]{0,4})?"value"[ \t]{0,4}:[ \t]{0,4}"(?<secret>[^"\n]{1,2048})"/,
    keywords: ['"sensitive"'],
    maxLength: 2150,
    keywordOffset: 0,
    validate: (secret) => !isPlaceholderValue(secret),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'Lines of a key and its value separated by blanks (redis.conf requirepass "…", slapd rootpw, kickstart rootpw --plaintext, nslcd bindpw, vault kv get tables, Dockerfile ENV KEY value)',
    regex: new RegExp(
      // The key first, then a lookbehind for the line start before it: a line of blanks fails at once (linear).
      // A Dockerfile's `ENV` may come first, and the key may carry up to three prefix words (`MYSQL_ROOT_`).
      // `wpa_passphrase SSID` is a program and a network's name (command-line rules read it).
      String.raw`(?:requirepass|masterauth|rootpw|bindpw|${LINE_KEY_WORD})(?<!wpa_passphrase)(?<=(?<![^\n])[ \t]{0,8}(?:ENV[ \t]{1,4})?(?:[A-Za-z0-9]{1,30}[_.-]){0,3}(?:requirepass|masterauth|rootpw|bindpw|${LINE_KEY_WORD}))[ \t]{1,40}(?:--plaintext[ \t]{1,4})?["']?(?!-)(?<secret>[^\s"']{3,512})["']?(?=[ \t]{0,8}(?:\r?\n|$))`,
      'i',
    ),
    keywords: [
      'password',
      'passwd',
      'passphrase',
      'secret',
      'token',
      'api_key',
      'api-key',
      'apikey',
      'access_key',
      'access-key',
      'accesskey',
      'private',
      'requirepass',
      'masterauth',
      'rootpw',
      'bindpw',
    ],
    maxLength: 580,
    keywordOffset: 0,
    validate: (secret, match) => {
      const name = /^\S+/.exec(match)?.[0] ?? '';
      // Sentence punctuation after a word (`token forever.`) does not make it a password.
      return secretName(name) && passwordLike(secret.replace(/[.,;:!?]+$/, '')) ? 'medium' : false;
    },
  },
  {
    name: 'GENERIC_SECRET',
    description: 'Private members of JSON Web Keys (d, p, q, dp, dq, qi; k of a symmetric key)',
    // Members named like a JWK's private parts with a long base64url value; the public n, e, x, y stay.
    regex: /"(?:d|p|q|dp|dq|qi|k)"[ \t]{0,4}:[ \t]{0,4}"(?<secret>[A-Za-z0-9_-]{32,8192})"/,
    keywords: ['"d"', '"p"', '"q"', '"dp"', '"dq"', '"qi"', '"k"'],
    maxLength: 8210,
    keywordOffset: 0,
    validate: (secret) => looksGenerated(secret),
  },
  {
    name: 'BASIC_AUTH',
    description: 'Base64 user:password in Docker config auths and .npmrc _auth',
    regex:
      /(?<![A-Za-z0-9])_?auth["']?[ \t]{0,4}[:=][ \t]{0,4}["']?(?<secret>[A-Za-z0-9+/]{8,2048}={0,2})(?![A-Za-z0-9+/=])/i,
    keywords: ['auth'],
    maxLength: 2070,
    keywordOffset: 1,
    validate: basicCredentials,
  },
  {
    name: 'GENERIC_SECRET',
    description: 'Application keys given as base64: values (Laravel APP_KEY and alike)',
    regex: /(?<![A-Za-z0-9])base64:(?<secret>[A-Za-z0-9+/]{32,512}={0,2})/,
    keywords: ['base64:'],
    maxLength: 530,
    keywordOffset: 0,
    validate: (secret) => looksGenerated(secret) && !isPlaceholderValue(secret),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description: "SQL passwords after IDENTIFIED [WITH plugin] BY, in single or double quotes (IDENTIFIED BY '…')",
    // The keyword is not itself quoted (`'identified'`), and a blank or `(` comes before the value.
    regex:
      /(?<![A-Za-z0-9_'"])identified[ \t]{1,4}(?:with[ \t]{1,4}[\w'"]{1,40}[ \t]{1,4})?by(?:[ \t]{1,4}|[ \t]{0,4}\([ \t]{0,4})["'](?<secret>(?<=')[^'\s][^'\n]{0,255}(?=')|(?<=")[^"\s][^"\n]{0,255}(?="))/i,
    keywords: ['identified'],
    maxLength: 320,
    keywordOffset: 0,
    validate: (secret) => !isPlaceholderValue(secret),
  },
  {
    name: 'PASSWORD',
    description: "SQL passwords after PASSWORD (PASSWORD '…', PASSWORD('…'))",
    // The keyword is not itself quoted (`'password', 'salt'`), and a blank or `(` comes before the value.
    regex: /(?<![A-Za-z0-9_'"])password(?:[ \t]{1,4}|[ \t]{0,4}\([ \t]{0,4})'(?<secret>[^'\s][^'\n]{0,255})'/i,
    keywords: ['password'],
    maxLength: 300,
    keywordOffset: 0,
    validate: (secret) => !isPlaceholderValue(secret),
  },
  {
    name: 'PASSWORD',
    description: 'Redis AUTH and requirepass arguments in MONITOR and slowlog output ("AUTH" "user" "…")',
    regex: /"(?:AUTH|auth|requirepass|masterauth)"(?: "[^"\n]{0,64}")? "(?<secret>[^"\n]{1,256})"/,
    keywords: ['"AUTH"', '"auth"', '"requirepass"', '"masterauth"'],
    maxLength: 360,
    keywordOffset: 0,
    validate: (secret) => !isPlaceholderValue(secret),
  },
  {
    name: 'PASSWORD',
    description: 'Logins in protocol transcripts: FTP and POP3 `PASS …`, IMAP `a1 LOGIN user …`',
    // A command in upper case with its argument ending the line, the line opening with it or with a client
    // marker (`C: `, `--> `, `>>> `, a prompt such as `127.0.0.1:6379> `). The command first and the line
    // start looked for behind it (linear). One blank after PASS: test runners print `PASS  path/file.spec.ts`,
    // and a path, a file name or a test's name is refused anyway. SMTP's `AUTH LOGIN …` sends a user name.
    regex: new RegExp(
      String.raw`(?:PASS|LOGIN)(?<!AUTH LOGIN)(?<=(?<![^\n])(?:[ \t]{0,8}|[^\n>]{0,60}>{1,3} |C: )(?:PASS|[A-Za-z0-9.]{1,12} LOGIN)) (?:(?<=LOGIN )[^\s"]{1,128} )?"?(?<secret>[^\s"]{3,256})"?[ \t]{0,8}(?=\r?\n|$)`,
    ),
    keywords: ['PASS ', 'LOGIN '],
    maxLength: 420,
    keywordOffset: 0,
    validate: (secret) => protocolArgument(secret),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'Logins in protocol transcripts: SMTP `AUTH PLAIN …`/`AUTH XOAUTH2 …`, Redis `AUTH [user] …` (redis-cli)',
    regex: new RegExp(
      String.raw`AUTH(?<=(?<![^\n])(?:[ \t]{0,8}|[^\n>]{0,60}>{1,3} |C: )AUTH) (?:(?:PLAIN|XOAUTH2?) |(?!PLAIN\b|LOGIN\b|CRAM-MD5\b|XOAUTH2?\b)[A-Za-z0-9_.@-]{1,64} (?=[^\s"]{3,256}[ \t]{0,8}(?:\r?\n|$)))?"?(?<secret>[^\s"]{3,256})"?[ \t]{0,8}(?=\r?\n|$)`,
    ),
    keywords: ['AUTH '],
    maxLength: 360,
    keywordOffset: 0,
    validate: (secret) => protocolArgument(secret),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'The password line of an SMTP AUTH LOGIN exchange (base64 after the server\'s `334 UGFzc3dvcmQ6`, "Password:")',
    regex:
      /334 UGFzc3dvcmQ6[ \t]*\r?\n(?:[^\n]{0,16}?(?:C: |--> |>>> |> ))?(?<secret>[A-Za-z0-9+/]{4,512}={0,2})[ \t]*(?=\r?\n|$)/,
    keywords: ['334 UGFzc3dvcmQ6'],
    maxLength: 560,
    keywordOffset: 0,
    confidence: 'medium',
  },
  {
    name: 'SIGNED_URL',
    description:
      'Signatures and session tokens in signed URLs (X-Amz-Signature, X-Amz-Security-Token, X-Goog-Signature, CloudFront Signature, Azure Functions code)',
    regex:
      /[?&](?:X-Amz-Signature|X-Amz-Security-Token|X-Goog-Signature|Signature|code)=(?<secret>[A-Za-z0-9%._~+/=-]{16,4096})/,
    keywords: ['X-Amz-Signature=', 'X-Amz-Security-Token=', 'X-Goog-Signature=', 'Signature=', 'code='],
    maxLength: 4130,
    keywordOffset: 1,
    validate: (secret) => looksGenerated(secret) && !isPlaceholderValue(secret),
  },
  {
    name: 'GENERIC_SECRET',
    description:
      'Vendor API-key headers (x-honeycomb-team: …, OTEL_EXPORTER_OTLP_HEADERS=x-honeycomb-team=…, Ocp-Apim-Subscription-Key)',
    regex:
      /(?<![A-Za-z0-9-])(?:x-[a-z0-9]{1,30}-(?:team|key|token|auth|secret|api-key)|ocp-apim-subscription-key)[ \t]{0,4}[:=][ \t]{0,4}(?<secret>[A-Za-z0-9._~+/-]{8,512}={0,2})/i,
    keywords: ['x-', 'ocp-apim-'],
    maxLength: 570,
    keywordOffset: 0,
    validate: (secret) => looksGenerated(secret) && !isPlaceholderValue(secret),
    confidence: 'medium',
  },
  {
    name: 'URL_TOKEN',
    description:
      'Access tokens given as the whole userinfo of a URL (https://<token>@pkgs.dev.azure.com/…, git remotes)',
    regex:
      /(?<=(?<![A-Za-z0-9+.-])(?:https?|git|ssh|git\+https)):\/\/(?<secret>[A-Za-z0-9_~.-]{20,256})@(?=[A-Za-z0-9[])/,
    keywords: ['://'],
    maxLength: 270,
    keywordOffset: 0,
    validate: (secret) => looksGenerated(secret) && !isPlaceholderValue(secret),
  },
  {
    name: 'TEAMS_WEBHOOK_URL',
    description: 'Microsoft Teams / Office 365 incoming webhook URLs',
    regex:
      /https:\/\/[A-Za-z0-9-]{1,63}\.webhook\.office\.com\/webhookb2\/[A-Za-z0-9@/_-]{20,400}|https:\/\/outlook\.office(?:365)?\.com\/webhook\/[A-Za-z0-9@/_-]{20,400}/,
    keywords: ['.webhook.office.com/', 'outlook.office'],
    maxLength: 500,
    keywordOffset: 72,
  },
  {
    name: 'PASSWORD',
    description:
      'A generated value right after a credential noun in a sentence or comment ("Using token … for upload", "<!-- db password … -->")',
    // No verb or colon between: only a value that could not be a word, a name or a path counts (mixed case
    // and a digit or symbol, 10 characters or more, varied; `token Token2022Program` and `password policy`
    // are not values).
    regex:
      /(?<![A-Za-z0-9_-])(?:password|passphrase|passwd|passcode|token|secret|api[ _-]?key|access[ _-]?key|secret[ _-]?key)[ \t]{1,2}(?<secret>[A-Za-z0-9+/=_~.!#%*@^-]{10,256})(?![A-Za-z0-9+/=_~.!#%*@^-])/i,
    keywords: ['password', 'passphrase', 'passwd', 'passcode', 'token', 'secret', 'api', 'access', 'key'],
    maxLength: 290,
    keywordOffset: 0,
    trimTrailing: '.!',
    validate: (secret) => generatedInProse(secret),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'Credentials stated in prose ("the db password is …", "set the token to …", "the API key for prod: …", "password used: …", "token reset to …")',
    regex:
      /(?<![A-Za-z0-9_])(?:(?:password|passphrase|passcode|secret|token|api key|key)[ \t]{1,4}(?:(?:(?:(?:is|was|has been|had been|have been|will be|got)[ \t]{1,4})?(?:used|set|generated|created|assigned|issued|changed|reset|rotated|updated)(?:[ \t]{1,4}to)?|is|was|will be|to|as|now):?[ \t]{1,4}|(?:for|of|on|in)(?:[ \t]{1,4}['"]?[\w.@-]{1,30}['"]?){1,4}(?:[ \t]{1,4}(?:is|was):?[ \t]{1,4}|[ \t]{0,2}:[ \t]{1,4}))|api key[ \t]{0,2}:[ \t]{1,4})["'`]?(?<secret>[^\s"'`,;]{6,256})/i,
    keywords: ['password', 'passphrase', 'passcode', 'secret', 'token', 'api key', 'key'],
    maxLength: 290,
    keywordOffset: 0,
    // A trailing `!` stays: passwords end with one far more often than a sentence does (`Summer2026!`).
    trimTrailing: '.:)]}?',
    // In prose a credential has a digit or a symbol besides the mixed case of a name (`MyComponent`,
    // `TSESTree.Token` are kept), and no brackets (`Exclude<T, U>` is a type). After "to", "as" or "now"
    // ("exports a key to PEM-encoded …") it must also hold a digit; after a verb ("reset to", "set to") it need
    // not. A dot counts as the symbol only after a qualified label ("password for the staging db: …", "password
    // for user "ops" was …") or a verb ("reset to …", unless the value reads as a dotted name), where a dotted
    // name (`TSESTree.Token`) does not go.
    // After "is:" (a verb and a colon: a label) a long word of letters alone is a passphrase too.
    validate: (secret, match) =>
      ((/^[A-Za-z]{10,64}$/.test(secret) && /[ \t](?:is|was):[ \t]/i.test(match)) ||
        (looksGenerated(secret) &&
          (/\d/.test(secret) ||
            !/(?:password|passphrase|passcode|secret|token|key)[ \t]{1,4}(?:to|as|now)\b/i.test(match)) &&
          (/[^A-Za-z.]/.test(secret) ||
            QUALIFIED_LABEL.test(match.slice(0, match.length - secret.length)) ||
            (/(?:set|changed|reset|rotated|updated|assigned)[ \t]{1,4}to[ \t]/i.test(match) &&
              !wordsAndNumbers(secret))))) &&
      !/[<>()[\]{}]/.test(secret) &&
      !isLowerCaseName(secret) &&
      // `token is ArrowToken$1`: a type guard in code, not a sentence. A colon only counts after a
      // qualifier ("key for prod:") or "API key": `key: Uint8Array` is code.
      !secret.includes('$') &&
      !isResourcePath(secret) &&
      !isQuantity(secret) &&
      !isPlaceholderValue(secret) &&
      !isReference(secret),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'Passwords handed over in prose after a verb ("use password …", "log in with the admin password …", "enter passphrase …")',
    regex: new RegExp(
      // The match opens at the password word and looks back for the verb, so each keyword hit costs one attempt.
      String.raw`(?:password|passphrase|passcode)(?<=(?<![A-Za-z0-9_])(?:use|using|with|enter|type|try)[ \t]{1,4}(?:the[ \t]{1,4})?(?:[A-Za-z]{2,12}[ \t]{1,4})?(?:password|passphrase|passcode))[ \t]{1,4}["'\x60]?(?<secret>[^\s"'\x60,;]{6,256})`,
      'i',
    ),
    keywords: ['password', 'passphrase', 'passcode'],
    maxLength: 290,
    keywordOffset: 0,
    trimTrailing: '.:)]}?',
    // As in the prose pattern above: a digit or a symbol (`with password hashing` is a sentence), no brackets.
    validate: (secret) =>
      looksGenerated(secret) &&
      /[^A-Za-z.-]/.test(secret) &&
      !/[<>()[\]{}$]/.test(secret) &&
      !isPlaceholderValue(secret) &&
      !isReference(secret),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      'A value in Markdown backticks named a password after it ("`…` is the admin password", "use `…` as the password")',
    // Keyed on the closing backtick and the verb after it: rare text, so the look back for the value is rarely paid.
    regex:
      /`(?<secret>[^\s`]{6,128})` (?:(?:is|was|will be)[ \t]{1,4}(?:the|our|my|your)|as(?:[ \t]{1,4}(?:the|our|my|your|a|an))?)[ \t]{1,4}(?:[A-Za-z]{2,12}[ \t]{1,4})?(?:password|passphrase|passcode|secret|token|api key)(?![A-Za-z])/i,
    keywords: ['` is ', '` was ', '` will be ', '` as '],
    maxLength: 200,
    keywordOffset: 130,
    // Letters and dots alone pass only when some part is not a word written in camel or Pascal case
    // (`Foo.Bar`, `config.dbPassword` are names; `xbWqX.yruYab` is not, though `hDpRo.BhWgfb` reads as one).
    validate: (secret) =>
      looksGenerated(secret) &&
      (/[^A-Za-z.-]/.test(secret) || !isDottedName(secret)) &&
      !isPlaceholderValue(secret) &&
      !isReference(secret),
    confidence: 'medium',
  },
  {
    name: 'GENERIC_SECRET',
    description: 'Access keys listed as "key1" / "key2" (az cognitiveservices / search / relay keys list)',
    regex: /"key[12]"[ \t]{0,4}:[ \t]{0,4}"(?<secret>[A-Za-z0-9+/=_-]{20,128})"/,
    keywords: ['"key1"', '"key2"'],
    maxLength: 150,
    keywordOffset: 0,
    validate: (secret) => looksGenerated(secret),
    confidence: 'medium',
  },
  {
    name: 'PASSWORD',
    description:
      "A credential's name in one cell of a table row and its value in the next (Markdown and `--output table` pipes, tab-separated CLI text output)",
    // The value is the whole next cell (`| password | The user's password |` is a description, not a value). It
    // ends the match (closing backtick and cell end are looked ahead), so its place follows from the match.
    // `afterKeyName` keeps the attempts to keys that end a cell; a cell of letters alone is never a value, which
    // the regex itself refuses (the validator would, at a cost per cell).
    regex: new RegExp(
      String.raw`(?:(?<![^\n])|[|\t])[ \t]{0,8}[A-Za-z0-9_./-]{0,40}${CREDENTIAL_WORD}${NAME_TAIL}[ ]{0,40}(?:\t|\t?[ ]{0,40}\|[ ]{0,40})\x60?(?=[A-Za-z]{0,511}[^A-Za-z\s|\x60])(?<secret>[^\s|\x60]{3,512})(?=\x60?[ \t]{0,40}(?:[|\t]|\r?\n|$))`,
      'i',
    ),
    keywords: CREDENTIAL_KEYWORDS,
    maxLength: 660,
    keywordOffset: 49,
    afterKeyName: /[ ]{0,40}[\t|]/,
    opensAt: { chars: '|\t', lineStart: true },
    validate: (secret, match) => (cellValue(secret, match) ? 'medium' : false),
  },
  {
    name: 'PASSWORD',
    description: 'A credential\'s name in one field of a CSV record and its value in the next (`db_password,"…"`)',
    regex: new RegExp(
      String.raw`(?:(?<![^\n])|,)"?[A-Za-z0-9_./-]{0,40}${CREDENTIAL_WORD}${NAME_TAIL}"?,"?(?<secret>(?<=")(?:[^"\n]|""){3,512}(?=")|(?<!")(?=[A-Za-z]{0,511}[^A-Za-z\s,"])[^\s,"]{3,512})(?="?(?:,|\r?\n|$))`,
      'i',
    ),
    keywords: CREDENTIAL_KEYWORDS,
    maxLength: 620,
    keywordOffset: 42,
    afterKeyName: /"?,/,
    opensAt: { chars: ',', lineStart: true },
    // A header row names columns: a lower-case identifier in the next field is one more column.
    validate: (secret, match) => (cellValue(secret, match) && !LOWER_IDENTIFIER.test(secret) ? 'medium' : false),
  },
  {
    name: 'PASSWORD',
    description: 'Credentials as YAML block scalars (`password: >-` with the value on the next line)',
    regex: new RegExp(
      String.raw`(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]{0,30}${CREDENTIAL_WORD}${NAME_TAIL}:[ \t]{0,4}[|>][+-]?[1-9]?[ \t]{0,4}\r?\n[ \t]{1,16}(?<secret>[^\s]{3,512})(?=[ \t]{0,4}(?:\r?\n|$))`,
      'i',
    ),
    keywords: CREDENTIAL_KEYWORDS,
    maxLength: 620,
    keywordOffset: 30,
    afterKeyName: /:[ \t]{0,4}[|>]/,
    validate: (secret, match) => (passwordLike(secret) && secretName(keyOf(match)) ? 'medium' : false),
  },
  {
    name: 'PASSWORD',
    description: 'A value in Markdown backticks after a credential named in backticks ("set `DB_PASSWORD` to `…`")',
    regex: new RegExp(
      String.raw`\x60[A-Za-z0-9_.-]{0,30}${CREDENTIAL_WORD}${NAME_TAIL}\x60[ \t]{0,4}(?:(?:to|as|is|=|:|with|of)[ \t]{0,4})?(?:the[ \t]{1,4}value[ \t]{1,4})?\x60(?=[A-Za-z]{0,255}[^A-Za-z\s\x60])(?<secret>[^\s\x60]{3,256})(?=\x60)`,
      'i',
    ),
    keywords: CREDENTIAL_KEYWORDS,
    maxLength: 300,
    keywordOffset: 31,
    afterKeyName: /`/,
    opensAt: { chars: '`' },
    validate: (secret, match) =>
      standaloneValue(secret) && !isReference(secret) && secretName(keyOf(match)) ? 'medium' : false,
  },
  {
    name: 'GENERIC_SECRET',
    description:
      'Decrypted SecureString parameters of AWS Systems Manager (`aws ssm get-parameter --with-decryption` as JSON, YAML or text)',
    // The CLI prints `Type` right before `Value`, in every output format.
    regex:
      /SecureString(?:"[ \t]{0,4},\s{0,40}"Value"[ \t]{0,4}:[ \t]{0,4}"|\r?\n[ \t]{0,16}Value:[ \t]{1,4}|\t)(?<secret>(?<=")(?:[^"\\\n]|\\.){1,4096}(?=")|(?<!")[^\s"]{1,4096})/,
    keywords: ['SecureString'],
    maxLength: 4200,
    keywordOffset: 0,
    validate: (secret) => !isPlaceholderValue(secret),
  },
  {
    name: 'SESSION_TOKEN',
    description: 'The session token of an `aws sts … --output text` CREDENTIALS row (after key id, expiry and secret)',
    regex:
      /(?<![^\n])CREDENTIALS\t(?:AKIA|ASIA)[A-Z0-9]{16}\t[^\t\n]{1,40}\t[A-Za-z0-9/+]{40}\t(?<secret>[A-Za-z0-9/+=]{16,4096})/,
    keywords: ['CREDENTIALS\t'],
    maxLength: 4200,
    keywordOffset: 0,
  },
  {
    name: 'AZURE_STORAGE_ACCOUNT_KEY',
    description: 'Account keys in the table `az storage account keys list -o table` prints (`key1  FULL  …`)',
    regex:
      /(?<![^\n])key[12][ \t]{1,20}(?:FULL|READ)[ \t]{1,20}(?<secret>[A-Za-z0-9+/]{40,100}={0,2})(?![A-Za-z0-9+/=])/,
    keywords: ['key1', 'key2'],
    maxLength: 150,
    keywordOffset: 0,
  },
  {
    name: 'GENERIC_SECRET',
    description:
      'The line a command that prints a credential writes (`terraform output -raw db_password`, `vault kv get -field=password …`, `aws ecr get-login-password`, `kubectl get secret … | base64 -d`, `heroku auth:token`, `gcloud secrets versions access`, `op read`, `pass show`, `gh auth token`, …)',
    // The command line as a shell trace or a CI log shows it, then its output alone on the next line. The
    // regex only finds a command and the line after it; which commands print a credential is `printsSecret`.
    regex: new RegExp(
      String.raw`(?<![^\n])[^\r\n]{0,40}?(?<![\w-])(?:${PRINTING_COMMANDS.join('|')})(?![\w-])[^\r\n]{0,240}\r?\n(?<secret>\S{8,4096})(?=[ \t]{0,4}(?:\r?\n|$))`,
    ),
    keywords: PRINTING_COMMANDS,
    maxLength: 4700,
    keywordOffset: 40, // a prompt, a shell trace's `+` or a CI timestamp before the command
    validate: (secret, match) =>
      printsSecret(commandOf(match)) && !isPlaceholderValue(secret) && !/^(?:error|usage)\b/i.test(secret),
    confidence: 'medium',
  },
  {
    name: 'GENERIC_SECRET',
    description:
      'The line a command at a shell prompt writes when it reads a secret it names (`$ cat /run/secrets/db_password`, `$ echo $API_TOKEN`, `$ consul kv get app/db/password`, `$ bw get password site`)',
    // Any program: the prompt (`$ `, `# `, `user@host:~/app$ `, `PS C:\> `) marks a command typed in a
    // terminal, and `readsNamedSecret` asks for a reading verb and a credential's name among its words.
    regex: new RegExp(
      String.raw`(?<![^\n])(?:[\w.@-]{1,64}:[^\n$#>]{0,80}|PS [^\n>]{1,80})?[$#>] (?<command>[^\r\n]{1,240})\r?\n(?<secret>\S{6,1024})(?=[ \t]{0,4}(?:\r?\n|$))`,
    ),
    keywords: ['$ ', '# ', '> '],
    maxLength: 1500,
    keywordOffset: 170,
    opensAt: { chars: '', lineStart: true },
    validate: (secret, match) =>
      readsNamedSecret(/^[^\n]*?[$#>] ([^\r\n]*)/.exec(match)?.[1] ?? '') &&
      passwordLike(secret) &&
      !isQuantity(secret) &&
      // JSON or XML output is left to the assignment and element patterns.
      !/^[{[<]/.test(secret) &&
      !/^(?:error|usage|warning)\b/i.test(secret),
    confidence: 'medium',
  },
  {
    name: 'GENERIC_SECRET',
    description:
      'Vault AppRole secret ids and Consul/Nomad ACL tokens (a UUID after secret_id, secret-id, SecretID, Secret ID: login calls, JSON, CLI tables)',
    // Only a UUID: AWS's `--secret-id` / `"SecretId"` name a secret (`prod/db`, an ARN) and stay.
    // `secret_id_accessor` and `secret_id_ttl` are other fields.
    regex:
      /(?<![A-Za-z0-9])secret[ _-]?id(?![\w-])["']?[ \t]{0,40}(?:[:=|][ \t]{0,40}|(?<=[ \t]))["']?(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![\w-])/i,
    keywords: ['secret_id', 'secret-id', 'secretid', 'secret id'],
    maxLength: 130,
    keywordOffset: 0,
  },
  {
    name: 'PASSWORD',
    description: 'Pre-shared keys and passwords in ipsec.secrets (`host : PSK "…"`, `: EAP "…"`, `: XAUTH "…"`)',
    regex: /:[ \t]{0,8}(?:PSK|EAP|XAUTH|NTLM)[ \t]{1,8}"?(?<secret>(?<=")[^"\n]{1,256}(?=")|(?<=[ \t])[^\s"']{1,256})/,
    keywords: ['PSK', 'EAP', 'XAUTH', 'NTLM'],
    maxLength: 290,
    keywordOffset: 10,
    validate: (secret) => !isPlaceholderValue(secret),
  },
  {
    name: 'PASSWORD',
    description:
      "A credential assigned the output of a command that prints a literal (DB_PASS=$(echo '…'), TOKEN=`printf %s …`)",
    // The key may be any spelling (`export DB_PASS=`, `"token": "$(echo …)"`); the validator reads its name.
    regex:
      /(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]{1,40}["']?[ \t]{0,4}[:=][ \t]{0,4}["']?(?:\$\(|\x60)[ \t]{0,4}(?:echo(?:[ \t]{1,4}-[neE]{1,3})?|printf(?:[ \t]{1,4}(?:'%s'|"%s"|%s))?)[ \t]{1,4}["']?(?<secret>[^\s"'\x60)]{3,256})/,
    keywords: ['$(echo', '$(printf', '`echo', '`printf', '$( echo', '$( printf'],
    maxLength: 320,
    keywordOffset: 50, // the key (up to 40 characters), a quote, the blanks and the operator
    validate: (secret, match) => secretName(keyOf(match)) && passwordLike(secret),
  },
  {
    name: 'PASSWORD',
    description:
      'A credential field of a multipart form body (Content-Disposition: form-data; name="password", a blank line, the value)',
    regex:
      /form-data;[ \t]{0,4}name="(?<name>[^"\r\n]{1,80})"[ \t]{0,4}\r?\n(?:Content-[A-Za-z-]{1,30}:[^\r\n]{0,200}\r?\n){0,3}\r?\n(?<secret>[^\r\n]{3,256})/i,
    keywords: ['form-data;'],
    maxLength: 1100,
    keywordOffset: 0,
    validate: (secret, match) => {
      const name = /name="([^"]*)"/.exec(match)?.[1] ?? '';
      return secretName(name) && passwordLike(secret) ? 'medium' : false;
    },
  },
  {
    name: 'GENERIC_SECRET',
    description: 'Values a GitHub Actions step asks the runner to mask (`::add-mask::…`)',
    regex: /::add-mask::(?<secret>[^\s"'\x60]{3,1024})/,
    keywords: ['::add-mask::'],
    maxLength: 1040,
    keywordOffset: 0,
    validate: (secret) => !isPlaceholderValue(secret) && !secret.startsWith('$'),
  },
  {
    name: 'GENERIC_SECRET',
    description: 'Vault unseal and recovery keys as `vault operator init` prints them (Unseal Key 1: …)',
    regex: /(?:Unseal|Recovery) Key \d{1,2}:[ \t]{1,4}(?<secret>[A-Za-z0-9+/]{20,128}={0,2})/,
    keywords: ['Unseal Key ', 'Recovery Key '],
    maxLength: 150,
    keywordOffset: 0,
  },
  {
    name: 'PASSWORD',
    description:
      'Passwords under `pw` keys (`sshpw=`, `DB_PW:`, slapd `olcRootPW:`, `bind_pw =`) and sssd `ldap_default_authtok`',
    regex:
      // The match opens at the key's last word (`pw` of `db_admin_pw`): one attempt per keyword hit.
      /(?:pw|(?<![A-Za-z0-9])ldap_default_authtok)(?![A-Za-z0-9])["']?[ \t]{0,4}[:=][ \t]{0,4}["']?(?<secret>[^\s"']{3,256})/i,
    keywords: ['pw', 'ldap_default_authtok'],
    maxLength: 300,
    keywordOffset: 0,
    // `pw` also abbreviates power and width (`cpu_pw: 45W`): a number or a measure is not taken.
    validate: (secret) => standaloneValue(secret),
  },
  {
    name: 'CRYPTO_PRIVATE_KEY',
    description:
      'Wallet private keys after a private-key label (0x + 64 hex; Bitcoin WIF; a Solana base58 secret key): "private key:", privkey, importprivkey, WIF',
    // WIF keys and BIP32 keys are Base58Check: a valid checksum makes the finding `high`. Base58 never holds
    // 0, O, I or l, so English words rarely fill 51 characters of it.
    regex:
      /(?:[Pp]rivate[ _-]?[Kk]ey|PRIVATE[ _-]?KEY|[Pp]riv[Kk]ey|PRIVKEY|importprivkey|WIF|wif)(?:["']?[ \t]{0,4}[:=][ \t]{0,4}["']?|[ \t]{1,4}["']?)(?<secret>(?:0x)?[0-9a-fA-F]{64}(?![0-9a-fA-F])|[59KLc][1-9A-HJ-NP-Za-km-z]{50,51}(?![1-9A-HJ-NP-Za-km-z])|[1-9A-HJ-NP-Za-km-z]{86,88}(?![1-9A-HJ-NP-Za-km-z]))/,
    keywords: ['private', 'Private', 'PRIVATE', 'privkey', 'privKey', 'PrivKey', 'PRIVKEY', 'WIF', 'wif'],
    maxLength: 110,
    keywordOffset: 6, // `import` before privkey
    validate: (secret) =>
      /^(?:0x)?[0-9a-fA-F]{64}$/.test(secret) || (hasValidBase58Check(secret) ? 'high' : looksGenerated(secret)),
  },
  {
    name: 'CRYPTO_PRIVATE_KEY',
    description: 'BIP32 extended private keys (xprv…, tprv…, yprv…, zprv…)',
    regex: /(?<![A-Za-z0-9])[xtyzuv]prv[1-9A-HJ-NP-Za-km-z]{100,108}(?![A-Za-z0-9])/,
    keywords: ['xprv', 'tprv', 'yprv', 'zprv', 'uprv', 'vprv'],
    maxLength: 112,
    keywordOffset: 0,
    validate: (secret) => (hasValidBase58Check(secret) ? 'high' : 'medium'),
  },
  {
    name: 'CRYPTO_PRIVATE_KEY',
    description:
      'Ed25519 keypairs as 64 numbers from 0 to 255 (a Solana `id.json`, `Uint8Array.from([…])`, `Keypair.fromSecretKey`)',
    // 64 bytes is a secret key with its public half; the prefilter reads an opening bracket and a digit.
    regex: new RegExp(String.raw`\[\s{0,4}(?<secret>(?:${BYTE}\s{0,4},\s{0,4}){63}${BYTE})\s{0,4}\]`),
    keywords: ['[0', '[1', '[2', '[3', '[4', '[5', '[6', '[7', '[8', '[9', '[ ', '[\n'],
    maxLength: 16 + 64 * 12,
    keywordOffset: 0,
    validate: (secret) => new Set(secret.split(/\s*,\s*/)).size >= 24,
  },
  {
    name: 'CRYPTO_MNEMONIC',
    description:
      'Wallet seed phrases (12 to 24 words after mnemonic, seed, seed phrase or words, recovery phrase or words; also as a quoted list)',
    regex:
      /(?:mnemonic|seed(?:[ _-]?(?:phrase|words?))?|recovery[ _-]?(?:phrase|words?)|secret[ _-]?phrase)["']?[ \t]{0,4}[:=]?[ \t]{0,4}["'[]?(?<secret>[a-z]{3,8}(?: [a-z]{3,8}){11,23}|"[a-z]{3,8}"(?:,[ \t]{0,2}"[a-z]{3,8}"){11,23})/i,
    keywords: ['mnemonic', 'seed', 'recovery', 'phrase'],
    maxLength: 400,
    keywordOffset: 7,
  },
];
