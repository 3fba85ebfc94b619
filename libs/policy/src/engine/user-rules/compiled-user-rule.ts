import picomatch from 'picomatch';
import type { UserRuleSpec } from '../../policy-options.types';
import type { DecisionOutcome } from '../../policy.types';
import { isAllowlisted } from '../network/network-target';
import { normaliseIp } from '../network/ip-address';
import type { CommandFact, HostFact, PathFact } from '../observations';
import { isInside, normalisePath } from '../paths/workspace-paths';
import { foldName } from '../shell/environment-names';

/** Where a user rule was written, for `matched_rules`. */
export interface UserRuleSource {
  file: string;
  line?: number;
}

/** The directories relative globs start from, for the request being judged. */
export interface MatchRoots {
  workspace: string;
  home: string;
}

type Test<T> = (fact: T, roots: MatchRoots) => boolean;

/**
 * How a command meets a rule: not at all, certainly, or possibly, when arguments the rule names
 * are known only at run time (`xargs terraform`, `terraform $1`). A possible match of a deny or
 * approval rule asks for approval; it never allows.
 */
export const Meets = { No: 0, Maybe: 1, Yes: 2 } as const;
export type Meets = (typeof Meets)[keyof typeof Meets];

/** A user rule with its globs compiled once, when the policy is loaded. */
export interface CompiledUserRule {
  id: string;
  action: UserRuleSpec['action'];
  decision: DecisionOutcome;
  reason: string;
  relax: boolean;
  source: UserRuleSource;
  /** Literal program names, for the index by program (undefined: any program or a glob). */
  programs?: string[];
  command?: (fact: CommandFact, roots: MatchRoots) => Meets;
  path?: Test<PathFact>;
  host?: Test<HostFact>;
  deploy?: (environment: string, service: string | undefined) => boolean;
  amount?: (amount: number | undefined) => boolean;
}

const GLOB_CHARS = /[*?[\]{}()!+@]/;
const list = (value: string | string[] | undefined): string[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

/** Words (program names, arguments, command lines): "*" matches anything, spaces and "/" included. */
function wordMatcher(patterns: string[], nocase = false): (text: string) => boolean {
  return picomatch(patterns, { bash: true, dot: true, nocase });
}

/**
 * Paths: absolute globs as written, `~/` from home, others from the workspace root; a glob without
 * "/" matches the file name anywhere (like .gitignore), so `*.pem` means every .pem file.
 */
function pathMatcher(patterns: string[]): (path: string, roots: MatchRoots) => boolean {
  const compile = (selected: string[]) => (selected.length > 0 ? picomatch(selected, { dot: true }) : undefined);
  const byName = compile(patterns.filter((p) => !p.includes('/')));
  const absolute = compile(patterns.filter((p) => p.startsWith('/')));
  const fromHome = compile(patterns.filter((p) => p.startsWith('~/')).map((p) => p.slice(2)));
  const fromWorkspace = compile(
    patterns
      .filter((p) => p.includes('/') && !p.startsWith('/') && !p.startsWith('~/'))
      .map((p) => p.replace(/^\.\//, '')),
  );
  const test = (path: string, roots: MatchRoots) =>
    Boolean(
      byName?.(path.replace(/\/$/, '').split('/').pop() ?? '') ||
      absolute?.(path) ||
      (fromHome && isUnder(path, roots.home) && fromHome(path.slice(roots.home.length + 1))) ||
      (fromWorkspace && isUnder(path, roots.workspace) && fromWorkspace(path.slice(roots.workspace.length + 1))),
    );
  // A directory is also "dir/": `build/**` covers deleting build itself, `app/**` running in app.
  return (path, roots) => test(path, roots) || test(`${path}/`, roots);
}

/** Strictly inside `dir`: the directory itself has no relative path to match. */
function isUnder(path: string, dir: string): boolean {
  return path !== dir && isInside(path, dir);
}

export function compileUserRule(spec: UserRuleSpec, source: UserRuleSource): CompiledUserRule {
  const match = spec.match;
  const rule: CompiledUserRule = {
    id: spec.id,
    action: spec.action,
    decision: spec.decision,
    reason: spec.reason,
    relax: spec.relax === true,
    source,
  };
  const programs = list(match.program);
  const args = match.args?.map((pattern) => wordMatcher([pattern]));
  const commandLine = list(match.command);
  const cwd = list(match.cwd);
  if (programs || args || commandLine || cwd) {
    const byName = programs?.filter((p) => !p.includes('/'));
    const byPath = programs?.filter((p) => p.includes('/'));
    if (byName && byPath?.length === 0 && !byName.some((p) => GLOB_CHARS.test(p))) rule.programs = byName;
    // A command-line glob starts with the program name: when that word is literal, index by it too.
    const firstWords = commandLine?.map((pattern) => pattern.split(' ')[0]);
    if (!programs && firstWords && !firstWords.some((w) => w === '' || GLOB_CHARS.test(w))) {
      rule.programs = firstWords;
    }
    const nameTest = byName && byName.length > 0 ? wordMatcher(byName) : undefined;
    const pathTest = byPath && byPath.length > 0 ? pathMatcher(byPath) : undefined;
    const lineTest = commandLine ? wordMatcher(commandLine) : undefined;
    const cwdTest = cwd ? pathMatcher(cwd) : undefined;
    const linePrefixes = commandLine?.map((pattern) => pattern.split(/[*?[{]/)[0]);
    rule.command = (fact, roots) => {
      if (programs && !nameTest?.(fact.program) && !pathTest?.(absoluteProgramPath(fact, roots), roots))
        return Meets.No;
      if (cwdTest && !cwdTest(fact.cwd, roots)) return Meets.No;
      let meets: Meets = Meets.Yes;
      if (args) {
        for (let i = 0; i < args.length && meets !== Meets.No; i++) {
          if (i >= fact.args.length) meets = fact.openArgs ? Meets.Maybe : Meets.No;
          else if (fact.dynamicArgs[i]) meets = Meets.Maybe;
          else if (!args[i](fact.args[i])) meets = Meets.No;
        }
      }
      if (lineTest && meets !== Meets.No) {
        const line = (fact.line ??= [fact.program, ...fact.args].join(' '));
        if (!lineTest(line)) {
          const unknown = fact.openArgs || fact.dynamicArgs.some(Boolean);
          meets =
            unknown && linePrefixes!.some((prefix) => prefix.startsWith(line) || line.startsWith(prefix))
              ? Meets.Maybe
              : Meets.No;
        }
      }
      return meets;
    };
  }
  const paths = list(match.paths);
  if (paths) {
    const test = pathMatcher(paths);
    rule.path = (fact, roots) => test(fact.path, roots);
  }
  const hosts = list(match.hosts)?.map((h) => h.trim().toLowerCase().replace(/\.$/, ''));
  const methods = list(match.methods)?.map((m) => m.trim().toUpperCase());
  if (hosts || methods) {
    rule.host = (fact) =>
      (!hosts || isAllowlisted(fact.host, normaliseIp(fact.host)?.canonical, hosts)) &&
      (!methods || methods.includes(fact.method));
  }
  const environments = list(match.environments);
  const services = list(match.services);
  if (environments || services) {
    const environmentTest = environments ? wordMatcher(environments.map(foldName), true) : undefined;
    const serviceTest = services ? wordMatcher(services) : undefined;
    rule.deploy = (environment, service) =>
      (!environmentTest || environmentTest(foldName(environment))) &&
      (!serviceTest || (service !== undefined && serviceTest(service)));
  }
  const range = match.amount_usd;
  if (range) {
    rule.amount = (amount) =>
      amount !== undefined &&
      (range.min === undefined || amount >= range.min) &&
      (range.max === undefined || amount <= range.max);
  }
  return rule;
}

/** argv[0] as a path: `./bin/x` from the command's directory; a bare name has no path of its own. */
function absoluteProgramPath(fact: CommandFact, roots: MatchRoots): string {
  return fact.path.includes('/') ? normalisePath(fact.path, { cwd: fact.cwd, home: roots.home }) : fact.path;
}
