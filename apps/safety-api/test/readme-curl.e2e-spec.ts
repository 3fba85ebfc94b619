import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestApp } from './support/create-test-app';

/**
 * The README's curl examples, run verbatim with the real curl against the app
 * on a real port. Every ```bash block that calls curl on localhost:8000 is run
 * as one bash script (so variables and `$(curl ... | jq ...)` work), with only
 * the host rewritten to the test port. Each curl must answer 2xx, or the status
 * written in a comment on the line right after the command:
 *
 *     curl -s -XPOST $B/spend -d '{"run_id":"xyz","amount":0.05}'
 *     # 404 {"code":"BUDGET_NOT_FOUND",...}
 *
 * A block may start the server with settings of its own, on a comment line
 * `# server: NAME=value ...` (paths relative to the repository root), e.g. the demo keys file.
 *
 * The examples of the documentation pages (docs/*.md) run too. Use ```text for output that is not a command.
 */
const ROOT = join(__dirname, '..', '..', '..');
const HOST = /(?:https?:\/\/)?localhost:8000/g;

export interface CurlBlock {
  source: string;
  line: number;
  script: string;
}

/** ```bash blocks that run curl against the documented local address. */
export function extractCurlBlocks(markdown: string, source: string): CurlBlock[] {
  const blocks: CurlBlock[] = [];
  const fence = /^```bash[^\n]*\n([\s\S]*?)^```/gm;
  for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) {
    const script = match[1];
    if (curlCommands(script).length === 0 || !/localhost:8000/.test(script)) continue;
    blocks.push({ source, line: markdown.slice(0, match.index).split('\n').length, script });
  }
  return blocks;
}

/** Each curl command of a script (continuation lines joined) with the status it must answer. */
export function curlCommands(script: string): { command: string; expected: number | '2xx' }[] {
  const lines = script.split('\n');
  const commands: { command: string; expected: number | '2xx' }[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (/^\s*#/.test(lines[index]) || !/(^|[\s$(|;&])curl\s/.test(lines[index])) continue;
    let command = lines[index];
    while (command.endsWith('\\') && index + 1 < lines.length)
      command = `${command.slice(0, -1)} ${lines[++index].trim()}`;
    const documented = /^\s*#\s*(\d{3})\b/.exec(lines[index + 1] ?? '');
    commands.push({ command: command.trim(), expected: documented ? Number(documented[1]) : '2xx' });
  }
  return commands;
}

/** curl, recording each answer's status in $CURL_STATUS_LOG; the body still goes to stdout, so pipes work. */
const PRELUDE = `set -eo pipefail
curl() {
  local body status
  body=$(mktemp)
  status=$(command curl "$@" -o "$body" -w '%{http_code}') || true
  cat "$body"
  rm -f "$body"
  printf '%s\\n' "$status" >> "$CURL_STATUS_LOG"
}
`;

/** `# server: NAME=value ...` settings of a block; values that name a file in the repository become absolute paths. */
export function serverSettings(script: string): Record<string, string> {
  const line = /^#\s*server:\s*(.+)$/m.exec(script)?.[1] ?? '';
  return Object.fromEntries(
    line
      .split(/\s+/)
      .filter((pair) => pair.includes('='))
      .map((pair) => {
        const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
        return [name, existsSync(join(ROOT, value)) ? join(ROOT, value) : value];
      }),
  );
}

function readmeBlocks(): CurlBlock[] {
  const readme = extractCurlBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'), 'README.md');
  // The documentation pages' examples are held to the same standard as the README's.
  const docsDir = join(ROOT, 'docs');
  const sections = (existsSync(docsDir) ? readdirSync(docsDir) : [])
    .filter((name) => name.endsWith('.md'))
    .sort()
    .flatMap((name) => extractCurlBlocks(readFileSync(join(docsDir, name), 'utf8'), `docs/${name}`));
  const seen = new Set(readme.map((block) => block.script));
  return [...readme, ...sections.filter((block) => !seen.has(block.script) && seen.add(block.script))];
}

async function runBlock(
  block: CurlBlock,
): Promise<{ statuses: string[]; stdout: string; stderr: string; exitCode: number }> {
  const app: NestFastifyApplication = await createTestApp(serverSettings(block.script));
  const dir = mkdtempSync(join(tmpdir(), 'readme-curl-'));
  try {
    await app.listen(0, '127.0.0.1');
    const origin = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const scriptFile = join(dir, 'example.sh');
    const statusLog = join(dir, 'statuses');
    writeFileSync(statusLog, '');
    writeFileSync(scriptFile, PRELUDE + block.script.replace(HOST, origin));
    const result = await promisify(execFile)('bash', [scriptFile], {
      cwd: dir,
      env: { ...process.env, CURL_STATUS_LOG: statusLog, API_URL: origin },
      timeout: 60_000,
    }).then(
      ({ stdout, stderr }) => ({ stdout, stderr, exitCode: 0 }),
      (error: { stdout?: string; stderr?: string; code?: number }) => ({
        stdout: error.stdout ?? '',
        stderr: error.stderr ?? '',
        exitCode: error.code ?? 1,
      }),
    );
    return { ...result, statuses: readFileSync(statusLog, 'utf8').split('\n').filter(Boolean) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await app.close();
  }
}

describe('README curl examples', () => {
  it('README.md has curl examples to run', () => {
    const blocks = extractCurlBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'), 'README.md');
    expect({
      blocks: blocks.length > 0,
      hint: 'the README tours each capability with a ```bash curl example',
    }).toEqual({
      blocks: true,
      hint: expect.any(String),
    });
  });

  it('reads continuation lines and documented statuses', () => {
    const script = [
      'B=http://localhost:8000/x',
      'curl -s -XPOST $B/a \\',
      "  -d '{}'",
      '# 404 {"code":"X"}',
      'R=$(curl -s $B/b | jq -r .id)',
      '# {"ok":true}',
    ].join('\n');
    expect(curlCommands(script)).toEqual([
      { command: "curl -s -XPOST $B/a  -d '{}'", expected: 404 },
      { command: 'R=$(curl -s $B/b | jq -r .id)', expected: '2xx' },
    ]);
    expect(extractCurlBlocks('text\n```bash\nnpm start\n```\n```bash\n' + script + '\n```\n', 'x.md')).toHaveLength(1);
    expect(
      serverSettings('# server: SAFETY_API_KEYS_FILE=docs/examples/keys.demo.yaml LOG_LEVEL=warn\ncurl x'),
    ).toEqual({
      SAFETY_API_KEYS_FILE: join(ROOT, 'docs/examples/keys.demo.yaml'),
      LOG_LEVEL: 'warn',
    });
  });

  const blocks = readmeBlocks();
  it.each(blocks.map((block) => [`${block.source}:${block.line}`, block] as const))(
    '%s runs verbatim with the documented statuses',
    async (_name, block) => {
      const run = await runBlock(block);
      const expected = curlCommands(block.script);
      const outcome = expected.map(({ command, expected: want }, index) => {
        const got = run.statuses[index];
        const ok = want === '2xx' ? /^2\d\d$/.test(got ?? '') : got === String(want);
        return { command, expected: String(want), got: got ?? 'not run', ok };
      });
      const report = {
        exitCode: run.exitCode,
        stderr: run.stderr.trim(),
        failed: outcome.filter((entry) => !entry.ok),
      };
      expect(report).toEqual({ exitCode: 0, stderr: '', failed: [] });
    },
    90_000,
  );
});
