import type { PolicyOptions, ResolvedPolicy } from './policy-options.types';

export const DEFAULT_PROTECTED_BRANCHES = ['main', 'master', 'release/*'];
export const DEFAULT_PRODUCTION_ENVIRONMENTS = ['prod', 'production', 'prd', 'live'];

/** Package registries and source hosts an agent legitimately needs (exact hosts). */
export const DEFAULT_NETWORK_ALLOWLIST = [
  'registry.npmjs.org',
  'registry.yarnpkg.com',
  'pypi.org',
  'files.pythonhosted.org',
  'github.com',
  'api.github.com',
  'codeload.github.com',
  'objects.githubusercontent.com',
  'raw.githubusercontent.com',
  'proxy.golang.org',
  'sum.golang.org',
  'crates.io',
  'static.crates.io',
  'index.crates.io',
  'rubygems.org',
  'repo.maven.apache.org',
  'repo1.maven.org',
  'registry-1.docker.io',
];

/**
 * Documentation sites agents read while they work (GET is allowed; anything else to them still needs
 * approval). Part of the default allowlist, so `extend_default_allowlist: false` drops them too.
 */
export const DEFAULT_DOCUMENTATION_HOSTS = [
  'developer.mozilla.org',
  'docs.python.org',
  'peps.python.org',
  'nodejs.org',
  'docs.npmjs.com',
  'www.typescriptlang.org',
  'go.dev',
  'pkg.go.dev',
  'doc.rust-lang.org',
  'docs.rs',
  'docs.github.com',
  'docs.docker.com',
  'kubernetes.io',
  'learn.microsoft.com',
  'docs.aws.amazon.com',
  'react.dev',
  'nextjs.org',
  'docs.nestjs.com',
  'expressjs.com',
  'docs.djangoproject.com',
  'flask.palletsprojects.com',
  'fastapi.tiangolo.com',
  'www.postgresql.org',
  'redis.io',
  'man7.org',
];

/** Common local dev-server ports; control ports (docker 2375/2376, kubelet, etcd, databases) are not here. */
export const DEFAULT_LOOPBACK_PORTS = [
  3000, 3001, 4000, 4200, 4321, 5000, 5173, 5174, 8000, 8008, 8080, 8081, 8888, 9000,
];

export const DEFAULT_REGENERABLE_DIRS = [
  'node_modules',
  'dist',
  'build',
  'out',
  'coverage',
  '.cache',
  '.next',
  '.nuxt',
  '.turbo',
  '.parcel-cache',
  '.svelte-kit',
  '.pytest_cache',
  '.mypy_cache',
  '.ruff_cache',
  '__pycache__',
  '.tox',
  '.nyc_output',
  'target',
  'tmp',
  '.gradle',
];

export function resolvePolicyOptions(options: PolicyOptions = {}): ResolvedPolicy {
  const network = options.network ?? {};
  const extend = network.extend_default_allowlist ?? true;
  const allowlist = network.allowlist
    ? extend
      ? [...DEFAULT_NETWORK_ALLOWLIST, ...DEFAULT_DOCUMENTATION_HOSTS, ...network.allowlist]
      : [...network.allowlist]
    : [...DEFAULT_NETWORK_ALLOWLIST, ...DEFAULT_DOCUMENTATION_HOSTS];
  return {
    enable_code_execution: options.enable_code_execution ?? true,
    workspace_root: options.workspace_root ? stripTrailingSlash(options.workspace_root) : undefined,
    home_dir: options.home_dir ? stripTrailingSlash(options.home_dir) : undefined,
    protected_branches: options.protected_branches ?? [...DEFAULT_PROTECTED_BRANCHES],
    production_environments: (options.production_environments ?? DEFAULT_PRODUCTION_ENVIRONMENTS).map((name) =>
      name.trim().toLowerCase(),
    ),
    regenerable_dirs: options.regenerable_dirs ?? [...DEFAULT_REGENERABLE_DIRS],
    network: {
      allowlist: allowlist.map((host) => host.trim().toLowerCase().replace(/\.$/, '')),
      loopback_ports: network.loopback_ports ?? [...DEFAULT_LOOPBACK_PORTS],
    },
    billing: {
      require_approval: options.billing?.require_approval ?? true,
      auto_allow_below_usd: options.billing?.auto_allow_below_usd ?? 0,
      deny_above_usd: options.billing?.deny_above_usd ?? null,
    },
    max_command_length: options.max_command_length ?? 65536,
    approvals: { rules: { ...options.approvals?.rules }, actions: { ...options.approvals?.actions } },
  };
}

function stripTrailingSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
