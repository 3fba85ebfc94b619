/**
 * PolicyGate options. snake_case on purpose: the same shape is the policy file
 * (`POLICY_FILE`, YAML or JSON) and the product's example
 * `new PolicyGate({ enable_code_execution: true })`. Every field is optional.
 */
export interface PolicyOptions {
  /** When false every execute_code request is denied. Default true. */
  enable_code_execution?: boolean;
  /**
   * Absolute workspace root used when a request carries no `workspace`.
   * Without it the root is inferred from `cwd` (`/home/<user>/<project>`, `/workspace/<x>`, ...).
   */
  workspace_root?: string;
  /** Home directory of the agent's user; default derived from the workspace (`/home/<user>`), else `/root`. */
  home_dir?: string;
  /** Branch names or `*` globs that may not be force-pushed, deleted or rewritten. Default main, master, release/*. */
  protected_branches?: string[];
  /** Environment names treated as production after case/whitespace folding. Default prod, production, prd, live. */
  production_environments?: string[];
  /** Directory names inside the workspace that are safe to delete (build output, caches). */
  regenerable_dirs?: string[];
  network?: NetworkPolicyOptions;
  billing?: BillingPolicyOptions;
  /** Longest command judged; longer ones go to approval. Default 65536. */
  max_command_length?: number;
  approvals?: ApprovalPolicyOptions;
  /** The team's own rules (docs/policy-as-data.md). */
  rules?: UserRuleSpec[];
  /** Built-in rule ids switched off; only switchable ones (docs/policy-rules.md) are accepted. */
  disable_rules?: string[];
}

/** One user rule as written in a policy file. */
export interface UserRuleSpec {
  id: string;
  action: 'execute_code' | 'delete_files' | 'network_access' | 'deploy' | 'create_billing';
  match: UserRuleMatch;
  decision: 'allow' | 'approval' | 'deny';
  reason: string;
  /** With `decision: allow`, also lifts the built-in approvals raised by what the rule matched. */
  relax?: boolean;
}

/** Which keys apply depends on the action (policy.schema.json says which). A string is a list of one. */
export interface UserRuleMatch {
  program?: string | string[];
  args?: string[];
  command?: string | string[];
  cwd?: string | string[];
  paths?: string | string[];
  hosts?: string | string[];
  methods?: string | string[];
  environments?: string | string[];
  services?: string | string[];
  amount_usd?: { min?: number; max?: number };
}

/**
 * How many distinct approvers an `approval` decision needs (default 1), by rule id or by action:
 * `{ rules: { 'deploy.production': 2 }, actions: { create_billing: 2 } }`. The largest that applies wins.
 */
export interface ApprovalPolicyOptions {
  rules?: Record<string, number>;
  actions?: Record<string, number>;
}

export interface NetworkPolicyOptions {
  /**
   * Exact host names, `*.example.com` wildcards (subdomains only), IP literals or CIDR ranges.
   * Replaces the default registry list unless `extend_default_allowlist` is true.
   */
  allowlist?: string[];
  /** Keep the default registry/source-host list and add `allowlist` to it. Default true. */
  extend_default_allowlist?: boolean;
  /** Loopback ports treated as local dev servers (allowed). */
  loopback_ports?: number[];
}

export interface BillingPolicyOptions {
  /** Default true: every billing action needs a human. */
  require_approval?: boolean;
  /** Amounts (USD) strictly below this are allowed without approval. Default 0 (none). */
  auto_allow_below_usd?: number;
  /** Amounts (USD) above this are denied outright. Default: no cap. */
  deny_above_usd?: number | null;
}

/** Options with every default applied; what the engine reads. */
export interface ResolvedPolicy {
  enable_code_execution: boolean;
  workspace_root: string | undefined;
  home_dir: string | undefined;
  protected_branches: string[];
  production_environments: string[];
  regenerable_dirs: string[];
  network: {
    allowlist: string[];
    loopback_ports: number[];
  };
  billing: {
    require_approval: boolean;
    auto_allow_below_usd: number;
    deny_above_usd: number | null;
  };
  max_command_length: number;
  approvals: { rules: Record<string, number>; actions: Record<string, number> };
}
