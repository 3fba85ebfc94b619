import { approval } from '../finding';
import type { CommandCall } from '../shell/shell-session';
import { evaluateProgram } from '../shell/static-output';
import {
  copyRule,
  ddRule,
  diskToolRule,
  isDiskTool,
  findRule,
  lsRule,
  installRule,
  permissionRule,
  plainDeleteTool,
  recursiveDeleteTool,
  rmRule,
  sedRule,
  shredRule,
  tarRule,
  teeRule,
  truncateRule,
} from './fs.rules';
import { gitRule } from './git.rules';
import { cloudRule, containerRule, helmRule, kubectlRule, pulumiRule, terraformRule } from './infra.rules';
import { INTERPRETERS, interpreterRule } from './interpreter.rules';
import { httpClientRule, nameLookupRule, remoteCopyRule, socketRule } from './net.rules';
import {
  composeVolumesRule,
  DEPLOY_CLIS,
  deployCliRule,
  frameworkScriptReset,
  s3SyncDeleteRule,
  SCHEMA_RESET_PROGRAMS,
  schemaResetRule,
} from './devtools.rules';
import { nodePackageSourceRule, otherSourceRule, pipSourceRule } from './package-source.rules';
import type { CommandEffects } from './rule.types';
import { DATABASE_CLIENTS, databaseRule } from './sql.rules';
import {
  accountRule,
  crontabRule,
  kernelRule,
  killRule,
  powerRule,
  publishRule,
  secretReadRule,
  securityRule,
} from './system.rules';

export type { CommandEffects } from './rule.types';

type Rule = (call: CommandCall) => CommandEffects;

/** The rule table: program name → what its effects are judged by. */
const RULES: Record<string, Rule> = {
  rm: rmRule,
  rimraf: recursiveDeleteTool,
  del: recursiveDeleteTool,
  'del-cli': recursiveDeleteTool,
  trash: plainDeleteTool,
  'trash-put': plainDeleteTool,
  rmdir: plainDeleteTool,
  unlink: plainDeleteTool,
  shred: shredRule,
  srm: shredRule,
  dd: ddRule,
  chmod: permissionRule,
  chown: permissionRule,
  chgrp: permissionRule,
  chattr: permissionRule,
  setfacl: permissionRule,
  install: installRule,
  cp: copyRule,
  mv: copyRule,
  ln: copyRule,
  rsync: (call) => ({ ...copyRule(call), ...remoteCopyRule(call) }),
  scp: remoteCopyRule,
  sftp: remoteCopyRule,
  tee: teeRule,
  truncate: truncateRule,
  find: findRule,
  ls: lsRule,
  sed: sedRule,
  gsed: sedRule,
  tar: tarRule,
  git: gitRule,
  terraform: terraformRule,
  tofu: terraformRule,
  terragrunt: terraformRule,
  pulumi: pulumiRule,
  cdk: pulumiRule,
  kubectl: kubectlRule,
  oc: kubectlRule,
  k: kubectlRule,
  helm: helmRule,
  aws: (call) => ({ ...cloudRule(call), ...s3SyncDeleteRule(call) }),
  gcloud: cloudRule,
  gsutil: cloudRule,
  az: cloudRule,
  doctl: cloudRule,
  heroku: cloudRule,
  fly: cloudRule,
  flyctl: cloudRule,
  vercel: cloudRule,
  netlify: cloudRule,
  firebase: cloudRule,
  wrangler: cloudRule,
  gh: cloudRule,
  docker: (call) => ({ ...containerRule(call), ...composeVolumesRule(call) }),
  'docker-compose': composeVolumesRule,
  podman: containerRule,
  nerdctl: containerRule,
  curl: httpClientRule,
  wget: httpClientRule,
  http: httpClientRule,
  https: httpClientRule,
  aria2c: httpClientRule,
  dig: nameLookupRule,
  nslookup: nameLookupRule,
  host: nameLookupRule,
  drill: nameLookupRule,
  kdig: nameLookupRule,
  ping: nameLookupRule,
  ping6: nameLookupRule,
  traceroute: nameLookupRule,
  nc: socketRule,
  ncat: socketRule,
  netcat: socketRule,
  socat: socketRule,
  telnet: socketRule,
  shutdown: powerRule,
  reboot: powerRule,
  halt: powerRule,
  poweroff: powerRule,
  init: powerRule,
  telinit: powerRule,
  systemctl: powerRule,
  kill: killRule,
  pkill: killRule,
  killall5: killRule,
  crontab: crontabRule,
  useradd: accountRule,
  userdel: accountRule,
  usermod: accountRule,
  passwd: accountRule,
  chpasswd: accountRule,
  visudo: accountRule,
  groupadd: accountRule,
  adduser: accountRule,
  deluser: accountRule,
  iptables: securityRule,
  ip6tables: securityRule,
  nft: securityRule,
  ufw: securityRule,
  setenforce: securityRule,
  auditctl: securityRule,
  'aa-teardown': securityRule,
  'aa-disable': securityRule,
  mount: kernelRule,
  umount: kernelRule,
  swapoff: kernelRule,
  sysctl: kernelRule,
  insmod: kernelRule,
  rmmod: kernelRule,
  modprobe: kernelRule,
  setcap: (call) => {
    call.session.add(
      approval('sys.setuid', 'setcap grants Linux capabilities to a binary (privilege escalation).', 'high'),
    );
    return {};
  },
  npm: (call) => ({ ...publishRule(call), ...nodePackageSourceRule(call) }),
  pnpm: (call) => ({ ...publishRule(call), ...nodePackageSourceRule(call) }),
  yarn: (call) => ({ ...publishRule(call), ...nodePackageSourceRule(call) }),
  bun: (call) =>
    call.args.some((a) => ['-e', '--eval', '-p', '--print'].includes(a.value))
      ? interpreterRule(call)
      : { ...publishRule(call), ...nodePackageSourceRule(call) },
  pip: pipSourceRule,
  pip3: pipSourceRule,
  go: otherSourceRule,
  cargo: (call) => ({ ...publishRule(call), ...otherSourceRule(call) }),
  twine: publishRule,
  gem: (call) => ({ ...publishRule(call), ...otherSourceRule(call) }),
  poetry: publishRule,
  uv: (call) =>
    call.args[0]?.value === 'pip' ? pipSourceRule({ ...call, args: call.args.slice(1) }) : publishRule(call),
  hatch: publishRule,
  flit: publishRule,
  pdm: publishRule,
  env: envDumpRule,
  printenv: envDumpRule,
  set: envDumpRule,
  export: envDumpRule,
  declare: envDumpRule,
};

for (const name of SCHEMA_RESET_PROGRAMS) RULES[name] ??= schemaResetRule;
for (const name of DEPLOY_CLIS) {
  const existing = RULES[name];
  RULES[name] = existing ? (call) => ({ ...existing(call), ...deployCliRule(call) }) : deployCliRule;
}

/** Programs whose arguments are only data: dangerous text in them is never run. */
const DATA_ONLY = new Set([
  'echo',
  'printf',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'ag',
  'ack',
  'cat',
  'head',
  'tail',
  'less',
  'more',
  'wc',
  'sort',
  'uniq',
  'cut',
  'tr',
  'jq',
  'yq',
  'ls',
  'stat',
  'file',
  'test',
  '[',
  '[[',
  'true',
  'false',
  'touch',
  'mkdir',
  'diff',
  'basename',
  'dirname',
  'date',
  'pwd',
  'which',
  'type',
  'id',
  'whoami',
  'uname',
  'hostname',
  'column',
  'fmt',
  'fold',
  'nl',
  'tac',
  'rev',
  'base64',
  'xxd',
  'od',
  'hexdump',
  'md5sum',
  'sha256sum',
  'shasum',
  'realpath',
  'readlink',
  'du',
  'df',
  'tree',
  'code',
  'vim',
  'nano',
  'emacs',
  'make',
  'git',
  'npm',
  'yarn',
  'pnpm',
  'cargo',
  'go',
  'pip',
  'pip3',
  'jest',
  'vitest',
  'tsc',
  'eslint',
  'prettier',
  'pytest',
  'mvn',
  'gradle',
  'dotnet',
  'logger',
  'notify-send',
  'say',
  'read',
  'sleep',
  'exit',
  'return',
  'shift',
  'local',
  'wait',
  'seq',
  'expr',
  'let',
  'getopts',
  'ps',
  'top',
  'htop',
  'free',
  'uptime',
  'history',
  'man',
  'help',
  'info',
]);

/** Filters whose output still carries what they read (a hash does not: md5sum, sha256sum are not here). */
const KEEPS_CONTENT = new Set([
  'head',
  'tail',
  'cut',
  'tr',
  'sed',
  'awk',
  'sort',
  'uniq',
  'fold',
  'grep',
  'jq',
  'yq',
  'base64',
  'base32',
  'basenc',
  'xxd',
  'od',
  'hexdump',
  'rev',
  'tac',
  'nl',
  'column',
  'paste',
  'gzip',
  'bzip2',
  'xz',
  'zstd',
  'openssl',
  'tee',
  'cat',
  'strings',
  'iconv',
  'fmt',
]);

/** Names that, appearing inside an unknown program's arguments, suggest it runs them. */
const DANGEROUS_NAMES = new Set([
  'rm',
  'rimraf',
  'dd',
  'shred',
  'mkfs',
  'wipefs',
  'chmod',
  'chown',
  'sh',
  'bash',
  'zsh',
  'dash',
  'eval',
  'sudo',
  'kill',
  'git',
  'kubectl',
  'terraform',
  'helm',
  'psql',
  'mysql',
  'curl',
  'wget',
  'nc',
  'python',
  'python3',
  'node',
  'perl',
  'ruby',
  'find',
  'xargs',
  'shutdown',
  'reboot',
  'crontab',
  'docker',
  'aws',
  'gcloud',
  'az',
]);

export function judgeProgram(call: CommandCall): CommandEffects {
  const base = call.name.startsWith('mkfs') || call.name.startsWith('mke2fs') ? 'mkfs' : call.name;
  let effects: CommandEffects = {};
  const secrets = secretReadRule(call);
  if (isDiskTool(base)) {
    effects = diskToolRule({ ...call, name: base === 'mkfs' ? 'mkfs' : call.name });
  } else if (DATABASE_CLIENTS.has(base)) effects = databaseRule(call);
  else if (INTERPRETERS.has(base.toLowerCase()) || /^python\d(\.\d+)?$/.test(base)) {
    effects = interpreterRule({ ...call, name: /^python\d/.test(base) ? 'python3' : base.toLowerCase() });
    frameworkScriptReset(call);
  } else if (RULES[base]) effects = RULES[base](call);
  else if (!DATA_ONLY.has(base)) scanUnknownProgram(call);
  // echo and printf print their arguments whatever their stdin holds.
  const output =
    call.stdin.kind === 'text' || call.stdin.kind === 'none' || base === 'echo' || base === 'printf'
      ? evaluateProgram(
          [call.name, ...call.args.map((a) => a.value)],
          call.stdin.kind === 'text' ? call.stdin.text : undefined,
        )
      : undefined;
  const decoding =
    ['base64', 'base32', 'basenc', 'xxd', 'rev', 'tr'].includes(base) ||
    (base === 'printf' && call.args.some((a) => /\\x|\\[0-7]/.test(a.value))) ||
    (base === 'echo' && call.args.some((a) => a.value === '-e'));
  const upstreamObfuscated = call.stdin.kind === 'text' && call.stdin.obfuscated;
  const passthrough =
    call.stdin.kind === 'stream' &&
    ['base64', 'base32', 'xxd', 'rev', 'tr', 'cat', 'gunzip', 'zcat', 'openssl', 'gzip'].includes(base)
      ? call.stdin.from
      : {};
  return {
    ...passthrough,
    ...effects,
    output: output !== undefined && call.args.every((a) => !a.dynamic) ? output : effects.output,
    obfuscated:
      effects.obfuscated ||
      upstreamObfuscated ||
      (decoding && (call.stdin.kind !== 'none' || base === 'printf' || base === 'echo')) ||
      (passthrough.obfuscated ?? false) ||
      (call.stdin.kind === 'stream' && decoding),
    readsSecret:
      effects.readsSecret ||
      secrets.readsSecret ||
      passthrough.readsSecret ||
      (call.stdin.kind === 'stream' && Boolean(call.stdin.from.readsSecret) && KEEPS_CONTENT.has(base)),
  };
}

function envDumpRule(call: CommandCall): CommandEffects {
  const dumpsAll =
    call.args.length === 0 ||
    (call.name === 'printenv' && call.args.some((a) => /SECRET|TOKEN|KEY|PASSWORD/i.test(a.value))) ||
    (call.name === 'export' && call.args.some((a) => a.value === '-p'));
  return dumpsAll ? { readsSecret: true } : {};
}

/**
 * An unknown program that carries a dangerous command in its arguments may be a
 * wrapper we do not know: judge the embedded command, and ask a human if it is not harmless.
 */
function scanUnknownProgram(call: CommandCall): void {
  const args = call.args;
  const probe = call.session.fork();
  for (let i = 0; i < args.length; i++) {
    const value = args[i].value;
    const name = value.split('/').pop() ?? value;
    if (DANGEROUS_NAMES.has(name)) probe.run(args.slice(i), { kind: 'none' }, [], true);
    else if (/\s/.test(value) && DANGEROUS_NAMES.has(value.trim().split(/\s+/)[0].split('/').pop() ?? ''))
      probe.analyse(value);
  }
  const serious = probe.findings.filter((f) => f.outcome !== 'allow' && f.rule_id !== 'fs.fanout_delete');
  if (serious.length > 0) {
    const worst = serious.find((f) => f.outcome === 'deny') ?? serious[0];
    call.session.add(
      approval(
        'shell.unknown_wrapper',
        `${call.name} is not a known program and its arguments carry a risky command (${worst.reason})`,
        worst.outcome === 'deny' ? 'high' : 'medium',
      ),
    );
  }
}
