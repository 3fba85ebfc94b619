import { approval, deny } from '../finding';
import { judgeDelete, judgeWrite, normalisePath, classifyPath, isInside } from '../paths/workspace-paths';
import { hasFlag, lit, optionValue, positionals } from '../shell/arg-utils';
import type { CommandCall } from '../shell/shell-session';
import type { ExpandedArg } from '../shell/word-expander';
import type { CommandEffects } from './rule.types';

const DISK_TOOLS = new Set([
  'mkfs',
  'mke2fs',
  'mkswap',
  'wipefs',
  'blkdiscard',
  'sfdisk',
  'sgdisk',
  'gdisk',
  'parted',
  'fdisk',
  'cfdisk',
  'mkntfs',
  'mkdosfs',
  'zpool',
  'lvremove',
  'vgremove',
  'pvremove',
  'cryptsetup',
  'diskutil',
  'format',
  'dmsetup',
]);

function deleteTargets(call: CommandCall, targets: ExpandedArg[], recursive: boolean, via: string): void {
  for (const target of targets) {
    call.session.add(
      judgeDelete(
        { raw: target.value, recursive, dynamic: target.dynamic, glob: target.glob, via },
        call.session.paths,
      ),
    );
  }
  if (call.openArgs && judgeFanOut(call, recursive, via)) return;
  // `find src -name '*.log' | xargs rm -f`: the run-time targets are files found inside the workspace.
  const foundInWorkspace =
    !recursive &&
    call.openArgsFrom?.listsPathsUnder?.every((root) => isInside(root, call.session.paths.workspace)) === true;
  if (call.openArgs && !foundInWorkspace) {
    call.session.add(
      approval(
        'fs.fanout_delete',
        `${via} receives its targets at run time (xargs/parallel/find -exec); they cannot be checked.`,
        recursive ? 'high' : 'medium',
      ),
    );
  }
}

/** Fan-out denials: what a fan-out over these reaches is certain harm, whatever filter the producer applies. */
const FAN_OUT_DENIALS = new Set(['fs.delete_root', 'fs.delete_home', 'fs.delete_system', 'fs.disk_destroy']);

/**
 * A fan-out (`… | xargs rm`) whose feed is known. Literal text (`echo a.txt b.txt`, `printf '%s\n' /`)
 * gives the targets themselves: each is judged as this delete, and true is returned (fully judged).
 * `find P`, `ls P` give entries under P, which reach as far as deleting P: where that is `/`, `$HOME`
 * or a system directory the harm is certain, the deny is added and true returned. Otherwise (the
 * workspace, a temp directory) false: the caller's checks apply.
 */
function judgeFanOut(call: CommandCall, recursive: boolean, via: string): boolean {
  const from = call.openArgsFrom;
  if (from?.listsPathsUnder === undefined && from?.output !== undefined && !from.obfuscated) {
    const targets = from.output.split(/\s+/).filter(Boolean);
    for (const raw of targets) call.session.add(judgeDelete({ raw, recursive, via }, call.session.paths));
    return targets.length > 0;
  }
  const denials = (from?.listsPathsUnder ?? [])
    .map((root) => judgeDelete({ raw: root, recursive: true, via: `${via} (fed by ${root})` }, call.session.paths))
    .filter((finding) => finding.outcome === 'deny' && FAN_OUT_DENIALS.has(finding.rule_id));
  for (const finding of denials) call.session.add(finding);
  return denials.length > 0;
}

/** `ls P`: lists entries under P (the working directory without operands), for a fan-out it feeds. */
export function lsRule(call: CommandCall): CommandEffects {
  const operands = positionals(call.args);
  if (operands.some((operand) => operand.dynamic)) return {};
  const roots = operands.length > 0 ? operands.map((operand) => operand.value) : ['.'];
  return { listsPathsUnder: roots.map((root) => normalisePath(root, call.session.paths)) };
}

export function rmRule(call: CommandCall): CommandEffects {
  const recursive = hasFlag(call.args, 'rR', ['--recursive']);
  if (call.args.some((arg) => arg.value === '--no-preserve-root')) {
    call.session.add(
      deny('fs.delete_root', 'Destructive pattern: rm --no-preserve-root disables the root guard.', 'critical'),
    );
  }
  deleteTargets(call, positionals(call.args), recursive, recursive ? 'rm -r' : 'rm');
  return {};
}

export function recursiveDeleteTool(call: CommandCall): CommandEffects {
  deleteTargets(call, positionals(call.args), true, call.name);
  return {};
}

export function plainDeleteTool(call: CommandCall): CommandEffects {
  deleteTargets(call, positionals(call.args), false, call.name);
  return {};
}

export function shredRule(call: CommandCall): CommandEffects {
  for (const target of positionals(call.args, ['-n', '--iterations', '-s', '--size'])) {
    const path = normalisePath(target.value, call.session.paths);
    const cls = classifyPath(path, call.session.paths);
    if (cls === 'device')
      call.session.add(deny('fs.disk_destroy', `Destructive pattern: shred overwrites device ${path}.`, 'critical'));
    else {
      const finding = judgeDelete(
        { raw: target.value, recursive: false, dynamic: target.dynamic, glob: target.glob, via: 'shred' },
        call.session.paths,
      );
      call.session.add(
        finding.outcome === 'allow' ? approval('fs.shred', `shred irrecoverably destroys ${path}.`) : finding,
      );
    }
  }
  return {};
}

export function ddRule(call: CommandCall): CommandEffects {
  for (const arg of call.args) {
    if (arg.value.startsWith('of=')) {
      const finding = judgeWrite({ raw: arg.value.slice(3), dynamic: arg.dynamic, via: 'dd of=' }, call.session.paths);
      if (finding) call.session.add(finding);
    }
  }
  return {};
}

/** A partitioning, formatting or volume tool, by exact program name: callers fold `mkfs.<type>` to `mkfs` first (`format.sh` is not `format`). */
export function isDiskTool(name: string): boolean {
  return DISK_TOOLS.has(name);
}

export function diskToolRule(call: CommandCall): CommandEffects {
  const base = call.name.split('.')[0];
  if (!DISK_TOOLS.has(base)) return {};
  if (
    ['fdisk', 'sfdisk', 'parted', 'gdisk', 'sgdisk'].includes(base) &&
    call.args.some((a) => ['-l', '--list', 'print', '-p'].includes(a.value))
  )
    return {};
  if (base === 'diskutil' && !call.args.some((a) => /^(erase|zero|secureErase|partition|reformat)/i.test(a.value)))
    return {};
  if (base === 'cryptsetup' && !call.args.some((a) => /^(luksFormat|erase|luksErase|reencrypt)$/.test(a.value)))
    return {};
  if (base === 'zpool' && !call.args.some((a) => ['destroy', 'labelclear'].includes(a.value))) return {};
  if (base === 'dmsetup' && !call.args.some((a) => ['remove', 'remove_all', 'wipe_table'].includes(a.value))) return {};
  call.session.add(
    deny('fs.disk_destroy', `Destructive pattern: ${call.name} formats or wipes a disk/partition.`, 'critical'),
  );
  return {};
}

const PERMISSION_VALUE_OPTIONS = ['--reference', '--from'];

export function permissionRule(call: CommandCall): CommandEffects {
  const recursive = hasFlag(call.args, 'R', ['--recursive']);
  const operands = positionals(call.args, PERMISSION_VALUE_OPTIONS);
  const hasMode = call.name !== 'chattr' && call.name !== 'setfacl';
  const mode = hasMode ? (operands[0]?.value ?? '') : '';
  const targets = hasMode ? operands.slice(1) : operands.filter((o) => !/^[+-=][a-zA-Z]+$/.test(o.value));
  if (call.name === 'chmod' && isSetuidMode(mode)) {
    call.session.add(
      deny('sys.setuid', `chmod ${mode} sets the setuid/setgid bit (privilege escalation).`, 'critical'),
    );
  }
  for (const target of targets) {
    const path = normalisePath(target.value, call.session.paths);
    const cls = classifyPath(path, call.session.paths);
    if (['root', 'system', 'system-secret', 'home', 'workspace-ancestor', 'device', 'temp-root'].includes(cls)) {
      call.session.add(
        deny(
          'fs.perm_system',
          `Destructive pattern: ${call.name}${recursive ? ' -R' : ''} on ${path}, a system or home location.`,
          'critical',
        ),
      );
    } else if (cls === 'home-secret' || cls === 'home-persistence' || cls === 'outside') {
      call.session.add(approval('fs.perm_outside_workspace', `${call.name} changes ${path}, outside the workspace.`));
    } else if (
      call.name === 'chmod' &&
      /(^|[^0-7])[0-7]?[0-7][0-7]7$|o\+w|a\+w|^\+w/.test(mode) &&
      (recursive || cls === 'workspace-root')
    ) {
      call.session.add(approval('fs.perm_world_writable', `chmod ${mode} makes ${path} world-writable.`));
    } else if ((call.name === 'chown' || call.name === 'chgrp') && recursive && cls === 'workspace-root') {
      call.session.add(approval('fs.perm_workspace', `${call.name} -R changes ownership of the whole workspace.`));
    }
  }
  return {};
}

export function isSetuidMode(mode: string): boolean {
  return /^[2467][0-7]{3}$/.test(mode) || /[ugoa]*[+=][rwxXt]*s/.test(mode);
}

export function installRule(call: CommandCall): CommandEffects {
  const mode = optionValue(call.args, ['-m', '--mode']);
  if (mode && isSetuidMode(mode.value)) {
    call.session.add(
      deny('sys.setuid', `install -m ${mode.value} creates a setuid/setgid binary (privilege escalation).`, 'critical'),
    );
  }
  return copyRule(call);
}

/** cp, mv, install, ln, rsync: the destination is written; mv also removes its sources. */
export function copyRule(call: CommandCall): CommandEffects {
  const valueOptions = [
    '-t',
    '--target-directory',
    '-S',
    '--suffix',
    '-m',
    '--mode',
    '-o',
    '--owner',
    '-g',
    '--group',
    '-e',
    '--rsh',
    '--exclude',
    '--include',
    '--filter',
    '-f',
  ];
  const operands = positionals(call.args, valueOptions);
  const targetDir = optionValue(call.args, ['-t', '--target-directory']);
  const destination = targetDir ?? (operands.length >= 2 ? operands[operands.length - 1] : undefined);
  const sources = targetDir ? operands : operands.slice(0, -1);
  if (destination && !/^[^/]+:/.test(destination.value)) {
    const path = normalisePath(destination.value, call.session.paths);
    if (call.name === 'mv' && path === '/dev/null') {
      deleteTargets(call, sources, true, 'mv to /dev/null');
      return {};
    }
    const finding = judgeWrite(
      { raw: destination.value, dynamic: destination.dynamic, via: call.name },
      call.session.paths,
    );
    if (finding) call.session.add(finding);
    if (call.name === 'rsync' && call.args.some((a) => /^--delete/.test(a.value))) {
      call.session.add(
        judgeDelete(
          { raw: destination.value, recursive: true, dynamic: destination.dynamic, via: 'rsync --delete' },
          call.session.paths,
        ),
      );
    }
  }
  if (call.name === 'mv') {
    for (const source of sources) {
      const finding = judgeDelete(
        { raw: source.value, recursive: false, dynamic: source.dynamic, glob: source.glob, via: 'mv (moves away)' },
        call.session.paths,
      );
      if (finding.outcome !== 'allow') call.session.add(finding);
    }
  }
  return {};
}

export function teeRule(call: CommandCall): CommandEffects {
  for (const file of positionals(call.args)) {
    const finding = judgeWrite({ raw: file.value, dynamic: file.dynamic, via: 'tee' }, call.session.paths);
    if (finding) call.session.add(finding);
  }
  return call.stdin.kind === 'text'
    ? { output: call.stdin.text }
    : call.stdin.kind === 'stream'
      ? { ...call.stdin.from, output: undefined }
      : {};
}

export function truncateRule(call: CommandCall): CommandEffects {
  for (const file of positionals(call.args, ['-s', '--size', '-r', '--reference'])) {
    const finding = judgeWrite({ raw: file.value, dynamic: file.dynamic, via: 'truncate' }, call.session.paths);
    if (finding) call.session.add(finding);
  }
  return {};
}

const FIND_FILTERS = new Set([
  '-name',
  '-iname',
  '-path',
  '-ipath',
  '-regex',
  '-iregex',
  '-type',
  '-mtime',
  '-mmin',
  '-atime',
  '-amin',
  '-ctime',
  '-cmin',
  '-newer',
  '-size',
  '-empty',
  '-user',
  '-group',
  '-perm',
  '-wholename',
  '-iwholename',
  '-links',
  '-inum',
  '-samefile',
  '-lname',
  '-ilname',
]);

/** find: -delete and -exec/-execdir/-ok act on every match under the start paths. */
export function findRule(call: CommandCall): CommandEffects {
  const args = call.args;
  const firstExpr = args.findIndex((a) => /^[-(!]/.test(a.value) && !['-H', '-L', '-P'].includes(a.value));
  const roots = (firstExpr < 0 ? args : args.slice(0, firstExpr)).filter((a) => !['-H', '-L', '-P'].includes(a.value));
  const expr = firstExpr < 0 ? [] : args.slice(firstExpr);
  const startPaths = roots.length > 0 ? roots : [lit('.')];
  const filtered = expr.some((a) => FIND_FILTERS.has(a.value));
  const nameFilter = expr.findIndex((a) => a.value === '-name');
  const literalName =
    nameFilter >= 0 && expr[nameFilter + 1] && !/[*?[]/.test(expr[nameFilter + 1].value)
      ? expr[nameFilter + 1].value
      : undefined;
  const maxDepthZero = expr.some((a, i) => a.value === '-maxdepth' && expr[i + 1]?.value === '0');
  const matchOf = (root: ExpandedArg): ExpandedArg => ({
    ...root,
    value: `${root.value.replace(/\/+$/, '') || '/'}/${literalName ?? '_find_match_'}`,
  });
  for (let i = 0; i < expr.length; i++) {
    const value = expr[i].value;
    if (value === '-delete') {
      for (const root of startPaths) {
        const target = filtered && !maxDepthZero ? matchOf(root) : root;
        call.session.add(
          judgeDelete(
            {
              raw: target.value,
              recursive: !filtered || literalName !== undefined,
              dynamic: root.dynamic,
              glob: root.glob,
              via: 'find -delete',
            },
            call.session.paths,
          ),
        );
      }
    } else if (['-exec', '-execdir', '-ok', '-okdir'].includes(value)) {
      const end = expr.findIndex((a, j) => j > i && (a.value === ';' || a.value === '+'));
      const inner = expr.slice(i + 1, end < 0 ? expr.length : end);
      for (const root of startPaths) {
        const match = matchOf(root);
        const replaced = inner.map((a) =>
          a.value.includes('{}')
            ? { ...a, value: a.value.replace(/\{\}/g, match.value), dynamic: a.dynamic || root.dynamic }
            : a,
        );
        call.session.run(replaced, { kind: 'none' }, [], !inner.some((a) => a.value.includes('{}')));
      }
      i = end < 0 ? expr.length : end;
    } else if (['-fprint', '-fprint0', '-fprintf', '-fls'].includes(value) && expr[i + 1]) {
      const finding = judgeWrite(
        { raw: expr[i + 1].value, dynamic: expr[i + 1].dynamic, via: `find ${value}` },
        call.session.paths,
      );
      if (finding) call.session.add(finding);
    }
  }
  const acts = expr.some((a) =>
    ['-delete', '-exec', '-execdir', '-ok', '-okdir', '-fprint', '-fprint0', '-fprintf', '-fls'].includes(a.value),
  );
  if (!acts && startPaths.every((root) => !root.dynamic)) {
    return { listsPathsUnder: startPaths.map((root) => normalisePath(root.value, call.session.paths)) };
  }
  return {};
}

export function sedRule(call: CommandCall): CommandEffects {
  const scripts = [
    ...call.args.filter((a, i) => call.args[i - 1]?.value === '-e' || call.args[i - 1]?.value === '--expression'),
  ];
  const operands = positionals(call.args, ['-e', '--expression', '-f', '--file', '-l', '--line-length']);
  if (scripts.length === 0 && operands[0]) scripts.push(operands[0]);
  for (const script of scripts) {
    if (/(^|[;\n}])\s*\d*,?\d*\s*e(\s|$|;)|s(.).*\3.*\3[gpiImM0-9]*e[gpiImM0-9]*\s*($|;)/.test(script.value)) {
      call.session.add(
        approval('shell.sed_exec', 'The sed script uses the `e` command/flag, which runs shell commands.', 'high'),
      );
    }
    const write = /(^|[;\n])\s*w\s+(\S+)|s(.).*\3.*\3[gpi0-9]*w\s+(\S+)/.exec(script.value);
    const file = write?.[2] ?? write?.[4];
    if (file) {
      const finding = judgeWrite({ raw: file, via: 'sed w' }, call.session.paths);
      if (finding) call.session.add(finding);
    }
  }
  if (hasFlag(call.args, 'i', ['--in-place'])) {
    for (const file of scripts.length > 0 && operands[0] === scripts[0] ? operands.slice(1) : operands) {
      const finding = judgeWrite({ raw: file.value, dynamic: file.dynamic, via: 'sed -i' }, call.session.paths);
      if (finding) call.session.add(finding);
    }
  }
  return {};
}

export function tarRule(call: CommandCall): CommandEffects {
  for (let i = 0; i < call.args.length; i++) {
    const value = call.args[i].value;
    const exec =
      /^--checkpoint-action=exec=(.*)$/s.exec(value) ??
      /^--to-command=(.*)$/s.exec(value) ??
      /^--(?:use-compress-program|info-script|new-volume-script)=(.*)$/s.exec(value);
    if (exec) call.session.runPayload({ ...call.args[i], value: exec[1] }, 'tar');
    if (['-I', '--use-compress-program', '-F', '--info-script', '--to-command'].includes(value) && call.args[i + 1]) {
      call.session.runPayload(call.args[i + 1], 'tar');
    }
  }
  const dir = optionValue(call.args, ['-C', '--directory']);
  const extracting = call.args.some((a) => /^(-?[a-zA-Z]*x[a-zA-Z]*|--extract|--get)$/.test(a.value));
  if (dir && extracting) {
    const finding = judgeWrite({ raw: dir.value, dynamic: dir.dynamic, via: 'tar -x -C' }, call.session.paths);
    if (finding) call.session.add(finding);
  }
  return {};
}
