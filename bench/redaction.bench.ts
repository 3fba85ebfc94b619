/**
 * npm run bench:redaction — the Redactor on a ~5 MB synthetic log with sparse
 * secrets (MB/s, median of several runs after warm-up) and per 150-character
 * line (µs), then secretlint (@secretlint/core with the recommended preset,
 * in-process) on the same text in the same run, as a ratio; then recall and
 * false positives of both on the repo corpus; last, the worst cases: the 1 MB
 * adversarial inputs of patterns.adversarial.spec.ts, for the whole Redactor
 * and for each pattern alone. MB = 10^6 bytes of UTF-8.
 * BENCH_ITERATIONS (default 10) and BENCH_VERBOSE=1 (list misses) tune it.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_PATTERNS, Redactor } from '@app/redaction';
import { syntheticLog } from '@app/redaction/testing';
import { median, percentile } from './support/stats';
import {
  attackKeywords,
  patternAdversarialInputs,
  redactorAdversarialInputs,
} from '@app/redaction/testing/adversarial-inputs';

interface SecretlintMessage {
  range: readonly [number, number];
}
type LintSource = (input: {
  source: { content: string; filePath: string; contentType: 'text' };
  options: { config: unknown; noPhysicFilePath: boolean; maskSecrets: boolean };
}) => Promise<{ messages: SecretlintMessage[] }>;

interface CorpusEntry {
  kind: string;
  text: string;
  secrets: string[];
}

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 10);
const WARM_UP = 3;
const LOG_BYTES = 5_000_000;
const LINE_LENGTH = 150;
const LINES = 10_000;

const mbPerSecond = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

type Timing = { wall: number; cpu: number };

function measureSync(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Wall-clock and CPU time (all threads of the process, so GC helpers count too) of one call, in ms. */
async function measure(fn: () => unknown): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await fn();
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

/** Warms both up, then alternates them run by run (so load and heap state hit both alike); medians. */
async function throughputs(a: () => unknown, b: () => unknown): Promise<[Timing, Timing]> {
  for (let i = 0; i < WARM_UP; i++) {
    await a();
    await b();
  }
  const runs: [Timing[], Timing[]] = [[], []];
  for (let i = 0; i < ITERATIONS; i++) {
    runs[0].push(await measure(a));
    runs[1].push(await measure(b));
  }
  const summary = (xs: Timing[]) => ({ wall: median(xs.map((r) => r.wall)), cpu: median(xs.map((r) => r.cpu)) });
  return [summary(runs[0]), summary(runs[1])];
}

async function perLine(lines: readonly string[], fn: (line: string) => unknown): Promise<{ p50: number; p99: number }> {
  for (const line of lines.slice(0, 500)) await fn(line);
  const samples: number[] = [];
  for (const line of lines) {
    const start = process.hrtime.bigint();
    await fn(line);
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return { p50: median(samples), p99: percentile(samples, 99) };
}

async function loadSecretlint(): Promise<(text: string) => Promise<SecretlintMessage[]>> {
  // secretlint is ESM-only; a real dynamic import (not compiled to require) loads it from CommonJS.
  const importEsm = new Function('specifier', 'return import(specifier)') as (
    s: string,
  ) => Promise<Record<string, unknown>>;
  const { lintSource } = (await importEsm('@secretlint/core')) as { lintSource: LintSource };
  const { creator } = (await importEsm('@secretlint/secretlint-rule-preset-recommend')) as { creator: unknown };
  const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] };
  return async (text) => {
    const result = await lintSource({
      source: { content: text, filePath: '/bench/input.log', contentType: 'text' },
      options: { config, noPhysicFilePath: true, maskSecrets: false },
    });
    return result.messages;
  };
}

/** What a secretlint user would publish: every reported range blanked out. */
function blankRanges(text: string, messages: readonly SecretlintMessage[]): string {
  const chars = text.split('');
  for (const { range } of messages) for (let i = range[0]; i < range[1]; i++) chars[i] = '*';
  return chars.join('');
}

/** Lines of exactly LINE_LENGTH characters cut from the synthetic log (a sparse few carry a secret). */
function fixedLengthLines(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    lines.push(line.length >= LINE_LENGTH ? line.slice(0, LINE_LENGTH) : line.padEnd(LINE_LENGTH, ' .'));
    if (lines.length === LINES) break;
  }
  return lines;
}

interface Score {
  removed: number;
  cleanLines: number;
  falsePositives: string[];
  missed: string[];
}

async function score(
  corpus: readonly CorpusEntry[],
  redact: (text: string) => Promise<{ out: string; reported: boolean }>,
): Promise<Score> {
  const result: Score = { removed: 0, cleanLines: 0, falsePositives: [], missed: [] };
  for (const entry of corpus) {
    const { out, reported } = await redact(entry.text);
    if (entry.secrets.length === 0) {
      if (reported) result.falsePositives.push(entry.text);
      continue;
    }
    const left = entry.secrets.filter((secret) => out.includes(secret));
    result.removed += entry.secrets.length - left.length;
    if (left.length === 0) result.cleanLines++;
    else result.missed.push(`[${entry.kind}] ${entry.text}`);
  }
  return result;
}

const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;
const oneLine = (text: string) => text.replace(/\n/g, '\\n').slice(0, 110);

async function main(): Promise<void> {
  const redactor = new Redactor({ maxTextBytes: 64 * 1024 * 1024 });
  const secretlint = await loadSecretlint();
  const log = syntheticLog(LOG_BYTES);
  const bytes = Buffer.byteLength(log.text, 'utf8');

  const redacted = redactor.redact(log.text);
  const plantedLeft = log.secrets.filter((secret) => redacted.includes(secret)).length;
  const slMessages = await secretlint(log.text);
  const slBlanked = blankRanges(log.text, slMessages);
  const slPlantedLeft = log.secrets.filter((secret) => slBlanked.includes(secret)).length;

  const [ours, theirs] = await throughputs(
    () => redactor.redact(log.text),
    () => secretlint(log.text),
  );
  const lines = fixedLengthLines(log.text);
  const oursLine = await perLine(lines, (line) => redactor.redact(line));
  const theirsLine = await perLine(lines.slice(0, 2_000), (line) => secretlint(line));

  const corpus = readFileSync(join(__dirname, '../libs/redaction/corpus/redaction-corpus.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CorpusEntry);
  const positives = corpus.filter((e) => e.secrets.length > 0);
  const negatives = corpus.length - positives.length;
  const secrets = positives.reduce((n, e) => n + e.secrets.length, 0);
  const oursScore = await score(corpus, async (text) => {
    const { redacted: out, count } = redactor.redactWithFindings(text);
    return { out, reported: count > 0 };
  });
  const theirsScore = await score(corpus, async (text) => {
    const messages = await secretlint(text);
    return { out: blankRanges(text, messages), reported: messages.length > 0 };
  });

  const oursMBs = mbPerSecond(bytes, ours.wall);
  const theirsMBs = mbPerSecond(bytes, theirs.wall);
  console.log(
    `Redaction bench (Node ${process.version}, ${cpus().length} cores, one thread; median of ${ITERATIONS} alternating runs after ${WARM_UP} warm-up)`,
  );
  console.log(
    `synthetic log: ${(bytes / 1e6).toFixed(2)} MB, ${log.lines} lines, ${log.secrets.length} planted secrets`,
  );
  console.log(
    `  Redactor.redact   ${ours.wall.toFixed(1)} ms  ${oursMBs.toFixed(1)} MB/s  (CPU ${ours.cpu.toFixed(1)} ms, ${mbPerSecond(bytes, ours.cpu).toFixed(1)} MB per CPU-second)  planted secrets left: ${plantedLeft}`,
  );
  console.log(
    `  secretlint        ${theirs.wall.toFixed(1)} ms  ${theirsMBs.toFixed(1)} MB/s  (CPU ${theirs.cpu.toFixed(1)} ms, ${mbPerSecond(bytes, theirs.cpu).toFixed(1)} MB per CPU-second)  planted secrets left: ${slPlantedLeft}`,
  );
  console.log(
    `  ratio Redactor / secretlint: ×${(oursMBs / theirsMBs).toFixed(2)} (wall), ×${(theirs.cpu / ours.cpu).toFixed(2)} (CPU)`,
  );
  console.log(`${LINE_LENGTH}-character lines (${lines.length} for the Redactor, 2000 for secretlint):`);
  console.log(`  Redactor.redact   p50 ${oursLine.p50.toFixed(1)} µs  p99 ${oursLine.p99.toFixed(1)} µs`);
  console.log(
    `  secretlint        p50 ${theirsLine.p50.toFixed(1)} µs  p99 ${theirsLine.p99.toFixed(1)} µs  (ratio p50 ×${(theirsLine.p50 / oursLine.p50).toFixed(1)})`,
  );
  console.log(
    `corpus: ${corpus.length} lines, ${positives.length} positive with ${secrets} secrets, ${negatives} negative`,
  );
  for (const [name, s] of [
    ['Redactor', oursScore],
    ['secretlint', theirsScore],
  ] as const) {
    console.log(
      `  ${name.padEnd(10)} secrets removed ${s.removed}/${secrets} = ${pct(s.removed, secrets)}  positive lines clean ${s.cleanLines}/${positives.length} = ${pct(s.cleanLines, positives.length)}  negative lines hit ${s.falsePositives.length}/${negatives}`,
    );
    for (const text of s.falsePositives) console.log(`    false positive: ${oneLine(text)}`);
    if (process.env.BENCH_VERBOSE) for (const text of s.missed) console.log(`    missed: ${oneLine(text)}`);
  }
  const recall = oursScore.removed / secrets;
  console.log(
    `targets: ≥ 50 MB/s ${oursMBs >= 50 ? 'met' : 'MISSED'}; faster than secretlint ${oursMBs > theirsMBs ? 'met' : 'MISSED'}; ≥ 98% of secrets removed ${recall >= 0.98 ? 'met' : 'MISSED'}; per line < 100 µs ${oursLine.p50 < 100 ? 'met' : 'MISSED'} (p50)`,
  );
  const rssBeforeAdversarial = process.resourceUsage().maxRSS / 1024;
  const worstWhole = redactorAdversarialInputs().map(([label, input]) => {
    const large = new Redactor({ maxTextBytes: 4 * input.length });
    const times = [0, 1, 2].map(() => Number(measureSync(() => large.redact(input)).toFixed(1)));
    return { label, ms: median(times) };
  });
  // One run of every single-pattern input finds the slowest; those are then timed as a median of 3.
  // Inputs are rebuilt for the second timing rather than kept: 1,100 of 1 MB would dominate peak RSS.
  const perPattern: Array<{ label: string; ms: number; redactor: Redactor; rebuild: () => string }> = [];
  BUILTIN_PATTERNS.forEach((pattern, i) => {
    const redactor = new Redactor({ patterns: [pattern], maxTextBytes: 4 * 1024 * 1024 });
    for (const keyword of attackKeywords(pattern)) {
      patternAdversarialInputs(pattern, keyword).forEach(([label, input], n) => {
        const rebuild = () => patternAdversarialInputs(pattern, keyword)[n][1];
        perPattern.push({
          label: `${i}:${pattern.name} ${JSON.stringify(keyword)} ${label}`,
          ms: measureSync(() => redactor.redact(input)),
          redactor,
          rebuild,
        });
      });
    }
  });
  const slowest = perPattern
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5)
    .map(({ label, redactor, rebuild }) => {
      const input = rebuild();
      return { label, ms: median([0, 1, 2].map(() => measureSync(() => redactor.redact(input)))) };
    })
    .sort((a, b) => b.ms - a.ms);
  console.log('1 MB adversarial inputs (worst cases, median of 3 runs):');
  for (const { label, ms } of [...worstWhole].sort((a, b) => b.ms - a.ms))
    console.log(`  whole Redactor  ${ms.toFixed(1).padStart(7)} ms  ${label}`);
  console.log(`  each pattern alone: ${perPattern.length} inputs; the slowest:`);
  for (const { label, ms } of slowest) console.log(`    ${ms.toFixed(1).padStart(7)} ms  ${label}`);
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(
    `peak RSS ${rssBeforeAdversarial.toFixed(1)} MB before the adversarial part, ${rss.toFixed(1)} MB in all (1,100 inputs of 1 MB built in turn)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
