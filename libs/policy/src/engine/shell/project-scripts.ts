/**
 * The commands behind `npm run x` and `make t`, read from the project's own
 * files (a `/check` context's `files`, or what a sandbox session was given):
 * package.json scripts with their `pre`/`post` hooks, and Makefile recipes
 * with their prerequisites. Undefined when the file or the entry is not known:
 * the caller then keeps its judgement of a script it cannot see.
 */

import type { ExpandedArg } from './word-expander';

/** Most Makefile targets followed through prerequisites for one `make` call. */
const MAX_MAKE_TARGETS = 32;

/** The scripts `npm run name` runs, in order (`prename`, `name`, `postname`); undefined when unknown. */
export function packageScripts(packageJson: string, name: string): string[] | undefined {
  let scripts: unknown;
  try {
    scripts = (JSON.parse(packageJson) as { scripts?: unknown }).scripts;
  } catch {
    return undefined;
  }
  if (typeof scripts !== 'object' || scripts === null) return undefined;
  const table = scripts as Record<string, unknown>;
  const body = table[name];
  if (typeof body !== 'string') return undefined;
  return [table[`pre${name}`], body, table[`post${name}`]].filter(
    (script): script is string => typeof script === 'string',
  );
}

interface MakeRule {
  prerequisites: string[];
  recipe: string[];
}

/**
 * The recipe lines `make targets…` runs (the first target when none is named), prerequisites first,
 * each target once; make's own variables are substituted where the Makefile assigns them, `$$` is `$`,
 * and an unknown `$(X)` becomes the shell's `$X` (unknown at run time too). Undefined when a named
 * target has no rule.
 */
export function makeRecipes(makefile: string, targets: readonly string[]): string[] | undefined {
  const { rules, order, variables } = parseMakefile(makefile);
  const wanted = targets.length > 0 ? targets : order.slice(0, 1);
  if (wanted.length === 0 || wanted.some((target) => !rules.has(target))) return undefined;
  const lines: string[] = [];
  const seen = new Set<string>();
  const visit = (target: string): void => {
    if (seen.has(target) || seen.size >= MAX_MAKE_TARGETS) return;
    seen.add(target);
    const rule = rules.get(target);
    if (!rule) return;
    for (const prerequisite of rule.prerequisites) visit(prerequisite);
    for (const line of rule.recipe) lines.push(expandMakeVariables(line.replace(/^[@+-]+/, ''), variables));
  };
  for (const target of wanted) visit(target);
  return lines;
}

function parseMakefile(makefile: string): {
  rules: Map<string, MakeRule>;
  order: string[];
  variables: Map<string, string>;
} {
  const rules = new Map<string, MakeRule>();
  const order: string[] = [];
  const variables = new Map<string, string>();
  let current: MakeRule[] = [];
  for (const raw of makefile.replace(/\\\n/g, ' ').split('\n')) {
    if (raw.startsWith('\t')) {
      for (const rule of current) rule.recipe.push(raw.slice(1));
      continue;
    }
    const line = raw.replace(/(^|\s)#.*$/, '').trimEnd();
    const assignment = /^([A-Za-z_][A-Za-z0-9_.-]*)\s*(?::{1,3}=|\?=|\+=|=)\s*(.*)$/.exec(line);
    if (assignment) {
      variables.set(assignment[1], assignment[2]);
      current = [];
      continue;
    }
    const rule = /^([^:=#\t][^:=#]*?)\s*::?\s*([^=]*)$/.exec(line);
    if (!rule) {
      if (line.trim() !== '') current = [];
      continue;
    }
    const prerequisites = rule[2].split(/\s+/).filter(Boolean);
    current = [];
    for (const target of rule[1].split(/\s+/).filter(Boolean)) {
      if (target.startsWith('.')) continue;
      const entry = rules.get(target) ?? { prerequisites: [], recipe: [] };
      entry.prerequisites.push(...prerequisites);
      rules.set(target, entry);
      if (!order.includes(target)) order.push(target);
      current.push(entry);
    }
  }
  return { rules, order, variables };
}

function expandMakeVariables(line: string, variables: ReadonlyMap<string, string>, depth = 0): string {
  return line.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)|\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g, (match, a, b) => {
    if (match === '$$') return '$';
    const name = (a ?? b) as string;
    const value = variables.get(name);
    return value === undefined || depth >= 4
      ? `$${name.replace(/[^A-Za-z0-9_]/g, '_')}`
      : expandMakeVariables(value, variables, depth + 1);
  });
}

/** What a call asks for: a package.json script, or Makefile targets. */
export type ProjectScriptCall = { kind: 'package'; name: string } | { kind: 'make'; targets: string[] };

const PACKAGE_RUNNERS = new Set(['npm', 'yarn', 'pnpm', 'bun']);
/** npm's own shortcuts for scripts (`npm t` is `npm test`). */
const NPM_SHORTCUTS: Record<string, string> = {
  test: 'test',
  t: 'test',
  tst: 'test',
  start: 'start',
  stop: 'stop',
  restart: 'restart',
};
/** yarn and pnpm run a script named as the first word, unless it is one of their commands. */
const RUNNER_COMMANDS = new Set(
  'install i add remove rm uninstall upgrade up update dlx exec create init publish link unlink info view why audit config cache global workspaces workspace set plugin import pack version login logout outdated list ls bin dedupe rebuild patch node store env setup self-update prune fetch deploy help x'.split(
    ' ',
  ),
);
/** make options that take a value (their value is not a target). */
const MAKE_VALUE_OPTIONS = new Set([
  '-f',
  '--file',
  '--makefile',
  '-C',
  '--directory',
  '-j',
  '--jobs',
  '-l',
  '--load-average',
  '-o',
  '--old-file',
  '-W',
  '--what-if',
  '-I',
  '--include-dir',
]);

export function projectScriptCall(name: string, args: readonly ExpandedArg[]): ProjectScriptCall | undefined {
  if (name === 'make' || name === 'gmake') {
    const targets: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const value = args[i].value;
      if (MAKE_VALUE_OPTIONS.has(value)) i++;
      else if (!value.startsWith('-') && !value.includes('=')) {
        if (args[i].dynamic) return undefined;
        targets.push(value);
      }
    }
    return { kind: 'make', targets };
  }
  if (!PACKAGE_RUNNERS.has(name)) return undefined;
  const words = args.filter((arg) => !arg.value.startsWith('-'));
  if (words.some((word, i) => i < 2 && word.dynamic)) return undefined;
  const [first, second] = words.map((word) => word.value);
  if (first === undefined) return undefined;
  if (first === 'run' || first === 'run-script' || first === 'rum' || first === 'urn')
    return second === undefined ? undefined : { kind: 'package', name: second };
  if (name === 'npm') return NPM_SHORTCUTS[first] ? { kind: 'package', name: NPM_SHORTCUTS[first] } : undefined;
  if (name === 'bun' || RUNNER_COMMANDS.has(first)) return undefined;
  return { kind: 'package', name: first };
}
