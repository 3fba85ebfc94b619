import { createHash } from 'node:crypto';
import { compileUserRule, type CompiledUserRule } from './engine/user-rules/compiled-user-rule';
import { UserRuleSet } from './engine/user-rules/user-rule-set';
import { resolvePolicyOptions } from './policy-defaults';
import { PolicyError } from './policy.errors';
import type { PolicyLayer } from './policy-file/policy-file.loader';
import type { PolicyOptions, ResolvedPolicy } from './policy-options.types';

/** A policy ready to judge with: settings resolved, user rules compiled, identified by its version. */
export interface CompiledPolicy {
  /** Content hash of the layers' sources: changes exactly when what is judged by can change. */
  readonly version: string;
  readonly resolved: ResolvedPolicy;
  readonly userRules: UserRuleSet;
  readonly disabled: ReadonlySet<string>;
  /** The merged document (settings as written, all rules), for GET /policy. */
  readonly document: PolicyOptions;
  readonly sources: readonly { source: string; digest: string }[];
}

/** Objects whose keys a later layer sets one by one; every other setting is replaced whole. */
const MERGED_OBJECTS = ['network', 'billing', 'approvals'] as const;

/**
 * Overlays layers in order (global file, then the tenant's): a later layer's settings replace the
 * earlier ones (network, billing and approvals key by key), its `rules` and `disable_rules` add to
 * them. A rule id defined twice across layers is refused, naming the later file and line.
 */
export function compilePolicy(layers: readonly PolicyLayer[]): CompiledPolicy {
  const document: PolicyOptions = {};
  const rules: PolicyLayer['options']['rules'] = [];
  const disabled = new Set<string>();
  const ruleHome = new Map<string, string>();
  const compiled: CompiledUserRule[] = [];
  for (const layer of layers) {
    const { rules: layerRules = [], disable_rules: layerDisabled = [], ...settings } = layer.options;
    for (const [key, value] of Object.entries(settings) as [keyof PolicyOptions, unknown][]) {
      if ((MERGED_OBJECTS as readonly string[]).includes(key) && value && typeof value === 'object') {
        const merged = { ...(document[key] as object), ...(value as object) } as Record<string, unknown>;
        if (key === 'approvals') {
          const before = (document.approvals ?? {}) as Record<string, object | undefined>;
          for (const part of ['rules', 'actions']) {
            merged[part] = { ...before[part], ...((value as Record<string, object | undefined>)[part] ?? {}) };
          }
        }
        (document as Record<string, unknown>)[key] = merged;
      } else (document as Record<string, unknown>)[key] = value;
    }
    layerRules.forEach((rule, index) => {
      const line = layer.ruleLines[index];
      const earlier = ruleHome.get(rule.id);
      if (earlier !== undefined) {
        throw new PolicyError(
          'POLICY_FILE_INVALID',
          `Policy file ${layer.source}:${line === undefined ? '' : ` line ${line}:`} rule id "${rule.id}" is already defined in ${earlier}.`,
          { file: layer.source, key: `rules[${index}].id`, line },
        );
      }
      ruleHome.set(rule.id, layer.source);
      rules.push(rule);
      compiled.push(compileUserRule(rule, { file: layer.source, ...(line === undefined ? {} : { line }) }));
    });
    for (const id of layerDisabled) disabled.add(id);
  }
  if (rules.length > 0) document.rules = rules;
  if (disabled.size > 0) document.disable_rules = [...disabled];
  const sources = layers.map(({ source, digest }) => ({ source, digest }));
  return {
    version: createHash('sha256')
      .update(sources.map((s) => s.digest).join('\n'))
      .digest('hex')
      .slice(0, 16),
    resolved: resolvePolicyOptions(document),
    userRules: new UserRuleSet(compiled),
    disabled,
    document,
    sources,
  };
}
