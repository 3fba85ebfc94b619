import type { Observations } from '../observations';
import { Meets, type CompiledUserRule, type MatchRoots } from './compiled-user-rule';

/** Findings [from, to) a match covers; `all` when the match concerns the whole action. */
export type MatchScope = { from: number; to: number } | 'all';

export interface RuleHit {
  rule: CompiledUserRule;
  scopes: MatchScope[];
  /** Met only possibly (arguments known at run time): asks for approval at most, never allows. */
  possible?: boolean;
}

/** What user rules are matched against: the engine's facts, the request's roots and context. */
export interface MatchInput {
  observed?: Observations;
  roots: MatchRoots;
  context: Record<string, unknown>;
}

/**
 * The user rules of one policy, by action. Rules naming literal programs are indexed by program,
 * so a file of a thousand prefix rules costs a map lookup per command, not a thousand globs.
 */
export class UserRuleSet {
  private readonly byAction = new Map<string, CompiledUserRule[]>();
  private readonly byProgram = new Map<string, CompiledUserRule[]>();
  /** execute_code rules not reachable through byProgram. */
  private readonly unindexed: CompiledUserRule[] = [];

  constructor(readonly rules: readonly CompiledUserRule[]) {
    for (const rule of rules) {
      this.byAction.set(rule.action, [...(this.byAction.get(rule.action) ?? []), rule]);
      if (rule.action !== 'execute_code') continue;
      if (rule.programs) for (const name of rule.programs) push(this.byProgram, name, rule);
      else this.unindexed.push(rule);
    }
  }

  get size(): number {
    return this.rules.length;
  }

  match(action: string, input: MatchInput): RuleHit[] {
    if (this.rules.length === 0) return [];
    switch (action) {
      case 'execute_code':
        return this.matchExecute(input);
      case 'delete_files':
        return this.matchFacts(action, (rule) =>
          Boolean(input.observed?.paths.some((fact) => rule.path?.(fact, input.roots))),
        );
      case 'network_access':
        return this.matchFacts(action, (rule) =>
          Boolean(input.observed?.hosts.some((fact) => rule.host?.(fact, input.roots))),
        );
      case 'deploy': {
        const environment = String(input.context.environment ?? '');
        const service = typeof input.context.service === 'string' ? input.context.service : undefined;
        return this.matchFacts(action, (rule) => Boolean(rule.deploy?.(environment, service)));
      }
      case 'create_billing': {
        const amount = typeof input.context.amount_usd === 'number' ? input.context.amount_usd : undefined;
        return this.matchFacts(action, (rule) => Boolean(rule.amount?.(amount)));
      }
      default:
        return [];
    }
  }

  private matchFacts(action: string, test: (rule: CompiledUserRule) => boolean) {
    return (this.byAction.get(action) ?? [])
      .filter((rule) => test(rule))
      .map((rule) => ({ rule, scopes: ['all'] as MatchScope[] }));
  }

  /**
   * A rule matches a command line when every part it names holds: the command keys on some command,
   * and when it also names paths or hosts, on a command that wrote, deleted or reached them (itself
   * or a wrapper around it: `sudo tee /etc/x` is tee's write, under sudo).
   */
  private matchExecute(input: MatchInput): RuleHit[] {
    const observed = input.observed;
    if (!observed) return [];
    const hits: RuleHit[] = [];
    const consider = (rule: CompiledUserRule) => {
      // A rule about paths or hosts cannot meet a line that touches none.
      if ((rule.path && observed.paths.length === 0) || (rule.host && observed.hosts.length === 0)) return;
      const hit = this.hitFor(rule, observed, input.roots);
      if (hit) hits.push(hit);
    };
    for (const rule of this.unindexed) consider(rule);
    // Indexed rules are reached through the programs the line runs; each is judged once.
    const seen = new Set<CompiledUserRule>();
    for (const fact of observed.commands) {
      for (const rule of this.byProgram.get(fact.program) ?? []) {
        if (seen.has(rule)) continue;
        seen.add(rule);
        consider(rule);
      }
    }
    return hits;
  }

  private hitFor(rule: CompiledUserRule, observed: Observations, roots: MatchRoots): RuleHit | undefined {
    /** The best a command or one of its wrappers meets the rule's command keys. */
    const chainMeets = (index: number): Meets => {
      if (!rule.command) return Meets.Yes;
      let best: Meets = Meets.No;
      for (let at = index; at >= 0 && best !== Meets.Yes; at = observed.commands[at].parent) {
        best = Math.max(best, rule.command(observed.commands[at], roots)) as Meets;
      }
      return best;
    };
    const scopeOf = (index: number): MatchScope =>
      index < 0 ? 'all' : { from: observed.commands[index].findingsFrom, to: observed.commands[index].findingsTo };
    const sure: MatchScope[] = [];
    const possible: MatchScope[] = [];
    const collect = (command: number, meets: Meets) => {
      if (meets === Meets.Yes) sure.push(scopeOf(command));
      else if (meets === Meets.Maybe) possible.push(scopeOf(command));
    };
    if (!rule.path && !rule.host) {
      observed.commands.forEach((fact, index) => collect(index, rule.command ? rule.command(fact, roots) : Meets.No));
    } else {
      let pathMet = !rule.path;
      let hostMet = !rule.host;
      for (const fact of rule.path ? observed.paths : []) {
        if (!rule.path!(fact, roots)) continue;
        const meets = chainMeets(fact.command);
        if (meets !== Meets.No) pathMet = true;
        collect(fact.command, meets);
      }
      for (const fact of rule.host ? observed.hosts : []) {
        if (!rule.host!(fact, roots)) continue;
        const meets = chainMeets(fact.command);
        if (meets !== Meets.No) hostMet = true;
        collect(fact.command, meets);
      }
      if (!pathMet || !hostMet) return undefined;
    }
    if (sure.length > 0) return { rule, scopes: sure };
    if (possible.length > 0 && rule.decision !== 'allow') return { rule, scopes: possible, possible: true };
    return undefined;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
