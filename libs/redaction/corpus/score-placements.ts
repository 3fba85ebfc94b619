/**
 * Per-class recall and false positives of the Redactor on the placement corpus.
 * Run: npm run corpus:placements [-- --failures]
 */
import { Redactor } from '../src/redactor';
import { leakedFragment } from '../src/testing/secret-formats';
import { placementCases, type PlacementClass } from './placements';

export interface ClassScore {
  secrets: number;
  removed: number;
  negatives: number;
  changed: number;
}

export function scorePlacements(redactor = new Redactor()): {
  scores: Map<PlacementClass, ClassScore>;
  failures: string[];
} {
  const scores = new Map<PlacementClass, ClassScore>();
  const failures: string[] = [];
  for (const entry of placementCases()) {
    const score = scores.get(entry.class) ?? { secrets: 0, removed: 0, negatives: 0, changed: 0 };
    scores.set(entry.class, score);
    const out = redactor.redact(entry.text);
    if (entry.secrets.length === 0) {
      score.negatives++;
      if (out !== entry.text) {
        score.changed++;
        failures.push(`changed  ${JSON.stringify(entry.text)} -> ${JSON.stringify(out)}`);
      }
      continue;
    }
    for (const secret of entry.secrets) {
      score.secrets++;
      // A partial removal is a leak: no 8-character run of the secret may remain.
      if (leakedFragment(out, secret) === undefined) score.removed++;
      else failures.push(`leaked   [${entry.class}] ${JSON.stringify(out)}`);
    }
  }
  return { scores, failures };
}

if (require.main === module) {
  const { scores, failures } = scorePlacements();
  console.log('| Class | Secrets removed | Negative lines changed |');
  console.log('|---|---|---|');
  for (const [cls, s] of scores) {
    const recall = s.secrets ? `${s.removed}/${s.secrets} (${((100 * s.removed) / s.secrets).toFixed(1)} %)` : '–';
    console.log(`| ${cls} | ${recall} | ${s.negatives ? `${s.changed}/${s.negatives}` : '–'} |`);
  }
  if (process.argv.includes('--failures')) for (const line of failures) console.log(line);
}
