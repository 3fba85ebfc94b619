import { approval, deny } from '../finding';
import { isAllowlisted, parseTarget } from '../network/network-target';
import { normaliseIp } from '../network/ip-address';
import { hasFlag, optionValue, optionValues, positionals } from '../shell/arg-utils';
import type { CommandCall, ShellSession } from '../shell/shell-session';
import type { CommandEffects } from './rule.types';

/**
 * Where packages come from. An install from a registry, index or repository off the allowlist
 * needs approval; one that is an IP address, carries credentials, or imitates an allowlisted host
 * (`pypi.org.evil.com`, `registry-npmjs.org`) is denied. Global installs change the machine, not
 * the project: approval.
 */

/** Environment variables that choose a package source (or turn its checks off) for the commands after them. */
const SOURCE_VARIABLES =
  /^(?:npm_config_(?:@[\w-]+:)?registry|yarn_(?:npm_)?registry(?:_server)?|pip_(?:extra_)?index_url|pip_find_links|pip_trusted_host|uv_(?:extra_)?index_url|uv_default_index|uv_index|goproxy|gonosumdb|gonosumcheck|goinsecure|gonoproxy|gosumdb|goflags|cargo_registries_\w+_index|bundle_mirror__\w+|gem_source|poetry_repositories_\w+_url)$/i;

/** Package managers' config files: writing one redirects every later install. */
const SOURCE_CONFIG_FILES =
  /(?:^|\/)(?:\.npmrc|\.yarnrc(?:\.yml)?|\.pnpmrc|bunfig\.toml|pip\.conf|pip\.ini|\.pypirc|\.condarc|\.gemrc|\.cargo\/config(?:\.toml)?|go\.env)$/;

export function isPackageSourceConfig(path: string): boolean {
  return SOURCE_CONFIG_FILES.test(path);
}

/** Judges one package-source URL (or host) named by `via`. */
export function judgePackageSource(session: ShellSession, raw: string, via: string): void {
  const value = raw.trim().replace(/^git\+/i, '');
  if (value === '' || /^(?:off|none)$/i.test(value)) return;
  if (/^direct$/i.test(value)) {
    session.add(
      approval('pkg.source_not_allowlisted', `${via} fetches modules directly from their origins, past the proxy.`),
    );
    return;
  }
  const target = parseTarget({ url: /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}` });
  if ('error' in target) {
    session.add(
      approval('pkg.source_not_allowlisted', `${via} names a package source that cannot be read: ${target.error}.`),
    );
    return;
  }
  const { host, userinfo } = target;
  const allowlist = session.options.allowlist;
  const ip = normaliseIp(host);
  if (userinfo) {
    session.add(deny('pkg.source_suspicious', `${via} sends credentials to package source ${host}.`, 'high'));
  } else if (isAllowlisted(host, ip?.canonical, allowlist)) {
    return;
  } else if (ip && ip.cls !== 'loopback') {
    session.add(
      deny('pkg.source_suspicious', `${via} installs from the IP address ${host}, not a known registry.`, 'high'),
    );
  } else if (imitates(host, allowlist)) {
    session.add(
      deny('pkg.source_suspicious', `${via} installs from ${host}, a lookalike of an allowlisted registry.`, 'high'),
    );
  } else {
    session.add(approval('pkg.source_not_allowlisted', `${via} installs from ${host}, which is not on the allowlist.`));
  }
}

/** Judges a `NAME=value` that selects a package source or disables its checks. */
export function judgeSourceVariable(session: ShellSession, name: string, value: string): void {
  if (!SOURCE_VARIABLES.test(name)) return;
  const upper = name.toUpperCase();
  if (upper === 'GOFLAGS') {
    if (/-insecure\b/.test(value))
      session.add(approval('pkg.source_not_allowlisted', 'GOFLAGS=-insecure fetches modules without TLS checks.'));
    return;
  }
  if (
    ['GONOSUMDB', 'GONOSUMCHECK', 'GOINSECURE', 'GONOPROXY'].includes(upper) ||
    (upper === 'GOSUMDB' && /^off$/i.test(value))
  ) {
    if (value !== '')
      session.add(
        approval('pkg.source_not_allowlisted', `${name}=${value} turns module checks off for those modules.`),
      );
    return;
  }
  if (upper === 'PIP_TRUSTED_HOST') {
    session.add(approval('pkg.source_not_allowlisted', `${name} disables TLS verification for ${value}.`));
    return;
  }
  for (const part of value.split(/[,|\s]+/)) judgePackageSource(session, part, name);
}

/** Allowlisted exact hosts `host` imitates: one inside it, or one edit or two away. */
function imitates(host: string, allowlist: readonly string[]): boolean {
  return allowlist.some((entry) => {
    if (entry.startsWith('*.') || /^[\d.:/]+$/.test(entry) || entry.length < 6) return false;
    if (host.includes(entry)) return true;
    return Math.abs(host.length - entry.length) <= 2 && editDistance(host, entry) <= 2;
  });
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

const INSTALL_VERBS = new Set(['install', 'i', 'add', 'update', 'up', 'upgrade', 'link', 'ln', 'isntall', 'in', 'ci']);

/** Subcommands of yarn, pnpm and bun; any other first word runs a package binary of that name (`yarn prisma …`). */
const MANAGER_COMMANDS = new Set([
  'add',
  'audit',
  'bin',
  'build',
  'cache',
  'ci',
  'config',
  'create',
  'dedupe',
  'dlx',
  'exec',
  'explain',
  'global',
  'help',
  'i',
  'import',
  'info',
  'init',
  'install',
  'link',
  'list',
  'ls',
  'outdated',
  'pack',
  'patch',
  'prune',
  'publish',
  'rebuild',
  'remove',
  'rm',
  'run',
  'set',
  'start',
  'test',
  'unlink',
  'up',
  'update',
  'upgrade',
  'version',
  'why',
  'workspace',
  'workspaces',
  'x',
  'store',
  'setup',
  'env',
  'server',
  'licenses',
  'plugin',
  'constraints',
  'npm',
  'node',
  'dev',
  'lint',
  'format',
  'fetch',
  'deploy',
  'doctor',
  'owner',
  'login',
  'logout',
  'whoami',
  'tag',
]);

/** `yarn prisma migrate reset`, `pnpm knex …`: the package binary is judged as the command it is. */
export function packageBinaryRule(call: CommandCall): void {
  if (call.name === 'npm') return;
  const first = call.args.findIndex((a) => !a.value.startsWith('-'));
  const word = call.args[first]?.value;
  if (first < 0 || !word || MANAGER_COMMANDS.has(word) || word.includes('/') || word.includes(':')) return;
  call.session.run(call.args.slice(first), { kind: 'none' }, [], false);
}

/** npm, pnpm, yarn, bun: `--registry`, `config set registry`, global installs. */
export function nodePackageSourceRule(call: CommandCall): CommandEffects {
  const args = call.args;
  for (const registry of optionValues(args, ['--registry']))
    judgePackageSource(call.session, registry.value, `${call.name} --registry`);
  for (const arg of args) {
    const scoped = /^--@[\w.-]+:registry=(.+)$/.exec(arg.value);
    if (scoped) judgePackageSource(call.session, scoped[1], `${call.name} scoped registry`);
  }
  const verbs = positionals(args, [
    '--registry',
    '--tag',
    '--access',
    '--otp',
    '-w',
    '--workspace',
    '--loglevel',
    '--filter',
    '-C',
    '--cwd',
    '--dir',
  ]).map((a) => a.value);
  if (
    verbs[0] === 'config' &&
    ['set', 'add'].includes(verbs[1] ?? '') &&
    /registry|registryServer|proxy/i.test(verbs[2] ?? '')
  ) {
    const [key, inline] = (verbs[2] ?? '').split('=');
    judgePackageSource(call.session, inline ?? verbs[3] ?? '', `${call.name} config ${verbs[1]} ${key}`);
  }
  const global =
    hasFlag(args, 'g', ['--global']) ||
    args.some((a) => a.value === '--location=global') ||
    (call.name === 'yarn' && verbs[0] === 'global');
  const verb = call.name === 'yarn' && verbs[0] === 'global' ? verbs[1] : verbs[0];
  if (global && INSTALL_VERBS.has(verb ?? '')) {
    call.session.add(
      approval('pkg.global_install', `${call.name} ${verb} -g installs for the whole machine, not the project.`),
    );
  }
  packageBinaryRule(call);
  return {};
}

/** pip, pip3, uv pip: index options, URL requirements, --user and system-wide installs. */
export function pipSourceRule(call: CommandCall): CommandEffects {
  const args = call.args;
  const session = call.session;
  const verbs = positionals(args, [
    '-i',
    '--index-url',
    '--extra-index-url',
    '-f',
    '--find-links',
    '-r',
    '--requirement',
    '-c',
    '--constraint',
    '--trusted-host',
    '-t',
    '--target',
    '--prefix',
  ]);
  if (!['install', 'download', 'wheel', 'sync', 'compile'].includes(verbs[0]?.value ?? '')) return {};
  for (const index of optionValues(args, [
    '--index-url',
    '--extra-index-url',
    '--find-links',
    '--index',
    '--default-index',
  ])) {
    judgePackageSource(session, index.value, `${call.name} ${verbs[0].value} index`);
  }
  const short = optionValue(args, ['-i']) ?? optionValue(args, ['-f']);
  if (short) judgePackageSource(session, short.value, `${call.name} ${verbs[0].value} -i`);
  for (const trusted of optionValues(args, ['--trusted-host'])) {
    session.add(
      approval('pkg.source_not_allowlisted', `pip --trusted-host ${trusted.value} disables TLS verification.`),
    );
  }
  for (const requirement of verbs.slice(1)) {
    const url = /(?:^|@\s*)((?:git\+)?[a-z][a-z0-9+.-]*:\/\/\S+)/i.exec(requirement.value)?.[1];
    if (url) judgePackageSource(session, url, `${call.name} install from a URL`);
  }
  if (args.some((a) => a.value === '--user' || a.value === '--break-system-packages' || a.value === '--system')) {
    session.add(
      approval(
        'pkg.global_install',
        `${call.name} install outside a virtual environment changes the machine's Python.`,
      ),
    );
  }
  return {};
}

/** cargo install --git/--index, gem --source / sources --add, go env -w, go get -insecure. */
export function otherSourceRule(call: CommandCall): CommandEffects {
  const args = call.args;
  const session = call.session;
  const verbs = positionals(args, [
    '--git',
    '--index',
    '--registry',
    '--branch',
    '--tag',
    '--rev',
    '--source',
    '-s',
    '--version',
  ]).map((a) => a.value);
  if (call.name === 'cargo' && ['install', 'add'].includes(verbs[0] ?? '')) {
    for (const source of optionValues(args, ['--git', '--index']))
      judgePackageSource(session, source.value, `cargo ${verbs[0]}`);
  }
  if (call.name === 'gem') {
    for (const source of optionValues(args, ['--source', '--add', '-s', '-a']))
      judgePackageSource(session, source.value, `gem ${verbs[0] ?? ''}`.trim());
  }
  if (call.name === 'go') {
    if (verbs[0] === 'env' && hasFlag(args, 'w')) {
      for (const assignment of verbs.slice(1)) {
        const [name, ...value] = assignment.split('=');
        judgeSourceVariable(session, name, value.join('='));
      }
    }
    if (['get', 'install', 'mod'].includes(verbs[0] ?? '') && args.some((a) => a.value === '-insecure')) {
      session.add(approval('pkg.source_not_allowlisted', 'go -insecure fetches modules without TLS checks.'));
    }
  }
  return {};
}
