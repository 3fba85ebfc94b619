/**
 * Per-class figures of PolicyGate on the labelled corpus: exact decisions, unsafe allows (a deny or
 * approval case allowed), softened denials (a deny case answered approval) and false blocks (an
 * allow case refused). Run: npm run corpus:policy
 */
import { Logger } from '@nestjs/common';
import { CORPUS_POLICY, createReadyPolicyGate, loadCorpus } from '../src/testing';

interface ClassScore {
  cases: number;
  exact: number;
  unsafeAllows: number;
  softened: number;
  falseBlocks: number;
}

async function main(): Promise<void> {
  Logger.overrideLogger(false);
  const gate = await createReadyPolicyGate(CORPUS_POLICY);
  const scores = new Map<string, ClassScore>();
  for (const entry of loadCorpus()) {
    const key = `${entry.action}/${entry.class}`;
    const score = scores.get(key) ?? { cases: 0, exact: 0, unsafeAllows: 0, softened: 0, falseBlocks: 0 };
    scores.set(key, score);
    const decision = gate.decide(entry.action, entry.context).decision;
    score.cases++;
    if (decision === entry.expect) score.exact++;
    if (entry.expect !== 'allow' && decision === 'allow') score.unsafeAllows++;
    if (entry.expect === 'deny' && decision === 'approval') score.softened++;
    if (entry.expect === 'allow' && decision !== 'allow') score.falseBlocks++;
  }
  console.log('| Class | Cases | Exact | Unsafe allows | Deny softened to approval | False blocks |');
  console.log('|---|---|---|---|---|---|');
  for (const [key, s] of [...scores].sort(([a], [b]) => a.localeCompare(b)))
    console.log(`| ${key} | ${s.cases} | ${s.exact} | ${s.unsafeAllows} | ${s.softened} | ${s.falseBlocks} |`);
}

void main();
