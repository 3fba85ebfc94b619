import type { Parser } from 'web-tree-sitter';
import type { CompiledPolicy } from '../compiled-policy';
import { ActionType } from '../policy.types';
import { parseAction, validateContext } from './context-validation';
import {
  evaluateBilling,
  evaluateDeleteFiles,
  evaluateDeploy,
  evaluateExecuteCode,
  evaluateNetwork,
} from './action-evaluators';
import type { Verdict } from './finding';
import { applyUserRules } from './user-rules/apply-user-rules';

export interface EngineVerdict extends Verdict {
  action: ActionType;
  /** Commands as bash would run them (after expansion), for the decision log. */
  canonical: string[];
}

/** Pure decision function: validated input in, verdict out. No I/O. */
export class PolicyEngine {
  constructor(
    private readonly compiled: CompiledPolicy,
    private readonly parser: Parser,
  ) {}

  evaluate(actionInput: unknown, contextInput: unknown): EngineVerdict {
    const action = parseAction(actionInput);
    const context = validateContext(action, contextInput);
    const evaluation = this.dispatch(action, context);
    const matches = this.compiled.userRules.match(action, {
      observed: evaluation.observed,
      roots: evaluation.roots ?? { workspace: '/workspace', home: '/root' },
      context,
    });
    const verdict = applyUserRules(evaluation.findings, evaluation.fallback, matches, this.compiled.disabled);
    return { ...verdict, action, canonical: evaluation.canonical };
  }

  private dispatch(action: ActionType, context: Record<string, unknown>) {
    const policy = this.compiled.resolved;
    switch (action) {
      case ActionType.EXECUTE_CODE:
        return evaluateExecuteCode(context, policy, this.parser);
      case ActionType.DEPLOY:
        return evaluateDeploy(context, policy, this.parser);
      case ActionType.CREATE_BILLING:
        return evaluateBilling(context, policy);
      case ActionType.DELETE_FILES:
        return evaluateDeleteFiles(context, policy, this.parser);
      case ActionType.NETWORK_ACCESS:
        return evaluateNetwork(context, policy);
    }
  }
}
