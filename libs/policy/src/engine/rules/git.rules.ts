import { allow, approval, deny } from '../finding';
import { isAllowlisted } from '../network/network-target';
import { hostsInArgs } from '../network/hosts-in-args';
import { normaliseIp } from '../network/ip-address';
import { isInside, normalisePath } from '../paths/workspace-paths';
import { hasFlag, positionals } from '../shell/arg-utils';
import type { CommandCall } from '../shell/shell-session';
import type { ExpandedArg } from '../shell/word-expander';
import type { CommandEffects } from './rule.types';

const GLOBAL_VALUE_OPTIONS = [
  '-C',
  '-c',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '--exec-path',
  '--config-env',
  '--super-prefix',
  '--list-cmds',
];
/** Config keys whose value is a command git will run. */
const COMMAND_CONFIG =
  /^(alias\..+|core\.(sshcommand|pager|editor|fsmonitor|hookspath|askpass)|diff\..+\.(command|textconv)|diff\.external|merge\..+\.driver|filter\..+\.(clean|smudge|process)|credential\.helper|sequence\.editor|gpg\.program|uploadpack\.packobjectshook|pager\..+)$/i;

/** Subcommands that run hooks, which `--no-verify` skips. */
/**
 * `git rebase [-i] origin/main~3`, `--onto @{u}^ …`, `--root`: the rebase reaches behind what a remote
 * already has, so published commits are rewritten (a force push follows).
 */
function rebasesPublishedHistory(args: readonly ExpandedArg[]): boolean {
  if (args.some((arg) => arg.value === '--root')) return true;
  const refs = args.filter((arg, i) => !arg.value.startsWith('-') || args[i - 1]?.value === '--onto');
  return refs.some((ref) => /^(?:[\w.-]+\/[\w./-]+|@\{(?:u|upstream|push)\})[~^]/.test(ref.value));
}

const NO_VERIFY_SUBCOMMANDS = new Set(['commit', 'push', 'merge', 'rebase', 'am', 'cherry-pick', 'revert']);
/** Remote names and hosts that deploy what is pushed to them (Heroku, Dokku, …): a production deploy. */
const DEPLOY_REMOTE_NAMES =
  /^(?:heroku|dokku|production|prod|live|deploy|staging-deploy|azure|pantheon|platform|clever|scalingo|piku)$/i;
const DEPLOY_HOSTS =
  /(?:^|\.)(?:heroku\.com|dokku\.[\w.-]+|scalingo\.com|clever-cloud\.com|azurewebsites\.net|platform\.sh|pantheonsite\.io|drush\.in)$/i;

/** `git remote add|set-url NAME URL`: later pushes to NAME go to URL. */
function rememberRemote(call: CommandCall, rest: ExpandedArg[]): void {
  const operands = positionals(rest, ['-t', '-m', '--push']).map((a) => a.value);
  if ((operands[0] === 'add' || operands[0] === 'set-url') && operands[1] && operands[2]) {
    call.session.gitRemotes.set(operands[1], operands[2]);
  }
}

/** Where a push goes: a URL or a remote the same line added, off the allowlist; or a deployment remote. */
function judgePushDestination(call: CommandCall, rest: ExpandedArg[]): void {
  const remote = positionals(rest, ['--repo', '-o', '--push-option', '--receive-pack', '--exec'])[0];
  if (!remote || remote.dynamic) return;
  const url = call.session.gitRemotes.get(remote.value) ?? remote.value;
  const host = hostsInArgs('git', [url])[0];
  if (DEPLOY_REMOTE_NAMES.test(remote.value) || (host !== undefined && DEPLOY_HOSTS.test(host))) {
    call.session.add(
      approval('git.push_deploy', `git push to ${remote.value} deploys what is pushed (a production deploy).`, 'high'),
    );
    return;
  }
  if (host === undefined) return;
  const ip = normaliseIp(host);
  if (
    !isAllowlisted(host, ip?.canonical, call.session.options.allowlist) &&
    ip?.cls !== 'loopback' &&
    host !== 'localhost'
  ) {
    call.session.add(
      approval(
        'git.push_elsewhere',
        `git push sends the repository to ${host}, which is not on the allowlist.`,
        'high',
      ),
    );
  }
}

export function matchesBranch(branch: string, patterns: string[]): boolean {
  const name = branch.replace(/^refs\/heads\//, '').replace(/^\+/, '');
  return patterns.some((pattern) => {
    if (!pattern.includes('*')) return pattern === name;
    const regex = new RegExp(
      '^' +
        pattern
          .split('*')
          .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*') +
        '$',
    );
    return regex.test(name);
  });
}

export function gitRule(call: CommandCall): CommandEffects {
  const args = call.args;
  let i = 0;
  for (; i < args.length; i++) {
    const value = args[i].value;
    if (value === '-c' && args[i + 1]) checkConfig(call, args[i + 1]);
    if (value.startsWith('--config-env') || !value.startsWith('-')) {
      if (!value.startsWith('-')) break;
    }
    if (GLOBAL_VALUE_OPTIONS.includes(value)) i++;
  }
  const sub = args[i]?.value ?? '';
  const rest = args.slice(i + 1);
  const protectedBranches = call.session.options.protectedBranches;
  const current = call.session.options.branch;
  const onProtected = current !== undefined && matchesBranch(current, protectedBranches);
  if (
    NO_VERIFY_SUBCOMMANDS.has(sub) &&
    (rest.some((a) => a.value === '--no-verify') || (sub === 'commit' && hasFlag(rest, 'n')))
  ) {
    call.session.add(
      approval('git.no_verify', `git ${sub} --no-verify skips the repository's hooks (checks, secret scans).`),
    );
  }
  switch (sub) {
    case 'push':
      judgePushDestination(call, rest);
      judgePush(call, rest, protectedBranches, current);
      break;
    case 'remote':
      rememberRemote(call, rest);
      break;
    case 'add': {
      const secrets = positionals(rest).filter(
        (a) => !a.dynamic && call.session.written.isSecret(a.value, call.session.paths),
      );
      if (secrets.length > 0) {
        call.session.add(
          deny(
            'secret.commit',
            `git add stages credential material (${secrets.map((a) => a.value).join(', ')}) for commits that get pushed.`,
            'high',
          ),
        );
      }
      break;
    }
    case 'config':
      judgeConfigCommand(call, rest);
      break;
    case 'branch':
      if (hasFlag(rest, 'dD', ['--delete']) || hasFlag(rest, 'mM', ['--move'])) {
        const forced = hasFlag(rest, 'D') || (hasFlag(rest, 'd', ['--delete']) && hasFlag(rest, 'f', ['--force']));
        for (const name of positionals(rest)) {
          if (matchesBranch(name.value, protectedBranches)) {
            call.session.add(
              approval(
                'git.delete_protected_branch',
                `git branch deletes or renames protected branch ${name.value} locally.`,
                'high',
              ),
            );
          } else if (forced) {
            call.session.add(
              approval(
                'git.delete_branch',
                `git branch -D deletes ${name.value} even if its commits are merged nowhere.`,
              ),
            );
          }
        }
      }
      break;
    case 'reset':
      if (rest.some((a) => a.value === '--hard' || a.value === '--merge' || a.value === '--keep')) {
        call.session.add(
          onProtected && rest.some((a) => /^(HEAD)?[~^]\d*|^[0-9a-f]{7,40}$/.test(a.value))
            ? approval('git.rewrite_protected', `git reset --hard rewinds protected branch ${current}.`, 'high')
            : approval('git.discard_changes', 'git reset --hard discards uncommitted work irrecoverably.'),
        );
      }
      break;
    case 'clean':
      if (hasFlag(rest, 'f', ['--force']) && !hasFlag(rest, 'n', ['--dry-run'])) {
        call.session.add(
          approval('git.clean', 'git clean -f deletes untracked files (including ignored ones with -x).'),
        );
      }
      break;
    case 'checkout':
    case 'restore':
      if (
        rest.some((a) => a.value === '.' || a.value === ':/') &&
        (sub === 'restore' || rest.some((a) => a.value === '--'))
      ) {
        call.session.add(approval('git.discard_changes', `git ${sub} . discards uncommitted work.`));
      }
      if (sub === 'checkout' && hasFlag(rest, 'f', ['--force']))
        call.session.add(approval('git.discard_changes', 'git checkout -f discards uncommitted work.'));
      break;
    case 'stash':
      if (rest[0]?.value === 'clear' || rest[0]?.value === 'drop')
        call.session.add(approval('git.discard_changes', `git stash ${rest[0].value} deletes stashed work.`));
      break;
    case 'filter-branch':
    case 'filter-repo':
      call.session.add(
        onProtected || rest.some((a) => a.value === '--all' || matchesBranch(a.value, protectedBranches))
          ? deny(
              'git.rewrite_protected',
              `Destructive pattern: git ${sub} rewrites the history of protected branches.`,
              'critical',
            )
          : approval('git.rewrite_history', `git ${sub} rewrites repository history.`, 'high'),
      );
      break;
    case 'rebase':
    case 'commit':
      if (sub === 'rebase' && rebasesPublishedHistory(rest)) {
        call.session.add(
          approval(
            'git.rewrite_history',
            'git rebase starts before the tip of a remote-tracking branch (or at the root): it rewrites commits already published.',
            'high',
          ),
        );
      }
      if (sub === 'commit' && !rest.some((a) => a.value === '--amend')) break;
      if (onProtected)
        call.session.add(
          approval(
            'git.rewrite_protected',
            `git ${sub}${sub === 'commit' ? ' --amend' : ''} rewrites history on protected branch ${current}.`,
            'high',
          ),
        );
      break;
    case 'update-ref':
      if (
        rest.some((a) => a.value === '-d') ||
        rest.some((a) => matchesBranch(a.value.replace(/^refs\/heads\//, ''), protectedBranches))
      ) {
        call.session.add(
          approval('git.rewrite_protected', 'git update-ref moves or deletes a branch ref directly.', 'high'),
        );
      }
      break;
    case 'reflog':
      if (rest.some((a) => a.value === 'expire' || a.value === 'delete'))
        call.session.add(approval('git.history_destroy', 'git reflog expire/delete removes recovery points.', 'high'));
      break;
    case 'gc':
      if (rest.some((a) => /^--prune(=now)?$/.test(a.value)))
        call.session.add(approval('git.history_destroy', 'git gc --prune=now drops unreachable commits for good.'));
      break;
  }
  return {};
}

function checkConfig(call: CommandCall, setting: ExpandedArg): void {
  const eq = setting.value.indexOf('=');
  if (eq < 0) return;
  const key = setting.value.slice(0, eq);
  const value = setting.value.slice(eq + 1);
  if (COMMAND_CONFIG.test(key)) {
    if (/^alias\./i.test(key) && !value.startsWith('!')) return;
    // Hooks kept in the repository (husky, .githooks) are the project's own, like its scripts.
    if (
      /^core\.hookspath$/i.test(key) &&
      isInside(normalisePath(value, call.session.paths), call.session.paths.workspace)
    ) {
      return;
    }
    call.session.add(approval('git.config_command', `git -c ${key} makes git run a command.`, 'high'));
    call.session.runPayload({ ...setting, value: value.replace(/^!/, '') }, `git -c ${key}`);
  }
}

function judgeConfigCommand(call: CommandCall, rest: ExpandedArg[]): void {
  const operands = positionals(rest, ['--file', '-f', '--blob']);
  if (operands.length >= 2) checkConfig(call, { ...operands[1], value: `${operands[0].value}=${operands[1].value}` });
}

function judgePush(
  call: CommandCall,
  rest: ExpandedArg[],
  protectedBranches: string[],
  current: string | undefined,
): void {
  const force = hasFlag(rest, 'f', ['--force']);
  const lease = rest.some((a) => a.value.startsWith('--force-with-lease') || a.value.startsWith('--force-if-includes'));
  const deleting = hasFlag(rest, 'd', ['--delete']);
  if (rest.some((a) => a.value === '--mirror' || a.value === '--prune')) {
    call.session.add(
      deny(
        'git.force_push_protected',
        'Destructive pattern: git push --mirror/--prune overwrites or deletes remote branches, including protected ones.',
        'critical',
      ),
    );
    return;
  }
  const operands = positionals(rest, ['--repo', '-o', '--push-option', '--receive-pack', '--exec']);
  const refspecs = operands.slice(1);
  const targets: { branch: string | undefined; forced: boolean; deletes: boolean }[] = [];
  if (refspecs.length === 0) {
    if (rest.some((a) => a.value === '--all' || a.value === '--branches')) {
      targets.push({ branch: protectedBranches[0], forced: force, deletes: deleting });
    } else targets.push({ branch: current, forced: force, deletes: deleting });
  }
  for (const spec of refspecs) {
    const raw = spec.value;
    const plus = raw.startsWith('+');
    const body = plus ? raw.slice(1) : raw;
    const colon = body.indexOf(':');
    const src = colon >= 0 ? body.slice(0, colon) : body;
    let dst = colon >= 0 ? body.slice(colon + 1) : body;
    if (dst === '' && colon >= 0) dst = src;
    if ((src === 'HEAD' || src === '@') && colon < 0) dst = current ?? '';
    targets.push({
      branch: spec.dynamic ? undefined : dst.replace(/^refs\/heads\//, '') || undefined,
      forced: force || plus,
      deletes: deleting || colon === 0,
    });
  }
  for (const target of targets) {
    const isProtected = target.branch !== undefined && matchesBranch(target.branch, protectedBranches);
    if (target.deletes) {
      call.session.add(
        isProtected || target.branch === undefined
          ? deny(
              'git.delete_protected_branch',
              `Destructive pattern: git push deletes ${target.branch ?? 'an unknown branch'}${isProtected ? ', a protected branch' : ''}.`,
              'critical',
            )
          : approval('git.delete_remote_branch', `git push deletes remote branch ${target.branch}.`),
      );
    } else if (target.forced) {
      if (isProtected) {
        call.session.add(
          deny(
            'git.force_push_protected',
            `Destructive pattern: force push to protected branch ${target.branch} rewrites shared history.`,
            'critical',
          ),
        );
      } else if (target.branch === undefined) {
        call.session.add(
          approval(
            'git.force_push',
            'Force push to a branch that cannot be determined (no refspec and no branch in the context).',
            'high',
          ),
        );
      } else if (!lease) {
        call.session.add(
          approval(
            'git.force_push',
            `Force push to ${target.branch} without --force-with-lease may overwrite others' work.`,
          ),
        );
      } else {
        call.session.add(allow('git.force_with_lease', `Force push with lease to feature branch ${target.branch}.`));
      }
    }
  }
}
