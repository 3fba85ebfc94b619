import type { Parser } from 'web-tree-sitter';
import type { ResolvedPolicy } from '../policy-options.types';
import { ActionType } from '../policy.types';
import { parseAction, validateContext } from './context-validation';
import {
  evaluateBilling,
  evaluateDeleteFiles,
  evaluateDeploy,
  evaluateExecuteCode,
  evaluateNetwork,
} from './action-evaluators';
import { combineFindings, type Verdict } from './finding';

export interface EngineVerdict extends Verdict {
  action: ActionType;
  /** Commands as bash would run them (after expansion), for the decision log. */
  canonical: string[];
}

/** Pure decision function: validated input in, verdict out. No I/O. */
export class PolicyEngine {
  constructor(
    private readonly policy: ResolvedPolicy,
    private readonly parser: Parser,
  ) {}

  evaluate(actionInput: unknown, contextInput: unknown): EngineVerdict {
    const action = parseAction(actionInput);
    const context = validateContext(action, contextInput);
    const { findings, fallback, canonical } = this.dispatch(action, context);
    return { ...combineFindings(findings, fallback), action, canonical };
  }

  private dispatch(action: ActionType, context: Record<string, unknown>) {
    switch (action) {
      case ActionType.EXECUTE_CODE:
        return evaluateExecuteCode(context, this.policy, this.parser);
      case ActionType.DEPLOY:
        return evaluateDeploy(context, this.policy, this.parser);
      case ActionType.CREATE_BILLING:
        return evaluateBilling(context, this.policy);
      case ActionType.DELETE_FILES:
        return evaluateDeleteFiles(context, this.policy, this.parser);
      case ActionType.NETWORK_ACCESS:
        return evaluateNetwork(context, this.policy);
    }
  }
}
