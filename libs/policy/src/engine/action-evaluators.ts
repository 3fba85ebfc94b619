import type { Parser } from 'web-tree-sitter';
import type { ResolvedPolicy } from '../policy-options.types';
import { allow, approval, deny, type Finding } from './finding';
import { judgeNetworkTarget } from './network/network-target';
import { Observations } from './observations';
import type { MatchRoots } from './user-rules/compiled-user-rule';
import { judgeDelete, type PathContext } from './paths/workspace-paths';
import { foldName, isNonProductionName, isProductionName } from './shell/environment-names';
import { ShellSession } from './shell/shell-session';

export interface Evaluation {
  findings: Finding[];
  fallback: Finding;
  canonical: string[];
  /** What the action does as the engine resolved it, for user rules. */
  observed?: Observations;
  roots?: MatchRoots;
}

/** Workspace roots inferred from cwd when neither the request nor the policy names one. */
const WORKSPACE_PARENTS = [
  /^(\/home\/[^/]+\/[^/]+)/,
  /^(\/Users\/[^/]+\/[^/]+)/,
  /^(\/(?:workspace|workspaces|work|src|code|projects|app|srv|repo|repos)\/[^/]+)/,
  /^(\/(?:workspace|app|code|repo))$/,
];

export function pathContext(context: Record<string, unknown>, policy: ResolvedPolicy): PathContext {
  const cwdInput = typeof context.cwd === 'string' && context.cwd.startsWith('/') ? stripSlash(context.cwd) : undefined;
  const declared =
    typeof context.workspace === 'string' && context.workspace.startsWith('/')
      ? stripSlash(context.workspace)
      : undefined;
  const workspace = declared ?? policy.workspace_root ?? inferWorkspace(cwdInput) ?? '/workspace';
  const home = policy.home_dir ?? /^(\/home\/[^/]+|\/Users\/[^/]+)/.exec(workspace)?.[1] ?? '/root';
  const cwd =
    cwdInput ?? (typeof context.cwd === 'string' && context.cwd !== '' ? `${workspace}/${context.cwd}` : workspace);
  return { cwd, workspace, home, regenerable: new Set(policy.regenerable_dirs) };
}

function inferWorkspace(cwd: string | undefined): string | undefined {
  if (!cwd) return undefined;
  for (const pattern of WORKSPACE_PARENTS) {
    const match = pattern.exec(cwd);
    if (match) return match[1];
  }
  return cwd === '/' ? undefined : cwd;
}

function stripSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

function newSession(context: Record<string, unknown>, policy: ResolvedPolicy, parser: Parser): ShellSession {
  return new ShellSession(parser, {
    paths: pathContext(context, policy),
    protectedBranches: policy.protected_branches,
    productionNames: policy.production_environments,
    branch: typeof context.branch === 'string' ? context.branch : undefined,
    environment: typeof context.environment === 'string' ? context.environment : undefined,
    dbEnvironment: typeof context.db_environment === 'string' ? context.db_environment : undefined,
    isProduction: (name) => isProductionName(name, policy.production_environments),
    allowlist: policy.network.allowlist,
    loopbackPorts: policy.network.loopback_ports,
    files: stringMap(context.files),
  });
}

function stringMap(value: unknown): Record<string, string> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, string>) : undefined;
}

export function evaluateExecuteCode(
  context: Record<string, unknown>,
  policy: ResolvedPolicy,
  parser: Parser,
): Evaluation {
  const command = context.command as string;
  const fallback = allow(
    'exec.allowed',
    'No destructive, privileged, secret or network-sensitive effect found in the command.',
  );
  if (!policy.enable_code_execution) {
    return {
      findings: [
        deny('exec.disabled', 'Code execution is disabled by policy (enable_code_execution: false).', 'medium'),
      ],
      fallback,
      canonical: [],
    };
  }
  if (command.length > policy.max_command_length) {
    return {
      findings: [
        approval(
          'shell.too_complex',
          `The command is longer than ${policy.max_command_length} characters and is not judged automatically.`,
          'high',
        ),
      ],
      fallback,
      canonical: [],
    };
  }
  const session = newSession(context, policy, parser);
  const env = stringMap(context.env);
  if (env) session.applyEnvironment(env);
  session.analyse(command);
  return {
    findings: session.findings,
    fallback,
    canonical: session.canonical,
    observed: session.observed,
    roots: session.options.paths,
  };
}

export function evaluateDeploy(context: Record<string, unknown>, policy: ResolvedPolicy, parser: Parser): Evaluation {
  const names = policy.production_environments;
  const environment = String(context.environment);
  const folded = foldName(environment);
  const findings: Finding[] = [];
  const hints = (['target', 'service', 'command'] as const).filter(
    (field) => typeof context[field] === 'string' && mentionsProduction(context[field] as string, names),
  );
  let canonical: string[] = [];
  if (typeof context.command === 'string' && context.command.trim() !== '') {
    const session = newSession({ ...context, environment }, policy, parser);
    session.analyse(context.command);
    canonical = session.canonical;
    findings.push(...session.findings.filter((f) => f.outcome !== 'allow' && f.rule_id !== 'deploy.production'));
  }
  const dryRun = context.dry_run === true;
  if (folded === '') {
    findings.push(
      approval('deploy.unknown_environment', 'The deploy environment is empty after normalisation.', 'high'),
    );
  } else if (isProductionName(environment, names)) {
    findings.push(
      approval(
        'deploy.production',
        `Deploy to production environment "${folded}" needs approval${dryRun ? ' (dry_run is self-declared and does not lower this)' : ''}.`,
        dryRun ? 'medium' : 'high',
      ),
    );
  } else if (hints.length > 0) {
    findings.push(
      approval(
        'deploy.production_mismatch',
        `Environment is labelled "${folded}" but the ${hints.join(' and ')} point${hints.length === 1 ? 's' : ''} at production; treated as a production deploy.`,
        'high',
      ),
    );
  } else if (isNonProductionName(environment)) {
    findings.push(allow('deploy.non_production', `Deploy to non-production environment "${folded}".`));
  } else {
    findings.push(
      approval(
        'deploy.unknown_environment',
        `Environment "${folded}" is neither a known production nor a known non-production name.`,
      ),
    );
  }
  return { findings, fallback: allow('deploy.non_production', 'Non-production deploy.'), canonical };
}

function mentionsProduction(text: string, names: string[]): boolean {
  return text.split(/[\s=:/,@]+|(?<=^-+)|--?/).some((token) => token !== '' && isProductionName(token, names));
}

export function evaluateBilling(context: Record<string, unknown>, policy: ResolvedPolicy): Evaluation {
  const amount = context.amount_usd as number | undefined;
  const findings: Finding[] = [];
  const rules = policy.billing;
  const what = `${amount !== undefined ? `$${amount}` : 'an unspecified amount'}${context.plan ? ` (${String(context.plan)}${context.interval ? `/${String(context.interval)}` : ''})` : ''}${context.mode ? ` in ${String(context.mode)} mode` : ''}`;
  if (amount !== undefined && amount < 0) {
    findings.push(deny('billing.invalid_amount', `Billing amount ${amount} is negative.`, 'high'));
  } else if (amount !== undefined && rules.deny_above_usd !== null && amount > rules.deny_above_usd) {
    findings.push(
      deny('billing.over_limit', `Billing of ${what} exceeds the policy cap of $${rules.deny_above_usd}.`, 'high'),
    );
  } else if (!rules.require_approval) {
    findings.push(allow('billing.allowed', `Billing of ${what} is allowed by policy.`, 'medium'));
  } else if (amount !== undefined && amount < rules.auto_allow_below_usd) {
    findings.push(
      allow(
        'billing.below_threshold',
        `Billing of ${what} is below the auto-allow threshold of $${rules.auto_allow_below_usd}.`,
        'medium',
      ),
    );
  } else {
    findings.push(
      approval(
        'billing.requires_approval',
        `Creating a billing charge or subscription of ${what} needs human approval.`,
        amount !== undefined && amount >= 1000 ? 'high' : 'medium',
      ),
    );
  }
  return { findings, fallback: findings[0], canonical: [] };
}

export function evaluateDeleteFiles(
  context: Record<string, unknown>,
  policy: ResolvedPolicy,
  parser: Parser,
): Evaluation {
  const paths = [
    ...(typeof context.path === 'string' ? [context.path] : []),
    ...(Array.isArray(context.paths) ? (context.paths as string[]) : []),
  ].filter((p) => p.trim() !== '');
  const session = newSession(context, policy, parser);
  const findings: Finding[] = [];
  for (const raw of paths) {
    const expanded = session.expandText(
      /^[A-Za-z]:\\/.test(raw) ? raw.replace(/\\/g, '/') : raw.replace(/[\s]/g, (c) => `\\${c}`),
    );
    const value = expanded.map((e) => e.value).join(' ') || raw;
    const last = value.split('/').pop() ?? '';
    // Unspecified: a name with a file extension is a file, anything else may be a directory.
    const recursive =
      typeof context.recursive === 'boolean'
        ? context.recursive
        : !/\.[A-Za-z0-9]{1,8}$/.test(last) || (last.startsWith('.') && !last.slice(1).includes('.'));
    findings.push(
      judgeDelete(
        {
          raw: value,
          recursive,
          dynamic: expanded.some((e) => e.dynamic) || /\$|`/.test(raw),
          glob: expanded.some((e) => e.glob),
          via: recursive ? 'recursive delete' : 'delete',
        },
        session.paths,
      ),
    );
  }
  return {
    findings,
    fallback: allow('fs.delete_workspace_file', 'Delete inside the workspace.'),
    canonical: paths,
    observed: session.observed,
    roots: session.options.paths,
  };
}

export function evaluateNetwork(context: Record<string, unknown>, policy: ResolvedPolicy): Evaluation {
  const observed = new Observations();
  const findings = judgeNetworkTarget(
    {
      url: typeof context.url === 'string' && context.url.trim() !== '' ? context.url : undefined,
      domain: typeof context.domain === 'string' ? context.domain : undefined,
      port: typeof context.port === 'number' ? context.port : undefined,
      method: typeof context.method === 'string' ? context.method : undefined,
      resolved_ip: typeof context.resolved_ip === 'string' ? context.resolved_ip : undefined,
    },
    { ...policy.network, observe: (host, port, method) => observed.host(host, port, method) },
  );
  if (
    typeof context.port === 'number' &&
    (!Number.isInteger(context.port) || context.port < 1 || context.port > 65535)
  ) {
    findings.push(deny('net.invalid_target', `Port ${context.port} is not a valid TCP port.`, 'medium'));
  }
  return { findings, fallback: findings[0], canonical: [String(context.url ?? context.domain)], observed };
}
