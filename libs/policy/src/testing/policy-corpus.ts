import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type { DecisionOutcome } from '../policy.types';

export interface CorpusCase {
  file: string;
  index: number;
  action: string;
  class: string;
  expect: DecisionOutcome;
  context: Record<string, unknown>;
  label: string;
}

export const CORPUS_DIR = join(__dirname, '..', '..', 'test-corpus');
/** The policy every corpus case is judged under (research assumption: workspace /home/dev/app). */
export const CORPUS_POLICY = { workspace_root: '/home/dev/app' };
const DEFAULT_CWD = '/home/dev/app';

interface RawCase {
  class: string;
  expect: DecisionOutcome;
  command?: string;
  context?: Record<string, unknown>;
}

/** Loads every `*.yaml` corpus file into flat cases (execute_code `command` folded into context). */
export function loadCorpus(dir = CORPUS_DIR): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()) {
    const doc = load(readFileSync(join(dir, file), 'utf8')) as { action: string; cases: RawCase[] };
    doc.cases.forEach((raw, index) => {
      const context =
        raw.command !== undefined
          ? { cwd: DEFAULT_CWD, ...(raw.context ?? {}), command: raw.command }
          : { ...(raw.context ?? {}) };
      const shown = raw.command ?? JSON.stringify(raw.context);
      cases.push({
        file,
        index,
        action: doc.action,
        class: raw.class,
        expect: raw.expect,
        context,
        label: `${file}#${index} [${raw.class}] ${shown}`,
      });
    });
  }
  return cases;
}
