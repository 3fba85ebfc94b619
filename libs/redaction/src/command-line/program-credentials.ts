/**
 * Which arguments of which programs are credentials. A command line is split
 * into words the way a shell would (shell-words.ts); each rule below names a
 * program and where its secret sits: a flag's value (next word, glued to the
 * flag, or after `=`), a part of that value (`user:pass`, `user,pass`,
 * `user%pass`, `pass:secret`), or a positional argument after a verb.
 */

export type SecretKind = 'PASSWORD' | 'GENERIC_SECRET';

/** How a flag carries its value: `-p X` (next), `-pX` (glued), `--password=X` (equals). */
export type FlagForm = 'next' | 'glued' | 'next-or-glued' | 'equals-or-next';

/** The secret inside a value: all of it, or what follows the first separator (`user:pass` → `pass`). */
export type ValuePart =
  'whole' | 'after-colon' | 'after-comma' | 'after-percent' | 'after-pass-prefix' | 'after-slash-before-at';

export interface FlagRule {
  flags: readonly string[];
  form: FlagForm;
  part?: ValuePart;
  /** Only when the command holds this word (e.g. `login` for docker's `-p`). */
  when?: string;
}

export interface PositionalRule {
  /** The subcommand: the first positional words, in order (`['config', 'add-authtoken']`); flags may sit between. */
  after: readonly string[];
  /** Index among the positional words that follow the subcommand; 'last' for the last one. */
  index: number | 'last';
  /** Count from the word after the first positional matching this (`net use [Z:] \\host\share PASSWORD`). */
  following?: RegExp;
  part?: ValuePart;
  /** Only when the command holds this word (htpasswd's `-b`). */
  when?: string;
  /** Not when the word matches this (`vault login username=bob`: an auth method's parameter, not a token). */
  unless?: RegExp;
}

export interface ProgramRule {
  programs: readonly string[];
  kind: SecretKind;
  flags?: readonly FlagRule[];
  positional?: readonly PositionalRule[];
  /**
   * The program reads a credential from standard input (`docker login --password-stdin`, `sudo -S`):
   * what `echo`/`printf` pipe into it is one, and so is a here-string (`<<< X`). `when`: the word that turns this on (none: always).
   */
  stdin?: { when?: string; part?: ValuePart };
  /**
   * After this subcommand the arguments are `NAME VALUE` pairs (`rclone config create remote s3
   * secret_access_key X`): a NAME that names a credential makes the next word one.
   */
  pairsAfter?: readonly string[];
}

const MYSQL = [
  'mysql',
  'mysqldump',
  'mysqladmin',
  'mysqlimport',
  'mysqlshow',
  'mysqlcheck',
  'mysqlsh',
  'mariadb',
  'mariadb-dump',
  'mariadb-admin',
];
const LDAP = [
  'ldapsearch',
  'ldapadd',
  'ldapmodify',
  'ldapdelete',
  'ldapwhoami',
  'ldappasswd',
  'ldapmodrdn',
  'ldapcompare',
];
const MONGO = [
  'mongo',
  'mongosh',
  'mongodump',
  'mongorestore',
  'mongoexport',
  'mongoimport',
  'mongostat',
  'mongotop',
  'mongofiles',
];
const ORACLE = ['sqlplus', 'rman', 'expdp', 'impdp', 'exp', 'imp', 'sqlldr', 'dgmgrl'];
const REGISTRY_LOGIN = ['docker', 'podman', 'nerdctl', 'buildah', 'skopeo', 'helm', 'oras', 'crane', 'finch'];

export const PROGRAM_RULES: readonly ProgramRule[] = [
  {
    programs: MYSQL,
    kind: 'PASSWORD',
    flags: [
      { flags: ['-p'], form: 'glued' },
      { flags: ['--password'], form: 'equals-or-next' },
    ],
  },
  { programs: ['sqlcmd', 'bcp', 'osql', 'isql'], kind: 'PASSWORD', flags: [{ flags: ['-P'], form: 'next-or-glued' }] },
  { programs: LDAP, kind: 'PASSWORD', flags: [{ flags: ['-w'], form: 'next' }] },
  {
    programs: ['mstsc', 'xfreerdp', 'xfreerdp3', 'wfreerdp', 'sdl-freerdp', 'wmic'],
    kind: 'PASSWORD',
    flags: [{ flags: ['/p:', '/password:'], form: 'glued' }],
  },
  {
    programs: ['rdesktop', 'sshpass', 'psexec', 'psexec64', 'paexec', 'ncftp', 'cqlsh', 'twine', 'az'],
    kind: 'PASSWORD',
    flags: [
      { flags: ['-p'], form: 'next-or-glued' },
      { flags: ['--password'], form: 'equals-or-next' },
    ],
  },
  { programs: ['cmdkey'], kind: 'PASSWORD', flags: [{ flags: ['/pass:'], form: 'glued' }] },
  // PuTTY's command-line tools.
  {
    programs: ['plink', 'pscp', 'psftp', 'putty', 'kitty'],
    kind: 'PASSWORD',
    flags: [{ flags: ['-pw'], form: 'next' }],
  },
  {
    programs: ['mosquitto_pub', 'mosquitto_sub', 'mosquitto_rr'],
    kind: 'PASSWORD',
    flags: [{ flags: ['-P', '--pw'], form: 'next' }],
  },
  // NuGet feeds: `dotnet nuget add|update source … -p X` (dotnet's `-p` is a property elsewhere), `nuget sources add -Password X`.
  {
    programs: ['dotnet'],
    kind: 'PASSWORD',
    flags: [{ flags: ['-p', '--password'], form: 'equals-or-next', when: 'source' }],
  },
  { programs: ['nuget'], kind: 'PASSWORD', flags: [{ flags: ['-Password', '-password'], form: 'next' }] },
  // Package registries' API keys and tokens.
  {
    programs: ['dotnet'],
    kind: 'GENERIC_SECRET',
    flags: [{ flags: ['-k', '--api-key'], form: 'equals-or-next', when: 'push' }],
  },
  {
    programs: ['nuget'],
    kind: 'GENERIC_SECRET',
    flags: [{ flags: ['-ApiKey', '-apikey'], form: 'next' }],
    positional: [{ after: ['setapikey'], index: 0 }],
  },
  {
    programs: ['cargo'],
    kind: 'GENERIC_SECRET',
    flags: [{ flags: ['--token'], form: 'equals-or-next' }],
    positional: [{ after: ['login'], index: 0 }],
  },
  { programs: ['netlify'], kind: 'GENERIC_SECRET', flags: [{ flags: ['--auth'], form: 'equals-or-next' }] },
  { programs: ['influx'], kind: 'GENERIC_SECRET', flags: [{ flags: ['-t', '--token'], form: 'equals-or-next' }] },
  {
    programs: ['influx'],
    kind: 'PASSWORD',
    flags: [{ flags: ['-p', '--password'], form: 'equals-or-next', when: 'setup' }],
  },
  // Platform logins whose `-p` means something else in other subcommands (`oc process -p KEY=VALUE`).
  {
    programs: ['oc', 'cf', 'cf7', 'cf8'],
    kind: 'PASSWORD',
    flags: [{ flags: ['-p', '--password'], form: 'equals-or-next', when: 'login' }],
  },
  { programs: ['cf', 'cf7', 'cf8'], kind: 'PASSWORD', positional: [{ after: ['auth'], index: 1 }] },
  {
    programs: ['useradd', 'usermod'],
    kind: 'PASSWORD',
    flags: [{ flags: ['-p', '--password'], form: 'equals-or-next' }],
  },
  { programs: ['ipmitool'], kind: 'PASSWORD', flags: [{ flags: ['-P'], form: 'next' }] },
  { programs: ['rabbitmqadmin'], kind: 'PASSWORD', flags: [{ flags: ['-p', '--password'], form: 'equals-or-next' }] },
  // Net-SNMP v3: the authentication (-A) and privacy (-X) passphrases.
  {
    programs: ['snmpwalk', 'snmpbulkwalk', 'snmpget', 'snmpgetnext', 'snmpbulkget', 'snmpset', 'snmptable', 'snmptrap'],
    kind: 'PASSWORD',
    flags: [{ flags: ['-A', '-X'], form: 'next-or-glued' }],
  },
  { programs: ['schtasks'], kind: 'PASSWORD', flags: [{ flags: ['/rp', '/p'], form: 'next' }] },
  {
    programs: ['curl'],
    kind: 'PASSWORD',
    flags: [
      { flags: ['-u', '--user', '-U', '--proxy-user'], form: 'next-or-glued', part: 'after-colon' },
      { flags: ['--oauth2-bearer'], form: 'next' },
    ],
  },
  {
    programs: ['wget', 'wget2'],
    kind: 'PASSWORD',
    flags: [{ flags: ['--password', '--http-password', '--ftp-password', '--proxy-password'], form: 'equals-or-next' }],
  },
  { programs: ['lftp'], kind: 'PASSWORD', flags: [{ flags: ['-u', '--user'], form: 'next', part: 'after-comma' }] },
  {
    programs: ['smbclient', 'rpcclient', 'smbmap', 'smbget', 'net', 'smbcacls', 'mount.cifs'],
    kind: 'PASSWORD',
    flags: [
      { flags: ['-U', '--user'], form: 'next-or-glued', part: 'after-percent' },
      { flags: ['--password'], form: 'equals-or-next' },
    ],
  },
  {
    programs: ['7z', '7za', '7zr', '7zz', 'rar', 'unrar', 'winrar'],
    kind: 'PASSWORD',
    flags: [{ flags: ['-p'], form: 'glued' }],
  },
  {
    programs: ['zip', 'unzip', 'zipcloak', 'funzip'],
    kind: 'PASSWORD',
    flags: [{ flags: ['-P', '--password'], form: 'next' }],
  },
  {
    programs: ['htpasswd'],
    kind: 'PASSWORD',
    positional: [
      { after: [], index: 'last', when: '-b' },
      { after: [], index: 'last', when: '-nb' },
      { after: [], index: 'last', when: '-bc' },
      { after: [], index: 'last', when: '-cb' },
    ],
  },
  {
    programs: ['rabbitmqctl'],
    kind: 'PASSWORD',
    positional: [
      { after: ['add_user'], index: 1 },
      { after: ['change_password'], index: 1 },
      { after: ['authenticate_user'], index: 1 },
    ],
  },
  // Windows `net user NAME PASSWORD` and `net use \\host\share PASSWORD`.
  {
    programs: ['net', 'net.exe'],
    kind: 'PASSWORD',
    positional: [
      { after: ['user'], index: 1 },
      // The share is `\\host\share` as written; a shell-style split leaves one backslash in front.
      { after: ['use'], index: 0, following: /^\\/ },
    ],
  },
  {
    programs: ['redis-cli', 'valkey-cli', 'keydb-cli'],
    kind: 'PASSWORD',
    flags: [{ flags: ['-a', '--pass'], form: 'next' }],
  },
  {
    programs: REGISTRY_LOGIN,
    kind: 'PASSWORD',
    flags: [
      { flags: ['-p', '--password'], form: 'equals-or-next', when: 'login' },
      { flags: ['--creds', '--src-creds', '--dest-creds'], form: 'equals-or-next', part: 'after-colon' },
    ],
    stdin: { when: '--password-stdin' },
  },
  {
    programs: ['openssl'],
    kind: 'PASSWORD',
    flags: [
      { flags: ['-k'], form: 'next' },
      { flags: ['-pass', '-passin', '-passout', '-password'], form: 'next', part: 'after-pass-prefix' },
    ],
  },
  {
    programs: ['keytool', 'jarsigner'],
    kind: 'PASSWORD',
    flags: [
      {
        flags: ['-storepass', '-keypass', '-srcstorepass', '-deststorepass', '-srckeypass', '-destkeypass', '-new'],
        form: 'next',
      },
    ],
  },
  { programs: ['gpg', 'gpg2'], kind: 'PASSWORD', flags: [{ flags: ['--passphrase'], form: 'equals-or-next' }] },
  { programs: ['ssh-keygen'], kind: 'PASSWORD', flags: [{ flags: ['-N', '-P'], form: 'next' }] },
  // Vertica's vsql `-w`; unixODBC's `isql DSN [USER [PASSWORD]]`; `neo4j-admin … set-initial-password X`.
  { programs: ['vsql'], kind: 'PASSWORD', flags: [{ flags: ['-w'], form: 'next' }] },
  { programs: ['isql', 'iusql'], kind: 'PASSWORD', positional: [{ after: [], index: 2 }] },
  {
    programs: ['neo4j-admin'],
    kind: 'PASSWORD',
    positional: [
      { after: ['set-initial-password'], index: 0 },
      { after: ['dbms', 'set-initial-password'], index: 0 },
    ],
  },
  // `wpa_passphrase SSID [PASSPHRASE]`: the network's name first.
  { programs: ['wpa_passphrase'], kind: 'PASSWORD', positional: [{ after: [], index: 1 }] },
  { programs: MONGO, kind: 'PASSWORD', flags: [{ flags: ['-p', '--password'], form: 'equals-or-next' }] },
  { programs: ORACLE, kind: 'PASSWORD', positional: [{ after: [], index: 0, part: 'after-slash-before-at' }] },
  { programs: ['snyk'], kind: 'GENERIC_SECRET', positional: [{ after: ['auth'], index: 0 }] },
  { programs: ['wandb'], kind: 'GENERIC_SECRET', positional: [{ after: ['login'], index: 0 }] },
  {
    programs: ['ngrok'],
    kind: 'GENERIC_SECRET',
    positional: [
      { after: ['authtoken'], index: 0 },
      { after: ['config', 'add-authtoken'], index: 0 },
    ],
    flags: [{ flags: ['--authtoken'], form: 'equals-or-next' }],
  },
  {
    programs: ['vault', 'bao'],
    kind: 'GENERIC_SECRET',
    positional: [{ after: ['login'], index: 0, unless: /=/ }],
  },
  { programs: ['doctl'], kind: 'GENERIC_SECRET', flags: [{ flags: ['-t', '--access-token'], form: 'equals-or-next' }] },
  {
    programs: ['gh'],
    kind: 'GENERIC_SECRET',
    flags: [{ flags: ['-b', '--body'], form: 'equals-or-next', when: 'secret' }],
    stdin: { when: '--with-token' },
  },
  {
    programs: ['mc', 'mcli'],
    kind: 'GENERIC_SECRET',
    positional: [
      { after: ['alias', 'set'], index: 3 },
      { after: ['host', 'add'], index: 3 },
    ],
  },
  { programs: ['rclone'], kind: 'GENERIC_SECRET', pairsAfter: ['config'] },
  // Programs that read a password or a secret's value on standard input, as scripts feed them
  // (`printf '%s' X | kinit`, `echo X | wrangler secret put NAME`, `vercel env add NAME prod <<< X`).
  { programs: ['sudo'], kind: 'PASSWORD', stdin: { when: '-S' } },
  // passwd reads the new password twice from a pipe (`echo -e "X\nX" | passwd bob`), with or without --stdin.
  { programs: ['passwd'], kind: 'PASSWORD', stdin: {} },
  { programs: ['chpasswd'], kind: 'PASSWORD', stdin: { part: 'after-colon' } },
  { programs: ['kinit', 'cryptsetup'], kind: 'PASSWORD', stdin: {} },
  { programs: ['htpasswd'], kind: 'PASSWORD', stdin: { when: '-i' } },
  { programs: ['smbpasswd'], kind: 'PASSWORD', stdin: { when: '-s' } },
  { programs: ['op'], kind: 'PASSWORD', stdin: { when: 'signin' } },
  { programs: ['vault', 'bao'], kind: 'GENERIC_SECRET', stdin: { when: '-' } },
  { programs: ['wrangler', 'gh', ...REGISTRY_LOGIN], kind: 'GENERIC_SECRET', stdin: { when: 'secret' } },
  { programs: ['vercel'], kind: 'GENERIC_SECRET', stdin: { when: 'env' } },
  { programs: ['firebase'], kind: 'GENERIC_SECRET', stdin: { when: 'functions:secrets:set' } },
  { programs: ['gcloud'], kind: 'GENERIC_SECRET', stdin: { when: '--data-file=-' } },
];

/**
 * Words after which `NAME VALUE` pairs are set (`aws configure set aws_secret_access_key X`,
 * `npm config set //…:_authToken X`, `dotnet user-secrets set ApiKey X`, `setx API_TOKEN X`): a
 * NAME that names a credential makes the next word one.
 */
export const SETTING_VERBS: ReadonlySet<string> = new Set(['set', 'setx', 'config:set', 'set-credentials']);
/** Programs under which SETTING_VERBS are looked for (the scanner's keywords for that rule). */
export const SETTING_PROGRAMS: readonly string[] = [
  'aws',
  'npm',
  'yarn',
  'pnpm',
  'pip',
  'pip3',
  'heroku',
  'kubectl',
  'dotnet',
  'firebase',
  'setx',
  'conda',
  'poetry',
  'git',
];

/** Programs whose arguments are text written to standard output (the source of a pipe into a stdin reader). */
export const ECHO_PROGRAMS: ReadonlySet<string> = new Set(['echo', 'printf', 'print', 'write-output']);
