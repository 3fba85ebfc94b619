import { FakeSecrets, seededRandom } from './fake-secrets';

/**
 * Ordinary lines of agent, HTTP, build and shell output. Several carry the
 * words the prefilter looks for (token, session, password, Basic, Bearer,
 * secret, ://) without a secret, as real logs do, so the benchmark pays for
 * near misses and not only for clean text.
 */
const TEMPLATES: ReadonlyArray<(r: LineParts) => string> = [
  (r) =>
    `${r.ts} INFO  [http] ${r.method} /api/v1/items/${r.int(99999)} ${r.status} ${r.int(900)}ms req_id=${r.uuid} user=${r.int(5000)} bytes=${r.int(90000)}`,
  (r) =>
    `{"level":30,"time":${1_700_000_000_000 + r.int(1e9)},"pid":${r.int(40000)},"hostname":"worker-${r.int(9)}","req_id":"${r.uuid}","msg":"request completed","responseTime":${r.int(300)}.${r.int(9)}}`,
  (r) =>
    `    at ${r.word}Service.${r.word} (/app/dist/apps/safety-api/${r.word}/${r.word}.service.js:${r.int(900)}:${r.int(80)})`,
  (r) =>
    `${r.ts} DEBUG [llm] model=gpt-4o max_tokens=${r.int(4096)} prompt_tokens=${r.int(9000)} completion_tokens=${r.int(2000)} finish_reason=stop latency=${r.int(9000)}ms`,
  (r) =>
    `$ npm ci --prefer-offline && npm run build -- --config tsconfig.build.json # step ${r.int(40)} of 40, cache ${r.hex(12)}`,
  (r) => `commit ${r.hex(40)} Merge pull request #${r.int(9000)} from ${r.word}/${r.word}-${r.word} (session handling)`,
  (r) =>
    `Step ${r.int(12)}/12 : RUN apt-get update && apt-get install -y curl ca-certificates  ---> Using cache sha256:${r.hex(64)}`,
  (r) =>
    `${r.ts} WARN  [auth] token refresh for user ${r.int(5000)} took ${r.int(900)}ms; session ${r.uuid} extended by 3600s`,
  (r) =>
    `${r.ts} INFO  [db] connected to postgres://db.internal.example:5432/app pool=${r.int(50)} idle=${r.int(20)} password auth ok`,
  (r) =>
    `${r.ts} INFO  [agent] tool=execute_code exit=0 duration=${r.int(9000)}ms stdout_bytes=${r.int(90000)} Basic checks passed, Bearer scheme`,
  (r) =>
    `GET https://cdn.example.com/assets/${r.hex(20)}.js?v=${r.int(999)} -> 304 Not Modified (etag "${r.hex(32)}") secret-sharing=off`,
  (r) =>
    `${r.ts} ERROR [worker] job ${r.uuid} failed: ECONNRESET after ${r.int(30)} retries, next attempt in ${r.int(60)}s (queue depth ${r.int(99)})`,
];

/** Secrets in the contexts agents print them in (the generator, then the line around it). */
const PLANTED: ReadonlyArray<[(f: FakeSecrets) => string, (secret: string, r: LineParts) => string]> = [
  [(f) => f.openaiProject(), (s, r) => `${r.ts} DEBUG [env] OPENAI_API_KEY=${s} loaded from .env`],
  [
    (f) => f.githubClassic(),
    (s, r) => `${r.ts} INFO  [git] remote: https://x-access-token:${s}@github.com/acme/app.git`,
  ],
  [(f) => f.jwt(), (s, r) => `${r.ts} DEBUG [http] > Authorization: Bearer ${s}`],
  [(f) => f.awsKeyId(), (s, r) => `${r.ts} INFO  [aws] using credentials ${s} (profile default)`],
  [(f) => f.password(), (s, r) => `${r.ts} DEBUG [db] DATABASE_URL=postgres://app:${s}@db.internal:5432/app`],
  [(f) => f.stripe(), (s, r) => `${r.ts} INFO  [pay] stripe client ready with ${s}, mode live`],
  [(f) => f.slackBot(), (s, r) => `${r.ts} DEBUG [slack] posting with token ${s}!`],
  [(f) => f.anthropic(), (s, r) => `${r.ts} DEBUG [ai] anthropic key (${s}) selected`],
];

class LineParts {
  constructor(readonly random: () => number) {}
  int = (max: number) => Math.floor(this.random() * max);
  hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[this.int(16)]).join('');
  get uuid() {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-a${this.hex(3)}-${this.hex(12)}`;
  }
  get ts() {
    return `2026-11-24T${String(this.int(24)).padStart(2, '0')}:${String(this.int(60)).padStart(2, '0')}:${String(this.int(60)).padStart(2, '0')}.${String(this.int(1000)).padStart(3, '0')}Z`;
  }
  get method() {
    return ['GET', 'POST', 'PUT', 'DELETE'][this.int(4)];
  }
  get status() {
    return [200, 200, 200, 201, 204, 304, 400, 404, 500][this.int(9)];
  }
  get word() {
    return ['policy', 'budget', 'redaction', 'sandbox', 'queue', 'ledger', 'gateway', 'runner'][this.int(8)];
  }
}

export interface SyntheticLog {
  text: string;
  /** Every secret planted in `text`, in order. */
  secrets: string[];
  lines: number;
}

/**
 * A deterministic log of about `bytes` UTF-8 bytes (ASCII, so characters =
 * bytes), lines of 60–200 characters, with a secret on one line in
 * `secretEvery` (sparse, as in real output).
 */
export function syntheticLog(bytes: number, seed = 2026, secretEvery = 200): SyntheticLog {
  const random = seededRandom(seed);
  const parts = new LineParts(random);
  const fake = new FakeSecrets(seededRandom(seed + 1));
  const out: string[] = [];
  const secrets: string[] = [];
  let size = 0;
  while (size < bytes) {
    let line: string;
    if (parts.int(secretEvery) === 0) {
      const [secret, around] = PLANTED[parts.int(PLANTED.length)];
      const value = secret(fake);
      secrets.push(value);
      line = around(value, parts);
    } else {
      line = TEMPLATES[parts.int(TEMPLATES.length)](parts);
    }
    out.push(line);
    size += line.length + 1;
  }
  return { text: out.join('\n') + '\n', secrets, lines: out.length };
}
