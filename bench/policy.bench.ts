/**
 * npm run bench:policy — in-process latency of PolicyGate over the golden corpus,
 * and the execute_code cases through cc-safety-net's analyzer in the same run:
 * speed ratio and unsafe allows (expected deny/approval but allowed) for both.
 */
import { Logger } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UserRuleSpec } from '@app/policy';
import { CORPUS_POLICY, createReadyPolicyGate, loadCorpus, type CorpusCase } from '@app/policy/testing';
import { percentile } from './support/stats';

type PeerCheck = (input: { command: string; cwd: string }) => { kind: 'allow' | 'deny' };

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return {
    n: samples.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean,
    max: sorted[sorted.length - 1],
  };
}

const fmt = (us: number) => `${us.toFixed(1)} µs`;

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1000;
}

async function loadPeer(): Promise<PeerCheck> {
  // cc-safety-net is ESM-only; a real dynamic import (not compiled to require) loads it from CommonJS.
  const importEsm = new Function('specifier', 'return import(specifier)') as (
    s: string,
  ) => Promise<{ checkCommand: PeerCheck }>;
  const mod = await importEsm('cc-safety-net/api');
  return mod.checkCommand;
}

async function main(): Promise<void> {
  Logger.overrideLogger(false);
  const corpus = loadCorpus();
  const gate = await createReadyPolicyGate(CORPUS_POLICY);
  const peer = await loadPeer();
  const exec = corpus.filter((c) => c.action === 'execute_code');
  // The peer refuses a cwd that does not exist; give it a real directory shaped like the corpus workspace.
  const peerCwd = join(tmpdir(), 'policy-bench-ws', 'home', 'dev', 'app');
  mkdirSync(peerCwd, { recursive: true });
  const peerCall = (c: CorpusCase) => peer({ command: c.context.command as string, cwd: peerCwd });

  for (let i = 0; i < 3; i++) for (const c of corpus) gate.decide(c.action, c.context);
  for (let i = 0; i < 3; i++) for (const c of exec) peerCall(c);

  const all: number[] = [];
  const byAction = new Map<string, number[]>();
  const oursExec: number[] = [];
  const peerExec: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of corpus) {
      const us = time(() => gate.decide(c.action, c.context));
      all.push(us);
      byAction.set(c.action, [...(byAction.get(c.action) ?? []), us]);
      if (c.action === 'execute_code') oursExec.push(us);
    }
    for (const c of exec) peerExec.push(time(() => peerCall(c)));
  }
  const asyncSamples: number[] = [];
  for (const c of corpus) {
    const start = process.hrtime.bigint();
    await gate.check(c.action, c.context);
    asyncSamples.push(Number(process.hrtime.bigint() - start) / 1000);
  }

  let oursUnsafe = 0;
  let peerUnsafe = 0;
  let oursOverBlock = 0;
  let peerOverBlock = 0;
  let oursMismatch = 0;
  let oursUnsafeDeny = 0;
  let peerUnsafeDeny = 0;
  const peerMissed: string[] = [];
  for (const c of corpus) if (gate.decide(c.action, c.context).decision !== c.expect) oursMismatch++;
  for (const c of exec) {
    const ours = gate.decide(c.action, c.context).decision;
    const theirs = peerCall(c).kind;
    if (c.expect !== 'allow' && ours === 'allow') oursUnsafe++;
    if (c.expect === 'deny' && ours === 'allow') oursUnsafeDeny++;
    if (c.expect === 'deny' && theirs === 'allow') peerUnsafeDeny++;
    if (c.expect !== 'allow' && theirs === 'allow') {
      peerUnsafe++;
      peerMissed.push(`[${c.class}] ${String(c.context.command).replace(/\n/g, '\\n').slice(0, 70)}`);
    }
    if (c.expect === 'allow' && ours !== 'allow') oursOverBlock++;
    if (c.expect === 'allow' && theirs !== 'allow') peerOverBlock++;
  }

  const total = stats(all);
  const ours = stats(oursExec);
  const theirs = stats(peerExec);
  const unsafeCases = exec.filter((c) => c.expect !== 'allow').length;
  const safeCases = exec.length - unsafeCases;
  console.log(`PolicyGate bench — ${corpus.length} corpus cases × ${ROUNDS} rounds (Node ${process.version})`);
  console.log(
    `all decisions     p50 ${fmt(total.p50)}  p99 ${fmt(total.p99)}  mean ${fmt(total.mean)}  max ${fmt(total.max)}  (n=${total.n})`,
  );
  for (const [action, samples] of byAction) {
    const s = stats(samples);
    console.log(`  ${action.padEnd(16)}p50 ${fmt(s.p50)}  p99 ${fmt(s.p99)}  mean ${fmt(s.mean)}`);
  }
  const a = stats(asyncSamples);
  console.log(`check() (async)   p50 ${fmt(a.p50)}  p99 ${fmt(a.p99)}`);
  console.log(`corpus agreement  ${corpus.length - oursMismatch}/${corpus.length}`);
  console.log('');
  console.log(
    `execute_code cases: ${exec.length} (${unsafeCases} expected deny/approval, ${safeCases} expected allow)`,
  );
  console.log(
    `  PolicyGate      p50 ${fmt(ours.p50)}  p99 ${fmt(ours.p99)}  mean ${fmt(ours.mean)}  unsafe allows ${oursUnsafe}/${unsafeCases}  blocked-but-safe ${oursOverBlock}/${safeCases}`,
  );
  console.log(
    `  cc-safety-net   p50 ${fmt(theirs.p50)}  p99 ${fmt(theirs.p99)}  mean ${fmt(theirs.mean)}  unsafe allows ${peerUnsafe}/${unsafeCases}  blocked-but-safe ${peerOverBlock}/${safeCases}`,
  );
  const denyCases = exec.filter((c) => c.expect === 'deny').length;
  console.log(
    `  of which expected deny: PolicyGate allowed ${oursUnsafeDeny}/${denyCases}, cc-safety-net allowed ${peerUnsafeDeny}/${denyCases}`,
  );
  console.log(
    `  speed ratio (cc-safety-net / PolicyGate): p50 ×${(theirs.p50 / ours.p50).toFixed(2)}  p99 ×${(theirs.p99 / ours.p99).toFixed(2)}  mean ×${(theirs.mean / ours.mean).toFixed(2)}`,
  );
  console.log(
    `  targets: p99 < 1000 µs ${total.p99 < 1000 ? 'met' : 'MISSED'}; p50 < 50 µs ${total.p50 < 50 ? 'met' : 'MISSED'}; fewer unsafe allows than peer ${oursUnsafe < peerUnsafe ? 'met' : 'MISSED'}`,
  );
  if (process.env.BENCH_VERBOSE) for (const line of peerMissed) console.log(`    peer allowed: ${line}`);
  console.log('');
  await cacheMisses(corpus);
  console.log('');
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MB`);
}

/**
 * A thousand user rules shaped like a platform team's file: mostly argv-prefix rules on named
 * programs (indexed by program), plus command-line globs, path rules and host rules (checked on
 * every command line).
 */
function thousandUserRules(): UserRuleSpec[] {
  const rules: UserRuleSpec[] = [];
  const tools = ['terraform', 'kubectl', 'helm', 'git', 'npm', 'docker', 'aws', 'gcloud', 'make', 'psql'];
  for (let i = 0; rules.length < 850; i++) {
    rules.push({
      id: `prefix-${i}`,
      action: 'execute_code',
      match: { program: i % 3 === 0 ? tools[i % tools.length] : `tool-${i}`, args: [`sub-${i}`, '--flag*'] },
      decision: i % 2 ? 'approval' : 'deny',
      reason: `rule ${i}`,
    });
  }
  for (let i = 0; i < 80; i++) {
    rules.push({
      id: `line-${i}`,
      action: 'execute_code',
      match: { command: `task-${i} run *` },
      decision: 'deny',
      reason: 'r',
    });
  }
  for (let i = 0; i < 40; i++) {
    rules.push({
      id: `path-${i}`,
      action: 'execute_code',
      match: { paths: `area-${i}/**` },
      decision: 'approval',
      reason: 'r',
    });
  }
  for (let i = 0; i < 30; i++) {
    rules.push({
      id: `host-${i}`,
      action: 'execute_code',
      match: { hosts: `*.blocked-${i}.example` },
      decision: 'deny',
      reason: 'r',
    });
  }
  return rules;
}

/** Every request distinct (an extra context key the rules ignore), so each one is judged afresh. */
async function cacheMisses(corpus: CorpusCase[]): Promise<void> {
  const plain = await createReadyPolicyGate(CORPUS_POLICY);
  const withRules = await createReadyPolicyGate({ ...CORPUS_POLICY, rules: thousandUserRules() });
  const rounds = Math.max(3, Math.floor(ROUNDS / 3));
  let seq = 0;
  const samples = { plain: [] as number[], rules: [] as number[] };
  for (let round = 0; round < rounds + 1; round++) {
    for (const c of corpus) {
      // Alternate which gate goes first so neither always runs on a warmer CPU cache.
      const order = seq % 2 ? (['plain', 'rules'] as const) : (['rules', 'plain'] as const);
      for (const which of order) {
        const gate = which === 'plain' ? plain : withRules;
        const context = { ...c.context, bench_seq: seq++ };
        const us = time(() => gate.decide(c.action, context));
        if (round > 0) samples[which].push(us); // round 0 warms up
      }
    }
  }
  const a = stats(samples.plain);
  const b = stats(samples.rules);
  console.log(`cache misses (every request distinct), ${corpus.length} cases × ${rounds} rounds`);
  console.log(`  built-in rules only     p50 ${fmt(a.p50)}  p99 ${fmt(a.p99)}  mean ${fmt(a.mean)}`);
  console.log(`  + 1,000 user rules      p50 ${fmt(b.p50)}  p99 ${fmt(b.p99)}  mean ${fmt(b.mean)}`);
  console.log(
    `  targets: p50 < 100 µs (built-ins) ${a.p50 < 100 ? 'met' : 'MISSED'}; p50 < 50 µs with 1,000 rules ${b.p50 < 50 ? 'met' : 'MISSED'}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
