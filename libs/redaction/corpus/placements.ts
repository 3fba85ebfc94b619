/**
 * Placements: where real logs put a credential (command lines, config formats,
 * cloud and tool output, encodings and splits), and the lines a redactor must
 * leave alone. Each template is filled with fresh seeded secrets, so a fix has
 * to hold for the class, not for one value. redactor.placements.spec.ts asserts
 * every case; `npm run corpus:placements` prints the per-class table in docs/redaction.md.
 */
import { FakeSecrets, seededRandom } from '../src/testing';

export type PlacementClass = 'command-line' | 'config-format' | 'cloud-output' | 'encoding-split' | 'negative';

export interface PlacementCase {
  class: PlacementClass;
  text: string;
  /** Every one must be gone from the output (no run of 8 characters, or the whole value when shorter, may remain). */
  secrets: string[];
}

type Secret = (f: FakeSecrets) => string;

const SYMBOLS = '!#%*._~';
/** A password with one punctuation character in the middle: the shape generic rules miss. */
const pw: Secret = (f) => `${f.alnum(5)}${f.pick(SYMBOLS, 1)}${f.alnum(6)}`;
const tok: Secret = (f) => f.alnum(32);
/** A password holding `&`, `;`, `,` or `'` (between letters), characters that also end a parameter or a quote. */
const sepPw: Secret = (f) => `${f.alnum(4)}${f.pick("&;,'", 1)}${f.alnum(9)}`;
/** A password holding a `#`, which a URL would need encoded. */
const hashPw: Secret = (f) => `${f.alnum(6)}#${f.alnum(5)}`;
const b64: Secret = (f) => Buffer.from(f.alnum(24)).toString('base64');
/** base64 of `user:password`, as HTTP Basic, Docker's auths and .npmrc's _auth carry it. */
const userPass: Secret = (f) => Buffer.from(`svc-${f.alnum(4).toLowerCase()}:${pw(f)}`).toString('base64');
/** A password holding a double quote, as CSV writes it (doubled). */
const csvQuotedPw: Secret = (f) => `${f.alnum(5)}""${f.alnum(6)}`;
/** A password holding a quote, as a shell writes it inside single quotes (`'\\''`). */
const shellQuotedPw: Secret = (f) => `${f.alnum(5)}'\\''${f.alnum(6)}`;
const hex: Secret = (f) => f.hex(64);
/** A password ending in `!`, as people pick them (`Summer2026!`). */
const bangPw: Secret = (f) => `${f.alnum(6)}${f.digits(4)}!`;
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const SEED_WORDS = ['abandon', 'ability', 'lemon', 'pioneer', 'silent', 'tribe', 'salt', 'chair', 'dutch', 'pistol'];
/** Twelve lower-case words, as a BIP39 seed phrase. */
const seedWords: Secret = (f) => Array.from({ length: 12 }, () => f.pick(SEED_WORDS, 1)).join(' ');
const uuid: Secret = (f) => `${f.hex(8)}-${f.hex(4)}-4${f.hex(3)}-a${f.hex(3)}-${f.hex(12)}`;
/**
 * A password holding an opening bracket after a digit. A head of letters alone before a bracket
 * (`decrypt(blob, key)`) reads as a call and is left: docs/redaction.md, Limits.
 */
const bracketPw: Secret = (f) => `${f.alnum(3)}${f.digits(1)}(${f.alnum(7)}`;
/** A password of three words: every word after the first is longer than a leak's 8 characters together. */
const spacedPw: Secret = (f) => `${pw(f)} ${f.alnum(6)} ${f.alnum(5)}`;
/** Words a passphrase is drawn from, as diceware does. */
const PHRASE_WORDS = [
  'keyboard',
  'purple',
  'monkey',
  'dishwasher',
  'battery',
  'staple',
  'horse',
  'lantern',
  'orbit',
  'walnut',
];
/** 64 random bytes written as decimal numbers, as an Ed25519 keypair is printed. */
const keypairBytes: Secret = (f) => Array.from({ length: 64 }, () => Number.parseInt(f.hex(2), 16)).join(',');
/**
 * A password whose middle symbol is not a dot: letters and a dot alone can read as a dotted name in Markdown
 * backticks (`Foo.Bar`), which is kept (docs/redaction.md). Same draws as `pw`, so the cases after it keep theirs.
 */
const undottedPw: Secret = (f) => pw(f).replace('.', '!');
/** A password ending in a closing bracket, which a call around it would also end with. */
const closingPw: Secret = (f) => `${f.alnum(5)}!${f.alnum(5)})`;

type Template = [PlacementClass, Secret[], (...secrets: string[]) => string];

const ESC = '\x1b';
const TEMPLATES: Template[] = [
  // Command lines: credentials as flags and positional arguments, per program.
  ['command-line', [pw], (p) => `$ mysql -u root -p${p} -h db.internal shop`],
  ['command-line', [pw], (p) => `mysqladmin -uroot -p'${p}' status`],
  ['command-line', [pw], (p) => `+ sqlcmd -S sql01 -U sa -P ${p} -Q "SELECT 1"`],
  ['command-line', [pw], (p) => `ldapsearch -x -H ldap://dc1 -D "cn=admin,dc=corp" -w ${p} -b dc=corp`],
  ['command-line', [pw], (p) => `mstsc /v:jump01 /u:ops /p:${p}`],
  ['command-line', [pw], (p) => `cmdkey /add:fileserver /user:CORP\\svc /pass:${p}`],
  ['command-line', [pw], (p) => `curl -fsS -u deploy:${p} https://ci.internal/api/json`],
  ['command-line', [pw], (p) => `curl --user admin:${p} -X POST https://grafana.internal/api/users`],
  ['command-line', [pw], (p) => `lftp -u backup,${p} sftp://files.internal`],
  ['command-line', [pw], (p) => `smbclient //fs01/share -U alice%${p} -c ls`],
  ['command-line', [pw], (p) => `7z a -p${p} -mhe=on backup.7z data/`],
  ['command-line', [pw], (p) => `unzip -P ${p} release.zip -d out`],
  ['command-line', [pw], (p) => `zip -P ${p} -r out.zip dist`],
  ['command-line', [pw], (p) => `htpasswd -b -c /etc/nginx/.htpasswd admin ${p}`],
  ['command-line', [pw], (p) => `rabbitmqctl add_user svc-orders ${p}`],
  ['command-line', [pw], (p) => `rabbitmqctl change_password svc-orders ${p}`],
  ['command-line', [pw], (p) => `net user backup ${p} /add`],
  ['command-line', [pw], (p) => `sshpass -p ${p} ssh deploy@10.0.0.5 uptime`],
  // A password flag right after a user flag, for programs without a rule of their own.
  ['command-line', [pw], (p) => `smbmap -H 10.0.0.5 -u admin -p ${p} -r share`],
  ['command-line', [pw], (p) => `evil-winrm -i 10.0.0.5 -u administrator -p '${p}'`],
  ['command-line', [pw], (p) => `winrs -r:web01 -u:CORP\\ops -p:${p} ipconfig`],
  // Go's single-dash token flags and keys named for what they reach (`--account-key`).
  ['command-line', [uuid], (t) => `consul acl bootstrap -token ${t}`],
  [
    'command-line',
    [(f) => Buffer.from(f.alnum(48)).toString('base64')],
    (k) => `az storage blob upload --account-name acct --account-key ${k} -f a.txt -c backups`,
  ],
  // A command quoted whole inside a structured log line (one word to a shell).
  [
    'command-line',
    [pw],
    (p) => `{"level":"info","step":"restore","msg":"running: mysql -u root -p${p} shop < dump.sql","ms":412}`,
  ],
  ['command-line', [pw], (p) => `time=12:00:01 level=debug cmd='sshpass -p ${p} scp a.tgz deploy@10.0.0.5:/srv' rc=0`],
  ['command-line', [tok], (t) => `{"event":"exec","argv":"curl -sf -u ci:${t} https://nexus.internal/repo"}`],
  ['command-line', [pw], (p) => `redis-cli -h cache -a ${p} --no-auth-warning ping`],
  ['command-line', [pw], (p) => `docker login -u bot -p ${p} registry.internal`],
  ['command-line', [pw], (p) => `psexec \\\\web01 -u CORP\\admin -p ${p} cmd /c ipconfig`],
  ['command-line', [pw], (p) => `openssl pkcs12 -export -in c.pem -inkey k.pem -passout pass:${p} -out c.p12`],
  ['command-line', [pw], (p) => `openssl enc -aes-256-cbc -k ${p} -in db.sql -out db.sql.enc`],
  ['command-line', [pw], (p) => `keytool -importcert -keystore app.jks -storepass ${p} -file ca.crt`],
  ['command-line', [pw], (p) => `gpg --batch --passphrase ${p} -d secrets.tar.gpg`],
  ['command-line', [tok], (t) => `snyk auth ${t}`],
  ['command-line', [tok], (t) => `wandb login ${t}`],
  ['command-line', [tok], (t) => `ngrok config add-authtoken ${t}`],
  ['command-line', [tok], (t) => `ngrok authtoken ${t}`],
  ['command-line', [(f) => f.awsSecret()], (s) => `aws configure set aws_secret_access_key ${s}`],
  ['command-line', [tok], (t) => `echo ${t} | docker login ghcr.io -u bot --password-stdin`],
  ['command-line', [pw], (p) => `echo "${p}" | sudo -S systemctl restart app`],
  ['command-line', [tok], (t) => `npm config set //registry.npmjs.org/:_authToken ${t}`],
  ['command-line', [pw], (p) => `az login -u ops@corp.example -p ${p}`],
  ['command-line', [pw], (p) => `java -Djavax.net.ssl.keyStorePassword=${p} -jar app.jar`],
  ['command-line', [pw], (p) => `PGPASSWORD=${p} pg_dump -h db shop > shop.sql`],
  ['command-line', [pw], (p) => `Invoke-Sqlcmd -ServerInstance sql01 -Username sa -Password "${p}"`],
  ['command-line', [pw], (p) => `helm upgrade app ./chart --set db.password=${p}`],
  ['command-line', [pw], (p) => `pg_dump "host=db user=app password=${p} dbname=shop" > dump.sql`],
  ['command-line', [tok], (t) => `heroku config:set API_TOKEN=${t} -a shop`],

  // Config formats: values under secret-named keys, parsed where the line is structured.
  ['config-format', [pw], (p) => `<password>${p}</password>`],
  ['config-format', [pw], (p) => `    <add key="ClearTextPassword" value="${p}" />`],
  ['config-format', [pw], (p) => `<add name="Main" connectionString="Server=sql;User Id=app;Password=${p};" />`],
  ['config-format', [pw], (p) => `requirepass ${p}`],
  ['config-format', [pw], (p) => `masterauth ${p}`],
  ['config-format', [b64], (k) => `PrivateKey = ${k}`],
  ['config-format', [pw], (p) => `define('DB_PASSWORD', '${p}');`],
  ['config-format', [tok], (t) => `define( 'AUTH_KEY', '${t}' );`],
  ['config-format', [userPass], (b) => `_auth=${b}`],
  ['config-format', [b64], (b) => `//npm.internal/:_password=${b}`],
  ['config-format', [(f) => Buffer.from(f.alnum(90)).toString('base64')], (b) => `    client-key-data: ${b}`],
  ['config-format', [userPass], (b) => `{"auths":{"ghcr.io":{"auth":"${b}"}}}`],
  [
    'config-format',
    [(f) => f.b64url(43)],
    (d) => `{"kty":"EC","crv":"P-256","x":"f83OJ3D2","y":"x_FEzRu9","d":"${d}"}`,
  ],
  ['config-format', [(f) => Buffer.from(f.alnum(32)).toString('base64')], (k) => `APP_KEY=base64:${k}`],
  ['config-format', [pw], (p) => `app.config['SECRET_KEY'] = '${p}${p}'`],
  ['config-format', [pw], (p) => `$pass = ConvertTo-SecureString "${p}" -AsPlainText -Force`],
  ['config-format', [pw], (p) => `set "DB_PASSWORD=${p}"`],
  ['config-format', [pw], (p) => `Passwort: ${p}`],
  ['config-format', [pw], (p) => `contraseña = ${p}`],
  ['config-format', [pw], (p) => `mot de passe : ${p}`],
  ['config-format', [pw], (p) => `パスワード：${p}`],
  ['config-format', [pw], (p) => `密码：${p}`],
  ['config-format', [pw], (p) => `senha=${p}`],
  ['config-format', [pw], (p) => `пароль: ${p}`],
  ['config-format', [pw], (p) => `dbPassword: ${p}`],
  ['config-format', [pw], (p) => `spring.datasource.password=${p}`],
  ['config-format', [pw], (p) => `Driver={ODBC Driver 18};Server=sql;UID=app;PWD={${p};x};`],
  ['config-format', [pw], (p) => `password = "ab\\"${p}"`],
  [
    'config-format',
    [(f) => f.hex(32)],
    (h) =>
      `https://corp.webhook.office.com/webhookb2/0f1e2d3c-aaaa-bbbb-cccc-111122223333@4f5e6d7c-aaaa-bbbb-cccc-444455556666/IncomingWebhook/${h}/9a8b7c6d-aaaa-bbbb-cccc-777788889999`,
  ],

  [
    'config-format',
    [b64, b64],
    (a, b) =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  DB_URL: ${a}\n  config.json: ${b}\n`,
  ],
  [
    'config-format',
    [b64],
    (a) => `apiVersion: v1\ndata:\n  .dockerconfigjson: ${a}\nkind: Secret\nmetadata:\n  name: regcred\n`,
  ],
  [
    'config-format',
    [(f) => f.pemBody(6).join('\n')],
    (body) =>
      `2024-05-01T10:00:00.123Z app[12]: -----BEGIN RSA PRIVATE KEY-----\n${body
        .split('\n')
        .map((line) => `2024-05-01T10:00:00.123Z app[12]: ${line}`)
        .join('\n')}\n2024-05-01T10:00:00.124Z app[12]: -----END RSA PRIVATE KEY-----`,
  ],
  [
    'config-format',
    [(f) => f.pemBody(1)[0]],
    (line) =>
      `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIGf8\nAAAAC3NzaC1lZDI1NTE5AAAAIGf9\nPrivate-Lines: 1\n${line}\nPrivate-MAC: 4f1c2a9b8e7d6c5b4a39281706f5e4d3c2b1a0f9`,
  ],
  [
    'config-format',
    [tok],
    (t) => `pip install --extra-index-url https://${t}@pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/ app`,
  ],
  ['config-format', [pw], (p) => `export DB_PASSWORD='ab'\\''${p}'`],
  // Cloud and tool output.
  ['cloud-output', [pw], (p) => `"SecretString": "{\\"username\\":\\"app\\",\\"password\\":\\"${p}\\"}",`],
  ['cloud-output', [(f) => f.azureAccountKey()], (k) => `{"keyName": "key1", "permissions": "FULL", "value": "${k}"}`],
  ['cloud-output', [pw], (p) => `{"db_password": {"sensitive": true, "type": "string", "value": "${p}"}}`],
  ['cloud-output', [pw], (p) => `password    ${p}`],
  ['cloud-output', [tok], (t) => `api_key            ${t}`],
  [
    'cloud-output',
    [hex],
    (h) => `https://b.s3.amazonaws.com/r.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${h}`,
  ],
  [
    'cloud-output',
    [(f) => `IQoJb3JpZ2luX2Vj${f.b64url(120)}`],
    (t) => `https://b.s3.amazonaws.com/k?X-Amz-Security-Token=${t}&X-Amz-Expires=300`,
  ],
  [
    'cloud-output',
    [hex],
    (h) => `https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=${h}`,
  ],
  ['cloud-output', [(f) => `${f.b64url(40)}==`], (c) => `https://fn-orders.azurewebsites.net/api/sync?code=${c}`],
  ['cloud-output', [tok], (t) => `OTEL_EXPORTER_OTLP_HEADERS=x-honeycomb-team=${t},x-honeycomb-dataset=prod`],
  ['cloud-output', [userPass], (b) => `OTEL_EXPORTER_OTLP_HEADERS=Authorization=Basic%20${b}`],
  ['cloud-output', [tok], (t) => `{"key": "apiKey", "value": "${t}", "type": "string"}`],
  ['cloud-output', [tok], (t) => `{"name": "X-Api-Key", "value": "${t}"}`],
  ['cloud-output', [pw], (p) => `{"name": "DB_PASSWORD", "value": "${p}"}`],
  ['cloud-output', [pw], (p) => `{"ParameterKey": "DBPassword", "ParameterValue": "${p}"}`],
  ['cloud-output', [pw], (p) => `env:\n  - name: DB_PASSWORD\n    value: ${p}\n  - name: LOG_LEVEL\n    value: debug`],
  ['cloud-output', [pw], (p) => `aws cloudformation deploy --parameter-overrides DBPassword=${p} Env=prod`],

  // Encodings and splits.
  ['encoding-split', [pw], (p) => `${ESC}[1;34m"password"${ESC}[0m: ${ESC}[0;32m"${p}"${ESC}[0m`],
  ['encoding-split', [tok], (t) => `api_key=${ESC}[01;31m${ESC}[K${t}${ESC}[m${ESC}[K`],
  ['encoding-split', [(f) => f.githubClassic()], (t) => `${ESC}[33m${t}${ESC}[0m`],
  ['encoding-split', [(f) => f.githubClassic()], (t) => `GITHUB_TOKEN${t}`],
  ['encoding-split', [pw], (p) => `GET /cb?next=%2Fhome%3Fpassword%3D${p}%26x%3D1`],
  ['encoding-split', [pw], (p) => `{\\"password\\": \\"${p}\\"}`],
  ['encoding-split', [pw], (p) => `prod-db,"{""user"":""app"",""password"":""${p}""}",2024-05-01`],
  ['encoding-split', [pw], (p) => `CREATE USER app IDENTIFIED BY '${p}';`],
  ['encoding-split', [pw], (p) => `ALTER ROLE app WITH LOGIN PASSWORD '${p}';`],
  ['encoding-split', [pw], (p) => `1700000000.123456 [0 10.0.0.7:51234] "AUTH" "${p}"`],
  ['encoding-split', [pw], (p) => `1700000000.123456 [0 10.0.0.7:51234] "AUTH" "default" "${p}"`],
  ['encoding-split', [pw], (p) => `the staging db password is ${p}`],
  ['encoding-split', [tok], (t) => `The API key for prod: ${t}`],
  ['encoding-split', [pw], (p) => `#0 /app/db.php(12): PDO->__construct('mysql:host=db;d...', 'root', '${p}', Array)`],
  ['encoding-split', [pw], (p) => `conn = DriverManager.getConnection(url, "app", "${p}");`],
  ['encoding-split', [pw], (p) => `server.login("alerts@corp.example", "${p}")`],
  ['encoding-split', [pw], (p) => `DEBUG: connecting with creds admin/${p} to ldap://dc1`],
  [
    'encoding-split',
    [(f) => `${f.alnum(4)}${f.digits(2)}&${f.alnum(4)}`],
    (p) => `Set the password to \`${p}\` in the wiki`,
  ],
  ['encoding-split', [(f) => f.awsSecret()], (s) => `FYI the AWS secret is ${s} (rotate after use)`],
  ['encoding-split', [(f) => `0x${f.hex(64)}`], (k) => `wallet private key: ${k}`],
  ['encoding-split', [pw], (p) => `To get in, use password ${p} and change it at first login.`],
  ['encoding-split', [pw], (p) => `Log in to the bastion with the root password ${p} (rotated weekly).`],
  ['encoding-split', [undottedPw], (p) => `\`${p}\` is the admin password for staging.`],
  ['encoding-split', [pw], (p) => `  File "db.py", line 12, in connect(host='db', user='app', password='${p}')`],
  ['cloud-output', [tok], (k) => `{\n  "key1": "${k}",\n  "key2": "${k.split('').reverse().join('')}"\n}`],
  [
    'cloud-output',
    [pw],
    (p) =>
      `{\n  "attributes": {\n    "enabled": true\n  },\n  "contentType": null,\n  "id": "https://kv-prod.vault.azure.net/secrets/db-password/0f1e2d3c4b5a6978",\n  "name": "db-password",\n  "tags": {},\n  "value": "${p}"\n}`,
  ],
  [
    'cloud-output',
    [tok],
    (t) => `{"value":"${t}","id":"https://kv.vault.azure.net/secrets/api-key/1","attributes":{"enabled":true}}`,
  ],
  // A `#` left unencoded in a URL's password (not valid in a URL, common in configs and logs).
  ['encoding-split', [hashPw], (p) => `REDIS_URL=rediss://default:${p}@cache.internal:6380/0`],
  ['encoding-split', [hashPw], (p) => `mongosh "mongodb://admin:${p}@mongo:27017/admin"`],
  ['encoding-split', [hashPw], (p) => `https://ci:${p}@git.internal`],
  // Login and sign-in calls in stack traces and error messages, per language.
  ['encoding-split', [pw], (p) => `#1 /var/www/app/Auth.php(40): App\\Auth->login('admin', '${p}')`],
  ['encoding-split', [pw], (p) => `Login(ctx, "deploy", "${p}") returned error: unauthorized`],
  ['encoding-split', [pw], (p) => `ArgumentError: wrong number of arguments in authenticate("ci", "${p}")`],
  ['encoding-split', [pw], (p) => `auth.SignIn("svc-backup", "${p}") failed: 401 Unauthorized`],
  // Appended last so that the values drawn for the templates above stay the same for a seed.
  // TOML and Python triple-quoted strings.
  ['config-format', [pw], (p) => `[database]\npassword = """${p}"""`],
  ['config-format', [pw], (p) => `DB_PASSWORD = '''${p}'''`],
  ['config-format', [tok], (t) => `api_token = """${t}"""  # rotated monthly`],
  // A bare value holding a character that could also separate parameters: its tail must go too.
  ['encoding-split', [sepPw], (p) => `DB_PASSWORD=${p}`],
  ['encoding-split', [sepPw], (p) => `PGPASSWORD=${p} psql -h db01 -U app orders`],
  ['encoding-split', [sepPw], (p) => `spring.datasource.password=${p}`],
  ['encoding-split', [sepPw], (p) => `  redis_password: ${p}`],
  // Tables: the name in one cell, the value in the next (Markdown, `--output table`, tab-separated text).
  ['cloud-output', [pw], (p) => `| DB_PASSWORD | ${p} | staging |`],
  ['cloud-output', [tok], (t) => `|  api_token          |  ${t}  |`],
  ['cloud-output', [pw], (p) => `admin_password\t${p}\tSecureString`],
  // CSV exports: a credential's name in one field, its value in the next (quoted with `""` inside).
  ['config-format', [pw], (p) => `prod,db_password,${p},2026-11-30`],
  ['config-format', [csvQuotedPw], (p) => `"smtp_password","${p}"`],
  // YAML block scalars: the value on the line after `>-` or `|`.
  ['config-format', [pw], (p) => `auth:\n  password: >-\n    ${p}\n  user: svc`],
  ['config-format', [tok], (t) => `api_token: |\n  ${t}`],
  // XML: the name in a name or key attribute, the value in a value attribute or in the element text.
  ['config-format', [pw], (p) => `<Property name="Password" type="string" value="${p}"/>`],
  ['config-format', [pw], (p) => `<entry key="jdbc.password">${p}</entry>`],
  // SSM SecureString parameters printed decrypted, as JSON, YAML and text.
  [
    'cloud-output',
    [pw],
    (p) =>
      `{\n    "Parameter": {\n        "Name": "/prod/db",\n        "Type": "SecureString",\n        "Value": "${p}",\n        "Version": 3\n    }\n}`,
  ],
  ['cloud-output', [tok], (t) => `Parameter:\n  Name: /prod/api\n  Type: SecureString\n  Value: ${t}`],
  [
    'cloud-output',
    [pw],
    (p) => `PARAMETER\tarn:aws:ssm:eu-west-1:123456789012:parameter/db\t/db\tSecureString\t${p}\t4`,
  ],
  // Markdown backticks, SQL double quotes, prose with qualifiers, user/password pairs.
  ['encoding-split', [pw], (p) => `Set \`DB_PASSWORD\` to \`${p}\` in the staging env.`],
  ['encoding-split', [pw], (p) => `CREATE USER 'app'@'%' IDENTIFIED BY "${p}";`],
  ['encoding-split', [pw], (p) => `ALTER USER app IDENTIFIED WITH caching_sha2_password BY '${p}';`],
  ['encoding-split', [pw], (p) => `the password for the staging db: ${p}`],
  ['encoding-split', [pw], (p) => `login: admin / ${p}`],
  // Programs whose credential flags differ from the common ones, and here-strings into a stdin login.
  ['command-line', [pw], (p) => `plink -ssh admin@10.0.0.9 -pw ${p} "uptime"`],
  ['command-line', [pw], (p) => `mosquitto_pub -h broker -u sensor -P ${p} -t t/1 -m 20`],
  [
    'command-line',
    [pw],
    (p) => `nuget sources add -Name corp -Source https://nuget.corp/v3 -UserName ci -Password ${p}`,
  ],
  ['command-line', [tok], (t) => `gh auth login --with-token <<< ${t}`],
  [
    'command-line',
    [pw],
    (p) =>
      `dotnet nuget add source https://nuget.corp/v3/index.json -n corp -u ci -p ${p} --store-password-in-clear-text`,
  ],
  ['command-line', [pw], (p) => `docker login -u bot --password-stdin registry.internal <<<"${p}"`],
  // More programs: platform logins, registries' API keys, BMC and SNMPv3 passphrases, NAME VALUE pairs.
  ['command-line', [pw], (p) => `oc login -u dev -p ${p} https://api.ocp.internal:6443`],
  ['command-line', [pw], (p) => `cf login -a https://api.cf.internal -u ops -p ${p} -o org -s dev`],
  [
    'command-line',
    [tok],
    (t) => `dotnet nuget push out/App.1.2.0.nupkg -k ${t} -s https://api.nuget.org/v3/index.json`,
  ],
  ['command-line', [tok], (t) => `nuget push App.1.2.0.nupkg -ApiKey ${t}`],
  ['command-line', [tok], (t) => `cargo login ${t}`],
  ['command-line', [tok], (t) => `netlify deploy --prod --auth ${t} --dir dist`],
  ['command-line', [pw], (p) => `ipmitool -I lanplus -H 10.0.0.40 -U ADMIN -P ${p} chassis power status`],
  ['command-line', [pw, pw], (a, p) => `snmpwalk -v3 -l authPriv -u mon -a SHA -A ${a} -x AES -X ${p} sw01`],
  ['command-line', [pw], (p) => `useradd -m -p ${p} deploy`],
  ['command-line', [pw], (p) => `rabbitmqadmin -H mq01 -u admin -p ${p} list queues`],
  [
    'command-line',
    [tok],
    (t) => `rclone config create s3prod s3 provider AWS access_key_id AKIA4 secret_access_key ${t}`,
  ],
  ['config-format', [tok], (t) => `$env:API_KEY = "${t}"`],
  // WireGuard and wpa_supplicant keys; password words in Latin-1 spellings (`lösenord`, `jelszó`).
  [
    'config-format',
    [b64],
    (k) => `[Peer]\nPublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\nPresharedKey = ${k}`,
  ],
  ['config-format', [pw], (p) => `network={\n\tssid="office"\n\tpsk="${p}"\n}`],
  ['config-format', [pw], (p) => `lösenord: ${p}`],
  ['config-format', [pw], (p) => `jelszó = ${p}`],
  // AWS CLI text rows, Azure's keys table, and what a command that prints a credential writes on the next line.
  [
    'cloud-output',
    [(f) => f.awsSecret()],
    (k) => `ACCESSKEY\tAKIAQ3EGRT5YJK7MNP2Q\t2026-01-04T10:00:00+00:00\t${k}\tActive\tci-bot`,
  ],
  [
    'cloud-output',
    [(f) => f.awsSecret(), b64],
    (k, t) => `CREDENTIALS\tASIAQ3EGRT5YJK7MNP2Q\t2026-01-04T22:00:00+00:00\t${k}\tIQoJb3JpZ2luX2Vj${t}`,
  ],
  [
    'cloud-output',
    [(f) => Buffer.from(f.alnum(64)).toString('base64').slice(0, 86) + '=='],
    (k) => `KeyName    Permissions    Value\n---------  -------------  -----\nkey1       FULL           ${k}`,
  ],
  ['cloud-output', [pw], (p) => `+ terraform output -raw db_password\n${p}`],
  ['cloud-output', [pw], (p) => `$ vault kv get -field=password secret/prod/db\n${p}`],
  ['cloud-output', [pw], (p) => `$ kubectl get secret db -o jsonpath='{.data.password}' | base64 -d\n${p}`],
  ['cloud-output', [tok], (t) => `$ aws ecr get-login-password --region eu-west-1\neyJwYXlsb2FkIjoi${t}`],
  // A generated value right after a credential noun, with no verb or colon; a quote a shell wrote inside quotes.
  ['encoding-split', [tok], (t) => `[2026-01-04 10:00:01] INFO Using token ${t} for the artifact upload`],
  ['encoding-split', [pw], (p) => `<!-- staging db password ${p} -->`],
  ['encoding-split', [shellQuotedPw], (p) => `bash -c 'echo password: ${p}; ./run'`],
  // Blank-separated config directives with quoted values; a Dockerfile's ENV in its blank form.
  ['config-format', [pw], (p) => `requirepass "${p}"`],
  ['config-format', [pw], (p) => `masterauth '${p}'`],
  ['config-format', [pw], (p) => `ENV MYSQL_ROOT_PASSWORD ${p}`],
  // A bracket inside a value, or closing it, with no call around it.
  ['config-format', [bracketPw], (p) => `MYSQL_ROOT_PASSWORD=${p}`],
  ['config-format', [closingPw], (p) => `spring.datasource.password=${p}`],
  // Vault AppRole secret ids: a login call, JSON, a `vault write` table.
  ['command-line', [uuid], (u) => `vault write auth/approle/login role_id=db-app secret_id=${u}`],
  ['cloud-output', [uuid], (u) => `{"role_id":"3c1e…","secret_id":"${u}"}`],
  [
    'cloud-output',
    [uuid],
    (u) => `Key                   Value\n---                   -----\nsecret_id             ${u}`,
  ],
  // ipsec.secrets.
  ['config-format', [pw], (p) => `10.0.0.1 10.0.0.2 : PSK "${p}"`],
  ['config-format', [pw], (p) => `carol@corp : EAP "${p}"`],
  ['command-line', [pw], (p) => `wpa_passphrase office-5g '${p}'`],
  // Coloured output stored as text: the escape character written as an escape.
  ['encoding-split', [pw], (p) => `{"log":"\\u001b[32mpassword\\u001b[0m: \\u001b[33m${p}\\u001b[0m"}`],
  ['encoding-split', [tok], (t) => `printf "\\033[1mAPI_TOKEN\\033[0m=\\033[36m${t}\\033[0m\\n"`],
  ['encoding-split', [pw], (p) => `echo -e "\\e[31mDB_PASSWORD\\e[0m=${p}"`],
  // A command substitution that prints a literal.
  ['config-format', [pw], (p) => `export DB_PASS=$(echo '${p}')`],
  ['config-format', [tok], (t) => `API_TOKEN=\`printf %s ${t}\``],
  // Prose: a passphrase of letters after "is:", a password ending in `!`.
  ['encoding-split', [(f) => f.pick('abcdefghijklmnopqrstuvwxyz', 18)], (p) => `Your new password is: ${p}`],
  ['encoding-split', [bangPw], (p) => `Temporary password for jdoe: ${p}`],
  ['encoding-split', [bangPw], (p) => `the staging db password is ${p}`],
  // Argument vectors printed as lists or call arguments, in tracebacks and structured logs.
  [
    'command-line',
    [pw],
    (p) => `subprocess.CalledProcessError: Command '['mysql', '-uroot', '-p${p}', '-e', 'SELECT 1']' returned 1.`,
  ],
  ['command-line', [pw], (p) => `spawn('sshpass', ['-p', '${p}', 'ssh', 'deploy@10.0.0.5'])`],
  ['command-line', [pw], (p) => `{"cmd":"redis-cli","args":["-h","cache","-a","${p}","ping"]}`],
  ['command-line', [pw], (p) => `exec.Command("htpasswd", "-b", "/etc/nginx/.htpasswd", "admin", "${p}")`],
  // A database URL, a user and the password as an argument list.
  [
    'encoding-split',
    [pw],
    (p) => `\tat com.acme.db.Pool.open(Pool.java:88) with args [jdbc:postgresql://db:5432/app, app_user, ${p}]`,
  ],
  ['encoding-split', [pw], (p) => `conn = psycopg2.connect("postgresql://db/app", "app", "${p}")`],
  // CloudFormation parameters and tag-like pairs in YAML.
  ['cloud-output', [pw], (p) => `Parameters:\n  - ParameterKey: DbPassword\n    ParameterValue: ${p}`],
  ['cloud-output', [tok], (t) => `- Key: API_TOKEN\n  Value: ${t}`],
  // More commands whose output line is a credential.
  ['cloud-output', [pw], (p) => `$ gcloud secrets versions access latest --secret=db-password\n${p}`],
  ['cloud-output', [pw], (p) => `+ op read "op://prod/db/password"\n${p}`],
  ['cloud-output', [pw], (p) => `$ pass show prod/db\n${p}`],
  [
    'cloud-output',
    [pw],
    (p) => `$ aws secretsmanager get-secret-value --secret-id prod/db --query SecretString --output text\n${p}`,
  ],
  ['cloud-output', [pw], (p) => `$ az keyvault secret show --vault-name kv --name db --query value -o tsv\n${p}`],
  ['cloud-output', [pw], (p) => `$ doppler secrets get DB_PASSWORD --plain\n${p}`],
  ['cloud-output', [pw], (p) => `$ heroku config:get DATABASE_PASSWORD -a shop\n${p}`],
  // HTTP: a multipart form field, Azure API Management's subscription key, base64 padding kept with the value.
  [
    'encoding-split',
    [pw],
    (p) => `------WebKitFormBoundary\r\nContent-Disposition: form-data; name="password"\r\n\r\n${p}\r\n`,
  ],
  ['cloud-output', [(f) => f.hex(32)], (k) => `Ocp-Apim-Subscription-Key: ${k}`],
  ['cloud-output', [(f) => `${f.alnum(54)}==`], (k) => `x-functions-key: ${k}`],
  // Flags as list items (Kubernetes args, a Dockerfile's exec form), a GitHub Actions mask, LDAP `pw` keys.
  ['config-format', [pw], (p) => `        args: ["--db-password", "${p}", "--port", "8080"]`],
  ['config-format', [tok], (t) => `CMD ["/app/server", "--api-token", "${t}"]`],
  ['command-line', [pw], (p) => `echo "::add-mask::${p}"`],
  ['config-format', [pw], (p) => `bindpw ${p}`],
  ['config-format', [pw], (p) => `olcRootPW: ${p}`],
  ['config-format', [pw], (p) => `ldap_default_authtok = ${p}`],
  // Quotes in another encoding: JSON escaped twice more, \u0022, HTML entities, a URL-encoded JSON body.
  ['encoding-split', [pw], (p) => `{"log":"{\\\\\\"password\\\\\\":\\\\\\"${p}\\\\\\"}"}`],
  ['encoding-split', [pw], (p) => `{"body":"{\\u0022password\\u0022:\\u0022${p}\\u0022}"}`],
  ['encoding-split', [pw], (p) => `<pre>{&quot;password&quot;: &quot;${p}&quot;}</pre>`],
  ['encoding-split', [tok], (t) => `<div data-config="{&#34;apiKey&#34;:&#34;${t}&#34;}">`],
  ['encoding-split', [pw], (p) => `GET /cb?state=%7B%22password%22%3A%22${p}%22%7D HTTP/1.1`],
  // Name/value pairs with the value first.
  ['config-format', [pw], (p) => `"environment": [{"value": "${p}", "name": "DB_PASSWORD"}]`],
  ['cloud-output', [tok], (t) => `{"Value":"${t}","Type":"SecureString","Name":"API_TOKEN"}`],
  // Wallet keys after a label (hex, base58), BIP32 extended private keys, seed words as a variable or a list.
  ['encoding-split', [(f) => `K${f.pick(BASE58, 51)}`], (k) => `WIF: ${k}`],
  ['encoding-split', [(f) => f.pick(BASE58, 88)], (k) => `solana private key: ${k}`],
  ['encoding-split', [(f) => `xprv9s21ZrQH143K${f.pick(BASE58, 95)}`], (k) => `restored wallet from ${k}`],
  ['encoding-split', [seedWords], (w) => `export WALLET_SEED="${w}"`],
  [
    'encoding-split',
    [seedWords],
    (w) =>
      `recovery words: ${w
        .split(' ')
        .map((word) => `"${word}"`)
        .join(', ')}`,
  ],
  // Prose with a participle ("password used: …"), `pw` keys, more database clients.
  ['encoding-split', [pw], (p) => `FATAL: password authentication failed for user "app" (password used: ${p})`],
  ['encoding-split', [tok], (t) => `INFO API token generated: ${t}`],
  ['config-format', [pw], (p) => `DB_ADMIN_PW: ${p}`],
  ['command-line', [pw], (p) => `sshpass -e ssh host; export sshpw=${p}`],
  ['command-line', [pw], (p) => `neo4j-admin dbms set-initial-password ${p}`],
  ['command-line', [pw], (p) => `vsql -U dbadmin -w ${p} -c "select 1"`],
  ['command-line', [pw], (p) => `isql -v PRODDSN etl ${p}`],
  // Cluster bootstrap output: Consul/Nomad ACL tokens, Vault unseal keys, K3s join tokens.
  ['cloud-output', [uuid], (u) => `Accessor ID  = 3f1c2e4d-0000-4000-8000-000000000001\nSecret ID    = ${u}`],
  ['cloud-output', [(f) => Buffer.from(f.alnum(32)).toString('base64')], (k) => `Unseal Key 1: ${k}`],
  ['cloud-output', [(f) => f.alnum(32)], (t) => `K3S_TOKEN=K10${'ab12'.repeat(16)}::server:${t}`],
  // Auth tuples and credential constructors in code and stack traces.
  ['encoding-split', [pw], (p) => `    r = requests.get(url, auth=('admin', '${p}'), timeout=5)`],
  ['encoding-split', [pw], (p) => `  File "sync.py", line 9, in run: session.auth = HTTPBasicAuth('svc', '${p}')`],
  ['encoding-split', [pw], (p) => `var cred = new NetworkCredential("svc", "${p}", "CORP");`],
  ['encoding-split', [pw], (p) => `new PasswordAuthentication("svc", "${p}".toCharArray())`],
  // Ed25519 keypairs as 64 byte values (Solana's id.json, code), and a provider prefix glued to its key name.
  ['encoding-split', [keypairBytes], (k) => `$ cat ~/.config/solana/id.json\n[${k}]`],
  ['encoding-split', [keypairBytes], (k) => `const payer = Keypair.fromSecretKey(Uint8Array.from([${k}]));`],
  ['encoding-split', [keypairBytes], (k) => `{"wallet": "devnet", "secretKey": [\n  ${k.replace(/,/g, ',\n  ')}\n]}`],
  ['encoding-split', [(f) => `sk-proj-${f.alnum(48)}`], (k) => `OPENAI_APIKEY${k}`],
  // An ODBC braced value holding `}}`, ODBC's escaped closing brace.
  [
    'config-format',
    [(f) => `${f.alnum(4)};${f.alnum(3)}}}${f.alnum(9)}`],
    (p) => `Driver={ODBC Driver 18};Server=sql01;UID=etl;PWD={${p}};`,
  ],
  // A Terraform plan changing a credential: the old value and the new one.
  [
    'cloud-output',
    [pw, pw],
    (a, b) => `      ~ environment = {\n          ~ "DB_PASSWORD" = "${a}" -> "${b}"\n        }`,
  ],
  // The output of a secret generator.
  ['cloud-output', [(f) => Buffer.from(f.alnum(32)).toString('base64')], (k) => `$ openssl rand -base64 32\n${k}`],
  ['cloud-output', [(f) => f.alnum(24)], (p) => `+ pwgen -s 24 1\n${p}`],
  ['cloud-output', [(f) => Buffer.from(f.alnum(32)).toString('base64')], (k) => `$ wg genkey\n${k}\n$ ls`],
  // A command at a shell prompt that reads a secret it names, and its output on the next line.
  ['cloud-output', [pw], (p) => `$ cat /run/secrets/db_password\n${p}\n$ ls`],
  ['cloud-output', [tok], (t) => `deploy@build-7:~/app$ echo $API_TOKEN\n${t}`],
  ['cloud-output', [pw], (p) => `$ consul kv get app/prod/db/password\n${p}`],
  ['cloud-output', [pw], (p) => `$ bw get password git.corp.example\n${p}`],
  [
    'cloud-output',
    [pw],
    (p) =>
      `$ aws ssm get-parameter --name /prod/db/password --with-decryption --query Parameter.Value --output text\n${p}`,
  ],
  ['cloud-output', [pw], (p) => `$ pulumi stack output dbPassword --show-secrets\n${p}`],
  // Protocol transcripts: FTP/POP3 PASS, IMAP LOGIN, SMTP AUTH PLAIN and AUTH LOGIN, redis-cli AUTH; WS-Security.
  ['encoding-split', [pw], (p) => `--> USER deploy\n--> PASS ${p}\n<-- 230 Login successful.`],
  ['encoding-split', [pw], (p) => `C: a001 LOGIN alerts@corp.example ${p}\nS: a001 OK LOGIN completed`],
  ['encoding-split', [userPass], (b) => `C: EHLO relay\nC: AUTH PLAIN ${b}\nS: 235 2.7.0 Authentication successful`],
  [
    'encoding-split',
    [(f) => Buffer.from(pw(f)).toString('base64')],
    (b) => `C: AUTH LOGIN\nS: 334 VXNlcm5hbWU6\nC: YWxlcnRz\nS: 334 UGFzc3dvcmQ6\nC: ${b}\nS: 235 ok`,
  ],
  ['encoding-split', [pw], (p) => `127.0.0.1:6379> AUTH default ${p}\nOK`],
  [
    'config-format',
    [pw],
    (p) =>
      `<wsse:UsernameToken><wsse:Username>svc</wsse:Username><wsse:Password Type="#PasswordText">${p}</wsse:Password></wsse:UsernameToken>`,
  ],
  // A passphrase of lower-case words under a key that starts its line.
  [
    'config-format',
    [(f) => Array.from({ length: 4 }, () => f.pick(PHRASE_WORDS, 1)).join(' ')],
    (p) => `SESSION_SECRET=${p}`,
  ],
  [
    'config-format',
    [(f) => Array.from({ length: 3 }, () => f.pick(PHRASE_WORDS, 1)).join(' ')],
    (p) => `gpg:\n  passphrase: ${p}\n  key: 0xA1B2`,
  ],
  // A password with blanks under a key that starts its line: YAML and .env read the whole rest as the value.
  ['config-format', [spacedPw], (p) => `db:\n  admin_password: ${p}\n  port: 5432`],
  ['config-format', [spacedPw], (p) => `DB_PASSWORD=${p}\nDB_USER=app`],
  ['config-format', [spacedPw], (p) => `environment:\n  - SMTP_PASSWORD=${p} # rotated`],
  // Keys that end in a short `Pass`, a quoted value after `password` and a blank, kickstart's `rootpw --plaintext`.
  ['config-format', [pw], (p) => `<Connector port="8443" keystoreFile="conf/ks.jks" keystorePass="${p}" />`],
  ['config-format', [pw], (p) => `mail:\n  smtpPass: ${p}\n  smtpPort: 587`],
  ['config-format', [pw], (p) => `<add key="SmtpPass" value="${p}" />`],
  ['config-format', [pw], (p) => `poll imap.corp.example protocol imap user "alerts" password "${p}" is alerts`],
  ['config-format', [pw], (p) => `rootpw --plaintext ${p}`],
  // A password word glued to a lower-case or upper-case prefix (`dbpassword`, `storepass`, `DBPASS`).
  ['config-format', [pw], (p) => `database:\n  dbpassword: ${p}\n  dbhost: db01`],
  ['config-format', [pw], (p) => `{"pghost": "db", "pgpassword": "${p}"}`],
  ['config-format', [pw], (p) => `keystorepass=${p}\nkeystorefile=/etc/app/keystore.jks`],
  ['config-format', [pw], (p) => `DBPASS=${p}\nDBUSER=app`],
  ['config-format', [bangPw], (p) => `[ldap]\nldappassword = "${p}"`],
  // Keys named for what they license, sign or reach (`license_key`, `write_key`, `routing_key`, `primaryKey`).
  ['config-format', [(f) => f.hex(40)], (k) => `common: &default_settings\n  license_key: ${k}\n  app_name: shop`],
  ['config-format', [uuid], (k) => `{"ApplicationInsights": {"InstrumentationKey": "${k}"}}`],
  ['config-format', [tok], (k) => `SEGMENT_WRITE_KEY=${k}`],
  ['config-format', [(f) => f.hex(32)], (k) => `pagerduty:\n  routing_key: ${k}\n  severity: critical`],
  ['config-format', [hex], (k) => `hmac_key = "${k}"`],
  ['config-format', [b64], (k) => `VAULT_UNSEAL_KEY=${k}`],
  // WordPress keys and salts, Windows unattend files, Terraform variable defaults, HAProxy and OpenVPN.
  [
    'config-format',
    [(f) => `${f.alnum(20)}:${f.pick(SYMBOLS, 1)}${f.alnum(30)}`],
    (k) => `define( 'NONCE_SALT',       '${k}' );`,
  ],
  [
    'config-format',
    [pw],
    (p) => `<AdministratorPassword>\n  <Value>${p}</Value>\n  <PlainText>true</PlainText>\n</AdministratorPassword>`,
  ],
  [
    'config-format',
    [tok],
    (t) => `variable "api_token" {\n  type      = string\n  default   = "${t}"\n  sensitive = true\n}`,
  ],
  ['config-format', [pw], (p) => `userlist stats\n  user admin insecure-password ${p}`],
  ['config-format', [pw], (p) => `remote vpn.corp.example 1194\n<auth-user-pass>\nalice\n${p}\n</auth-user-pass>`],
  // The C preprocessor (Arduino's secrets header), LDAP bind calls after a DN, a client's `auth` call.
  ['config-format', [pw], (p) => `#define WIFI_SSID "HomeNet"\n#define WIFI_PASSWORD "${p}"`],
  ['config-format', [pw], (p) => `// arduino_secrets.h\n#define SECRET_SSID "office-5g"\n#define SECRET_PASS "${p}"`],
  ['encoding-split', [pw], (p) => `    l.simple_bind_s("cn=admin,dc=corp,dc=example", "${p}")`],
  ['encoding-split', [pw], (p) => `const conn = await client.bind('uid=svc-sync,ou=people,dc=corp', '${p}');`],
  ['encoding-split', [pw], (p) => `Jedis jedis = new Jedis("cache.internal", 6379);\njedis.auth("${p}");`],
  ['encoding-split', [pw], (p) => `await redis.auth('default', '${p}')`],
  // JSON's escaped slashes (PHP's json_encode), Go's \u003d and \u0026, HTML entities for brackets and `=`.
  ['encoding-split', [pw], (p) => `{"dsn":"postgres:\\/\\/app:${p}@db.internal:5432\\/shop","level":"error"}`],
  ['encoding-split', [tok], (t) => `{"msg":"GET \\/v1\\/items?api_key\\u003d${t}\\u0026limit=5"}`],
  ['encoding-split', [pw], (p) => `<pre>&lt;password&gt;${p}&lt;/password&gt;</pre>`],
  ['encoding-split', [pw], (p) => `<td>db_password&#61;${p}</td>`],
  // Method-entry logs and stack frames printing a login or connect call's arguments unquoted.
  ['encoding-split', [pw], (p) => `DEBUG c.e.aop.LoggingAspect - Entering method login with args [alice, ${p}]`],
  ['encoding-split', [pw], (p) => `    at com.example.db.Pool.getConnection(Pool.java:88) with args [app, ${p}]`],
  ['encoding-split', [pw], (p) => `TRACE AuthService.authenticate args=[svc-sync, ${p}] took 12 ms`],
  // Markdown: a value named a password after it with "as".
  // (A value of letters and dots alone reads as a dotted name there: `Foo.Bar` is kept, docs/redaction.md.)
  ['encoding-split', [bangPw], (p) => `Log in with \`admin\` as the user and \`${p}\` as the password.`],
  // The answer typed at an interactive prompt that shows a default or a note.
  [
    'cloud-output',
    [(f) => f.awsSecret()],
    (s) =>
      `$ aws configure\nAWS Access Key ID [None]: AKIA2OGYBAH6QRSTUVWX\nAWS Secret Access Key [None]: ${s}\nDefault region name [None]: us-east-1`,
  ],
  ['cloud-output', [tok], (t) => `? Paste your token here: ${t}\n✔ Logged in`],
  [
    'cloud-output',
    [pw, pw],
    (a, b) => `Password: \nPassword (again): ${a}\nEnter passphrase (empty for no passphrase): ${b}`,
  ],
  ['cloud-output', [tok], (t) => `Client secret [****${t.slice(-4)}]: ${t}`],
  [
    'cloud-output',
    [(f) => Buffer.from(f.alnum(48)).toString('base64')],
    (k) => `{\n  "primaryKey": "${k}",\n  "keyName": "RootManageSharedAccessKey"\n}`,
  ],
  ['config-format', [uuid], (k) => `launchdarkly:\n  sdk_key: sdk-${k}`],
  // Prose: a verb phrase with an auxiliary, a quoted qualifier, a hex key right after its noun.
  ['encoding-split', [pw], (p) => `ops: the admin password has been reset to ${p} until Friday`],
  ['encoding-split', [pw], (p) => `Password for user "svc-etl" was ${p}`],
  ['encoding-split', [(f) => f.hex(32)], (h) => `Use API key ${h} for the staging environment.`],
  // Linux audit EXECVE records: the arguments as a0="…" a1="…".
  [
    'command-line',
    [pw],
    (p) => `type=EXECVE msg=audit(1700000000.123:45): argc=4 a0="mysql" a1="-uroot" a2="-p${p}" a3="shop"`,
  ],
  [
    'command-line',
    [pw],
    (p) => `type=EXECVE msg=audit(1700000001.5:46): argc=4 a0="sshpass" a1="-p" a2="${p}" a3="ssh"`,
  ],
  // Programs that read a password or a secret's value on standard input, fed by echo, printf or a here-string.
  ['command-line', [pw], (p) => `printf '%s\\n' '${p}' | kinit svc-backup@CORP.EXAMPLE`],
  ['command-line', [pw], (p) => `echo -e "${p}\\n${p}" | passwd deploy`],
  ['command-line', [pw], (p) => `printf '${p}\\n${p}\\n' | smbpasswd -s -a alice`],
  ['command-line', [pw], (p) => `echo -n "${p}" | cryptsetup luksOpen /dev/sdb1 vault -`],
  ['command-line', [tok], (t) => `echo -n "${t}" | npx wrangler secret put STRIPE_KEY`],
  ['command-line', [tok], (t) => `vercel env add API_TOKEN production <<< ${t}`],
  ['command-line', [tok], (t) => `echo -n ${t} | gcloud secrets versions add api-token --data-file=-`],
  ['command-line', [tok], (t) => `printf "${t}" | docker secret create api_token -`],
  ['command-line', [tok], (t) => `echo ${t} | vault login -`],
  // Added last so that the cases before keep their draws: a flag whose name goes on after the secret word.
  ['command-line', [tok], (t) => `mc admin user add local svc-backup --secret-key ${t}`],
];

/** Lines a redactor must leave untouched (environment dumps, masks, identifiers, prompts, ARNs). */
const NEGATIVES: string[] = [
  'PWD=/home/runner/work/app',
  'OLDPWD=/home/runner',
  'declare -x PWD="/srv/app"',
  'password: [FILTERED]',
  'api_key: "***"',
  'token: <your-token>',
  'password: null',
  'secret: ~',
  '"password": "[REDACTED]"',
  'DB_PASSWORD=',
  "password = input('DB password: ')",
  'db_password = os.environ["DB_PASSWORD"]',
  'const token = process.env.GITHUB_TOKEN;',
  '<UserSecretsId>79a3edd0-2092-40a2-a04d-dcb46d5ca9ed</UserSecretsId>',
  '"tokenizationId": "4f2a9c1e7b3d4a6f8e0c2b5a7d9f1e3c"',
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf',
  'Changing password for user alice.',
  'passwd: all authentication tokens updated successfully.',
  '[sudo] password for alice:',
  "Enter passphrase for key '/root/.ssh/id_ed25519':",
  'max_tokens: 4096',
  'token_count=128 prompt_tokens=96',
  'kubectl create secret generic db --from-file=./password.txt',
  'signin("github", "/dashboard")',
  '[{"id":"https://kv.vault.azure.net/secrets/db-password","name":"db-password","enabled":true}]',
  'Log in with password authentication disabled',
  'using password hashing scheme bcrypt-12',
  '`config.yaml` is the secret store',
  "passport.authenticate('jwt', 'session-1')",
  'login(username, password)',
  'secretName: db-credentials',
  'password_file: /run/secrets/db_password',
  ' * Exports a private key to PEM-encoded PKCS #8.',
  'export declare function hmac(key: Uint8Array, data: Uint8Array): Uint8Array;',
  'env:\n  - name: LOG_LEVEL\n    value: debug',
  'client.login(username, password)',
  '# com.sun.management.jmxremote.password.toHashes = true|false',
  '       <privateKey>/path/to/private/key</privateKey>',
  '#password_encryption = scram-sha-256\t# scram-sha-256 or md5',
  '#ssl_passphrase_command_supports_reload = off',
  '"pass": "Element has sufficient color contrast of ${data.contrastRatio}",',
  'apiVersion: v1\nkind: ConfigMap\ndata:\n  LOG_LEVEL: debug\n  FEATURE_FLAGS: a,b,c\n',
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEf83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\n-----END PUBLIC KEY-----',
  'git clone https://github.com/nestjs/nest.git',
  'net use z: "\\\\vmware-host\\Shared Folders"',
  'status=pass;next=fail',
  "password=it's the same as before",
  'PASSWORD_MIN_LENGTH=8,PASSWORD_MAX_LENGTH=64',
  'pass=1,2,3',
  "| password | The user's password |",
  '| token_ttl | 3600s |',
  '| PasswordLastUsed | 2026-01-01T10:00:00Z |',
  'name,password,email',
  'fields: user,password,username2',
  '<input name="password" value="">',
  '`password` is `string`',
  'Set `DB_PASSWORD` to `${DB_PASSWORD}`',
  'dotnet build -p:Configuration=Release',
  'password: |\n  {{ .Values.db.password }}',
  'echo ready <<< done',
  'vault login -method=oidc role=admin',
  'oc process -f template.yaml -p DB_NAME=orders',
  'rclone config create s3prod s3 provider AWS env_auth true',
  'Refreshing token EXPIRES_IN_3600s',
  'using token Token2022Program for the mint',
  'sent token abc123def456 to the client',
  'the password reset link for user123 expired',
  'psk_len=64',
  '| password_policy | min8-upper1 |',
  'auth\toauth2\tenabled',
  'auth_provider,google-oauth2',
  'the token for the job: ci-runner-07',
  '<Property name="PasswordPolicy" value="Strong1"/>',
  'Using token OAuth2Token for the call',
  '$ terraform output -raw db_host\ndb01.internal.corp',
  '$ vault kv get -field=password secret/prod/db\nError reading secret/prod/db: permission denied',
  'wpa_psk_file=/etc/wpa/psk.conf',
  'password: !vault |',
  'secret: projects/123/secrets/db-pass/versions/latest',
  'password = (known after apply)',
  '  ~ password = (sensitive value)',
  'openssl enc -aes-256-cbc -pass env:ENC_PASS -in f -out f.enc',
  'keytool -list -keystore app.jks -storepass:file /run/secrets/storepass',
  'wpa_passphrase office-5g',
  'secret_id_accessor    11e2a3b4-c5d6-47f8-a9b0-c1d2e3f4a5b6',
  'aws secretsmanager get-secret-value --secret-id prod/db',
  'login(password=sha256(x))',
  'password=decrypt(blob, key)',
  'requirepass ""',
  '{"log":"\\u001b[32mpassword\\u001b[0m: \\u001b[33m********\\u001b[0m"}',
  'VERSION=$(echo 1.2.3)',
  'DB_PASS=$(echo "$SECRET" | base64 -d)',
  'The password is: required',
  "Running ['ls', '-la', '/srv']",
  'getConnection(jdbc:mysql://db/app, root, null)',
  'Tags:\n  - Key: Name\n    Value: web-01',
  'Process exited: ["git", "push", "origin", "main"]',
  '$ heroku config:get WEB_CONCURRENCY -a shop\nconcurrency2',
  '$ aws secretsmanager get-secret-value --secret-id prod/db | jq .Name\n"prod/db"',
  'the desktop reads config\nabcdefgh12345',
  'Content-Disposition: form-data; name="username"\r\n\r\nalice-admin',
  'echo "::add-mask::$API_TOKEN"',
  'rootpw_file=/etc/ldap/rootpw',
  'args: ["--password", "--verbose"]',
  'password: ${{ secrets.DB_PASSWORD }}',
  'AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}',
  'ApiKey: !Ref ApiKeyParameter',
  'MasterUserPassword: !Sub "{{resolve:secretsmanager:${DBSecret}:SecretString:password}}"',
  'token: !GetAtt BotSecret.Arn',
  '<pre>{&quot;password&quot;: &quot;&quot;}</pre>',
  'GET /search?q=%22password%22%3A%22required%22 HTTP/1.1',
  '{"value": "debug", "name": "LOG_LEVEL"}',
  'show_pw=true',
  'Secret created: projects/123/secrets/db-pass',
  'the token was reset to default',
  'password reset successfully for user alice',
  'isql -v PRODDSN',
  'POWER: cpu_pw=35.5 gpu_pw=120W max_pw: 128',
  'token issued: 2026-03-04T10:00:00Z',
  'requests.post(url, auth=(user, password))',
  'HTTPBasicAuth(username, password)',
  '$ doppler secrets get DB_PASSWORD --plain --json\n{"DB_PASSWORD":{"computed":"${DB_PASSWORD}"}}',
  'the seed: run it once per environment with the same values each time you deploy',
  '{"msg":"path is C:\\\\Users\\\\app\\\\", "token_ttl":"3600"}',
  'echo "$DB_PASSWORD" | kinit svc@CORP.EXAMPLE',
  'cat token.txt | gh secret set API_TOKEN',
  'echo "y" | docker system prune',
  'the password was set to expire in 90 days',
  "token has been issued to user 'bob' at 10:00",
  'the secret for "prod" is stored in vault',
  'token 2024010112000000000000 expired',
  'filters:\n  highPass: 1200\n  test_pass: 42/50',
  'rootpw --lock',
  'password: must be at least 12 characters long',
  ' PASS  libs/app/src/login.spec.ts (5.2 s)\nPASS test_login\nTests: PASS 12/12',
  'S: 535 5.7.8 AUTH FAILED\nC: AUTH LOGIN YWxlcnRz',
  '<password required="true">at least 12 characters</password>',
  '$ cat token.json\n{"expires_in":3600}\n$ echo $TOKEN_TTL\n3600',
  '$ git log --oneline | grep password\nabc1234\n$ ls secrets/\ndb_password.txt',
  'Set-Cookie: theme=dark; Path=/; Max-Age=31536000\nCookie: lang=en; consent=yes; sidebar=collapsed',
  'kubectl create secret generic db --from-file=password=./password.txt',
  'vault kv put secret/db password=@password.txt',
  'def check_password(password: str, hashed: bytes) -> bool:\nfun login(password: String): Boolean',
  `padding: [${Array(64).fill(0).join(',')}]\nports: [80,443,8080]`,
  '      ~ "LOG_LEVEL" = "info" -> "debug"\n      ~ password = (sensitive value)',
  'secret: stored in vault\npassword: must be strong\nDB_PASSWORD=see vault\nexistingSecret: postgres credentials',
  '$ openssl rand -hex 16 > key.txt\n$ ls\n$ wg genkey | tee privatekey | wg pubkey\nHIqD7K2hP3V7cXoZ3k0Nf1T9uG8wq3Lr6dJbYk2vM0E=',
  '<add key="Bypass" value="true" />',
  'bypass: cache\nmultipass: enabled\nforgotpassword: /account/forgot\nresetpassword: "reset-password.html"\nBYPASS=1',
  'Entering method connect with args [db01, 5432]\nEntering method login with args [bob, true]\nconnect(DB_HOST, DB_PASSWORD)\nsocket.connect(port, host) db.connect(cfg.host, cfg.port) login(user1, pass1)',
  'Use `--password-stdin` as the password source; set `DB_PASSWORD` as the password variable.',
  "define( 'AUTH_SALT', 'put your unique phrase here' );\ndefine( 'WP_CACHE_KEY_SALT', 'mysite' );",
  'variable "db_password" {\n  description = "The database password"\n  type = string\n}\nvariable "token_ttl" { default = "3600s" }',
  'secret = base64.b64decode(os.environ["APP_SECRET"])\npassword = hashlib.sha256(raw).hexdigest()',
  '{"path":"C:\\\\Users\\\\app\\\\","url":"https:\\/\\/example.com\\/a\\/b"}\n&lt;b&gt;bold&lt;/b&gt; &#61; ok',
  'mysql -u root -p shop\ndocker run -u 1000 -p 8080:80 app\nps -u root -p 1234\nsudo -u deploy -p "[sudo] pw: " ls\ntool --routing-key orders.created.v2 --deploy-key ~/.ssh/id_ed25519',
  'PASSWORD_HASHER=argon2id\nPASSWORD_ENCODER=bcrypt2\npassword_digest: sha256\nPASSWORD_SCHEME=pbkdf2_sha256\nPASSWORD_COMPLEXITY=high3',
  '#define SECRET_SSID "HomeNet5G"\n#define PASSWORD_PROMPT "Password: "\n#define MQTT_PASSWORD_LEN 64',
  'l.compare_s("cn=x,dc=corp", "userPassword", "secret")\napp.auth(\'jwt\')\nl.search_s("dc=corp", ldap.SCOPE_SUBTREE, "(uid=bob)")',
  'Enter passphrase (empty for no passphrase):\nDefault output format [None]: json\nToken lifetime (hours): 24\nPassword [hidden]: ********\nPIN (4 digits): 1234',
  'routing_key: orders.created\nprimary_key: id\nproduct_key: SKU-2024-XL\naccount_key: acct_1234\nlicense_key: Apache-2.0',
];

const SEED = 20261205;
const INSTANCES = 3;

export function placementCases(seed = SEED): PlacementCase[] {
  const f = new FakeSecrets(seededRandom(seed));
  const cases: PlacementCase[] = [];
  for (const [cls, makers, render] of TEMPLATES) {
    for (let i = 0; i < INSTANCES; i++) {
      const secrets = makers.map((make) => make(f));
      cases.push({ class: cls, text: render(...secrets), secrets });
    }
  }
  for (const text of NEGATIVES) cases.push({ class: 'negative', text, secrets: [] });
  return cases;
}
