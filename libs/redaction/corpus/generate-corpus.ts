/**
 * Writes redaction-corpus.jsonl: log, shell and config lines with fake,
 * format-valid secrets (seeded, reproducible) and negatives that must stay
 * untouched. Run: npx ts-node --transpile-only -r tsconfig-paths/register libs/redaction/corpus/generate-corpus.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeSecrets, seededRandom } from '../src/testing';

interface Entry {
  kind: string;
  text: string;
  secrets: string[];
}

const f = new FakeSecrets(seededRandom(20240501));
const digits = (n: number) => f.pick('0123456789', n);
const entries: Entry[] = [];
const pos = (kind: string, make: (s: string) => string, secret: () => string, times = 4) => {
  for (let i = 0; i < times; i++) {
    const value = secret();
    entries.push({ kind, text: make(value), secrets: [value] });
  }
};
const neg = (kind: string, text: string) => entries.push({ kind, text, secrets: [] });

// Provider tokens in varied contexts, followed by punctuation on purpose.
const contexts = [
  (s: string) => `export TOKEN=${s}`,
  (s: string) => `2024-05-01T10:00:00Z INFO using key ${s}.`,
  (s: string) => `{"api_key": "${s}", "model": "x"}`,
  (s: string) => `curl -s https://api.example.com/v1 -H 'X-Key: ${s}'`,
  (s: string) => `The token (${s}) was rotated!`,
  (s: string) => `config: [${s}], retries: 3`,
];
const provider = (kind: string, secret: () => string) => contexts.forEach((c, i) => i < 4 && pos(kind, c, secret, 1));
provider('OPENAI_API_KEY', f.openaiLegacy);
provider('OPENAI_API_KEY', f.openaiProject);
provider('OPENAI_API_KEY', () => `sk-svcacct-${f.b64url(60)}T3BlbkFJ${f.b64url(20)}`);
provider('OPENAI_API_KEY', () => `sk-admin-${f.b64url(60)}T3BlbkFJ${f.b64url(20)}`);
provider('ANTHROPIC_API_KEY', f.anthropic);
provider('GITHUB_TOKEN', () => f.githubClassic('ghp_'));
provider('GITHUB_TOKEN', () => f.githubClassic('gho_'));
provider('GITHUB_TOKEN', () => f.githubClassic('ghs_'));
provider('GITHUB_TOKEN', () => f.githubClassic('ghr_'));
provider('GITHUB_TOKEN', f.githubFineGrained);
provider('GITLAB_TOKEN', () => `glpat-${f.b64url(20)}`);
provider('GITLAB_TOKEN', () => `glpat-${f.b64url(27)}.01.${f.pick('0123456789abcdefghijklmnopqrstuvwxyz', 9)}`);
provider('SLACK_TOKEN', f.slackBot);
provider('SLACK_TOKEN', () => `xoxp-${digits(12)}-${digits(12)}-${digits(13)}-${f.hex(32)}`);
provider('STRIPE_SECRET_KEY', f.stripe);
provider('STRIPE_RESTRICTED_KEY', () => `rk_live_${f.alnum(99)}`);
provider('GOOGLE_API_KEY', f.googleApiKey);
provider('GOOGLE_OAUTH_TOKEN', () => `ya29.${f.b64url(150)}`);
provider('NPM_TOKEN', f.npm);
provider('PYPI_TOKEN', () => `pypi-AgEIcHlwaS5vcmc${f.b64url(70)}`);
provider('TWILIO_API_KEY', () => `SK${f.hex(32)}`);
provider('SENDGRID_API_KEY', () => `SG.${f.b64url(22)}.${f.b64url(43)}`);
provider('MAILGUN_API_KEY', () => `key-${f.hex(32)}`);
provider('DISCORD_BOT_TOKEN', () => `${Buffer.from(digits(18)).toString('base64url')}.${f.b64url(6)}.${f.b64url(38)}`);
provider('TELEGRAM_BOT_TOKEN', () => `${digits(10)}:AA${f.b64url(33)}`);
provider('E2B_API_KEY', f.e2b);
provider('HUGGINGFACE_TOKEN', f.huggingFace);
provider('SHOPIFY_TOKEN', () => `shpat_${f.hex(32)}`);
provider('VAULT_TOKEN', () => `hvs.${f.b64url(90)}`);
provider('DIGITALOCEAN_TOKEN', () => `dop_v1_${f.hex(64)}`);
provider('LINEAR_API_KEY', () => `lin_api_${f.alnum(40)}`);
provider('NOTION_TOKEN', () => `ntn_${f.alnum(46)}`);
provider('DATABRICKS_TOKEN', () => `dapi${f.hex(32)}`);
provider('DOPPLER_TOKEN', () => `dp.pt.${f.alnum(43)}`);
provider('HEROKU_API_KEY', () => `HRKU-AA${f.b64url(58)}`);
provider('JWT', f.jwt);
provider('AWS_ACCESS_KEY_ID', f.awsKeyId);

// Context-bound credentials.
pos('AWS_SECRET_ACCESS_KEY', (s) => `aws_secret_access_key = ${s}`, f.awsSecret);
pos('AWS_SECRET_ACCESS_KEY', (s) => `AWS_SECRET_ACCESS_KEY="${s}"`, f.awsSecret);
pos(
  'DATADOG_API_KEY',
  (s) => `DD_API_KEY=${s}`,
  () => f.hex(32),
);
pos(
  'AZURE_STORAGE_ACCOUNT_KEY',
  (s) => `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${s};EndpointSuffix=core.windows.net`,
  () => f.alnum(86) + '==',
);
pos(
  'AZURE_SAS_SIGNATURE',
  (s) => `https://acct.blob.core.windows.net/c/b?sv=2022-11-02&ss=b&sig=${s}&se=2030-01-01`,
  () => encodeURIComponent(f.alnum(43) + '='),
);
pos(
  'SLACK_WEBHOOK_URL',
  (s) => `posting to ${s}, ok`,
  () => `https://hooks.slack.com/services/T${f.upper(8)}/B${f.upper(8)}/${f.alnum(24)}`,
);
pos(
  'DISCORD_WEBHOOK_URL',
  (s) => `webhook: ${s}`,
  () => `https://discord.com/api/webhooks/${digits(18)}/${f.b64url(68)}`,
);
for (const scheme of [
  'postgres',
  'postgresql',
  'mysql',
  'mongodb',
  'mongodb+srv',
  'redis',
  'rediss',
  'amqp',
  'amqps',
  'ftp',
  'http',
  'https',
]) {
  pos(
    'URL_PASSWORD',
    (s) => `connecting to ${scheme}://svc_user:${s}@db.internal.example:1234/app?ssl=true`,
    f.password,
    2,
  );
}
pos(
  'URL_PASSWORD',
  (s) => `DATABASE_URL=postgres://app:${s}@db/app`,
  () => encodeURIComponent(f.password()),
);
pos(
  'URL_PASSWORD',
  (s) => `redis://:${s}@cache:6379/0`,
  () => f.alnum(24),
);
pos(
  'BEARER_TOKEN',
  (s) => `Authorization: Bearer ${s}`,
  () => f.b64url(40),
);
pos(
  'BEARER_TOKEN',
  (s) => `curl -H "Authorization: Bearer ${s}" https://api.x.io`,
  () => f.alnum(32),
);
pos(
  'BASIC_AUTH',
  (s) => `Authorization: Basic ${s}`,
  () => Buffer.from(`admin:${f.password()}`).toString('base64'),
);
pos(
  'COOKIE',
  (s) => `Cookie: ${s}`,
  () => `sessionid=${f.alnum(32)}; csrftoken=${f.alnum(32)}`,
);
pos(
  'SESSION_TOKEN',
  (s) => `login ok session_id=${s} user=42`,
  () => f.alnum(40),
);
pos(
  'COOKIE',
  (s) => `Set-Cookie: session_id=${s}; Path=/; HttpOnly`,
  () => f.alnum(40),
);
pos(
  'SESSION_TOKEN',
  (s) => `PHPSESSID=${s}`,
  () => f.hex(26) + digits(6),
);
pos('PASSWORD', (s) => `DB_PASSWORD=${s}`, f.password);
pos('PASSWORD', (s) => `  password: ${s}`, f.password);
pos('PASSWORD', (s) => `{"user":"svc","password":"${s}"}`, f.password);
pos('PASSWORD', (s) => `mysql --host db --password=${s} app`, f.password);
pos('PASSWORD', (s) => `psql --password ${s}`, f.password, 2);
pos('PASSWORD', (s) => `Server=db;Database=app;User Id=sa;Password=${s};`, f.password);
pos('PASSWORD', (s) => `jdbc:mysql://db:3306/app?user=root&password=${s}`, f.password);
pos('PASSWORD', (s) => `machine api.example.com login bot password ${s}`, f.password);
pos('PASSWORD', (s) => `db.internal:5432:app:svc:${s}`, f.password);
pos('PASSWORD', (s) => `jdbc:oracle:thin:scott/${s}@db:1521/ORCL`, f.password, 2);
pos(
  'GENERIC_SECRET',
  (s) => `CLIENT_SECRET=${s}`,
  () => f.alnum(32),
);
pos(
  'GENERIC_SECRET',
  (s) => `api_token: "${s}"`,
  () => f.alnum(40),
);
pos(
  'GENERIC_SECRET',
  (s) => `deploy --api-key ${s} --region eu`,
  () => f.alnum(32),
);
pos(
  'GENERIC_SECRET',
  (s) => `x-api-key: ${s}`,
  () => f.hex(40),
);
pos(
  'GENERIC_SECRET',
  (s) => `GET /v1/items?access_token=${s}&page=2`,
  () => f.alnum(36),
);
const pem = (type: string) => {
  const lines = Array.from({ length: 8 }, () =>
    f.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 64),
  );
  return `-----BEGIN ${type}PRIVATE KEY-----\n${lines.join('\n')}\n-----END ${type}PRIVATE KEY-----`;
};
pos(
  'PRIVATE_KEY',
  (s) => `key file:\n${s}\ndone`,
  () => pem('RSA '),
  2,
);
pos(
  'PRIVATE_KEY',
  (s) => s,
  () => pem('OPENSSH '),
  2,
);
pos(
  'PRIVATE_KEY',
  (s) => `{"type":"service_account","private_key":"${s}"}`,
  () => pem('').replace(/\n/g, '\\n') + '\\n',
  2,
);

// Negatives: placeholders, documented examples, public material, identifiers, prose.
const negatives = [
  'export OPENAI_API_KEY=${OPENAI_API_KEY}',
  'API_KEY=<your-api-key>',
  'token: your-token-here',
  'password: changeme',
  'GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'password = "********"',
  'secret: "{{ .Values.secret }}"',
  'set PASSWORD=%DB_PASSWORD%',
  'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
  'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'stripe publishable key pk_live_51HxYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
  'client_id: 1234567890-abc123def456.apps.googleusercontent.com',
  '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END PUBLIC KEY-----',
  '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----',
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host',
  'commit 3f786850e387550fdab836ed7e6dc881de23001b (HEAD -> main)',
  'Idempotency-Key: 9b2f6a3e-8c1d-4f5a-b6e7-1a2b3c4d5e6f',
  'request_id=2c1e5d6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f status=200',
  'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'integrity sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==',
  'Using max_tokens=1024 and token_count: 5120',
  'secretName: prod-database',
  'password_policy: strict, min length 12',
  '"token_type": "Bearer", "expires_in": 3600',
  'Basic configuration loaded from /etc/app.conf',
  'Bearer authentication is required for this endpoint',
  'The session was started at 10:00 and ended at 11:00',
  'https://example.com:8443/path?page=2&sort=desc',
  'postgres://localhost:5432/app',
  'postgres://user:<password>@localhost/app',
  'mongodb+srv://<username>:<password>@cluster0.mongodb.net/test',
  'redis://:${REDIS_PASSWORD}@cache:6379',
  'npm test passed: 42 tests, 0 failures',
  'bypass=true cache=off',
  'xoxb-your-token-here',
  'sk-your-key-here',
  'Authorization: Bearer <token>',
  'Authorization: Bearer $TOKEN',
  'password: [REDACTED:PASSWORD]',
  'key [REDACTED:OPENAI_API_KEY] was used',
  'Compiled 1234 files in 5.6s',
  'docker pull node@sha256:2ef1a3c5b7d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70819',
  'mapbox public token pk.eyJ1IjoiZXhhbXBsZSIsImEiOiJjbGV4YW1wbGUifQ.abcdefghijklmnopqrstuv',
  'task-1234567890abcdef completed',
  'risk-assessment-2024-final report',
  'ETag: "33a64df551425fcc55e4d42a148795d9f25f89d4"',
  'git checkout a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  'uuid 123e4567-e89b-12d3-a456-426614174000',
  'The token is valid until tomorrow.',
  'secret sharing is enabled for this workspace',
  'TOKEN_TTL_SECONDS=3600',
  'api_key_id: 42',
  'password_file=/run/secrets/db_password',
  'docker login --password-stdin',
  'echo $PASSWORD | docker login -u ci --password-stdin',
  'cookie consent banner shown',
  'session: active',
  'access_key_id: none',
  'PRIVATE_KEY_PATH=/etc/ssl/private/key.pem',
  'See https://docs.github.com/authentication for token types',
  'Generated new API key for user 42 (not shown)',
];
for (const text of negatives) neg('negative', text);
// Ordinary log lines
const words = [
  'GET',
  'POST',
  '/api/v1/items',
  'status=200',
  'latency=12ms',
  'user=42',
  'cache hit',
  'worker started',
  'queue depth 3',
  'retry 1/3',
  'job done',
  'connection pool size 10',
  'sha=9fceb02d0ae598e95dc970b74767f19372d61af8',
  'trace_id=4bf92f3577b34da6a3ce929d0e0e4736',
];
const random = seededRandom(7);
while (entries.filter((e) => e.secrets.length === 0).length < Math.ceil(entries.length / 2.9)) {
  let line = `2024-05-01T12:${String(Math.floor(random() * 60)).padStart(2, '0')}:00Z INFO`;
  for (let i = 0; i < 6; i++) line += ' ' + words[Math.floor(random() * words.length)];
  neg('negative', line);
}

writeFileSync(join(__dirname, 'redaction-corpus.jsonl'), entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
console.log(`${entries.length} lines, ${entries.filter((e) => e.secrets.length === 0).length} negatives`);
