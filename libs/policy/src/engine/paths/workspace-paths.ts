import { allow, approval, deny, type Finding } from '../finding';
import { isPackageSourceConfig } from '../rules/package-source.rules';

/** Where relative paths start and what counts as the agent's own work area. */
export interface PathContext {
  cwd: string;
  workspace: string;
  home: string;
  regenerable: ReadonlySet<string>;
  /** Told of every path judged for a write or delete (normalised), for user rules. */
  observe?: (operation: 'write' | 'delete', path: string) => void;
}

const SYSTEM_DIRS = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/opt',
  '/proc',
  '/root',
  '/sbin',
  '/srv',
  '/sys',
  '/usr',
  '/var',
  '/snap',
  '/mnt',
  '/media',
  '/run',
  '/System',
  '/Library',
  '/Applications',
  '/private',
  '/Volumes',
  '/cores',
  '/nix',
  '/efi',
];
const HOME_PARENTS = ['/home', '/Users'];
const TEMP_DIRS = ['/tmp', '/var/tmp', '/private/tmp', '/dev/shm'];
/** Device nodes that are harmless to write to. */
const HARMLESS_DEVICES = [
  '/dev/null',
  '/dev/zero',
  '/dev/stdout',
  '/dev/stderr',
  '/dev/stdin',
  '/dev/tty',
  '/dev/random',
  '/dev/urandom',
];
/** Credentials under the home directory (relative to it). */
const HOME_SECRETS = [
  '.ssh',
  '.aws',
  '.gnupg',
  '.config/gcloud',
  '.kube',
  '.docker/config.json',
  '.netrc',
  '.npmrc',
  '.pypirc',
  '.git-credentials',
  '.azure',
  '.config/gh',
  '.terraform.d/credentials.tfrc.json',
];
/** Files under home that run code at login or grant access: writing them is persistence. */
const HOME_PERSISTENCE = [
  '.bashrc',
  '.bash_profile',
  '.profile',
  '.zshrc',
  '.zprofile',
  '.zshenv',
  '.bash_login',
  '.bash_logout',
  '.config/fish',
  '.ssh',
  '.gitconfig',
  '.config/autostart',
  '.local/bin',
  'Library/LaunchAgents',
];
const SYSTEM_SECRETS = ['/etc/shadow', '/etc/gshadow', '/etc/sudoers', '/etc/sudoers.d', '/etc/ssh', '/root'];

export function isInside(path: string, dir: string): boolean {
  if (dir === '/') return true;
  return path === dir || path.startsWith(dir + '/');
}

/** Absolute, `..`-collapsed form of a path as bash and the kernel would see it (no symlinks). */
export function normalisePath(raw: string, ctx: Pick<PathContext, 'cwd' | 'home'>): string {
  let path = raw;
  // Windows drive letters (cmd /c rd C:\) are judged as a filesystem root.
  if (/^[a-zA-Z]:([\\/]|$)/.test(path)) return '/' + path.slice(3).replace(/\\/g, '/').replace(/^\/+/, '');
  if (path === '~' || path.startsWith('~/')) path = ctx.home + path.slice(1);
  else if (/^~[a-z_][a-z0-9_-]*(\/|$)/i.test(path)) {
    const user = path.slice(1).split('/')[0];
    path = (user === 'root' ? '/root' : '/home/' + user) + path.slice(1 + user.length);
  }
  if (!path.startsWith('/')) path = ctx.cwd + '/' + path;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

export type PathClass =
  | 'root'
  | 'device'
  | 'harmless-device'
  | 'system'
  | 'system-secret'
  | 'home'
  | 'home-secret'
  | 'home-persistence'
  | 'workspace-ancestor'
  | 'workspace-root'
  | 'git-dir'
  | 'regenerable'
  | 'workspace'
  | 'temp-root'
  | 'temp'
  | 'outside';

export function classifyPath(path: string, ctx: PathContext): PathClass {
  if (path === '/') return 'root';
  if (HARMLESS_DEVICES.includes(path) || path.startsWith('/dev/fd/')) return 'harmless-device';
  if (path.startsWith('/dev/') && !TEMP_DIRS.some((dir) => isInside(path, dir))) return 'device';
  if (TEMP_DIRS.includes(path)) return 'temp-root';
  if (TEMP_DIRS.some((dir) => isInside(path, dir)) && !isInside(ctx.workspace, path)) return 'temp';
  if (isInside(path, ctx.workspace)) {
    if (path === ctx.workspace) return 'workspace-root';
    const relative = path.slice(ctx.workspace.length + 1).split('/');
    if (relative.includes('.git')) return 'git-dir';
    if (relative.some((segment) => ctx.regenerable.has(segment))) return 'regenerable';
    return 'workspace';
  }
  if (isInside(ctx.workspace, path)) return path === ctx.home ? 'home' : 'workspace-ancestor';
  if (SYSTEM_SECRETS.some((dir) => isInside(path, dir))) return 'system-secret';
  if (isInside(path, ctx.home)) {
    if (path === ctx.home) return 'home';
    const relative = path.slice(ctx.home.length + 1);
    if (HOME_SECRETS.some((secret) => isInside(relative, secret) || isInside('/' + relative, '/' + secret)))
      return 'home-secret';
    if (HOME_PERSISTENCE.some((file) => isInside('/' + relative, '/' + file))) return 'home-persistence';
    return 'outside';
  }
  if (HOME_PARENTS.includes(path)) return 'system';
  if (HOME_PARENTS.some((dir) => isInside(path, dir)) && path.split('/').length === 3) return 'home';
  if (SYSTEM_DIRS.some((dir) => isInside(path, dir))) return 'system';
  // A new top-level directory (`/data`, `/backup`) is still outside the workspace.
  return 'outside';
}

export interface DeleteTarget {
  raw: string;
  recursive: boolean;
  /** Contains an expansion whose value is not known statically. */
  dynamic?: boolean;
  /** Contains unquoted glob characters. */
  glob?: boolean;
  /** Who deletes, for the reason text (`rm -rf`, `find -delete`, ...). */
  via?: string;
}

const BROAD_GLOBS = new Set(['*', '.*', '*.*', '.[!.]*', '..?*', '**', '{*,.*}', '?*']);

/** Judges deleting a path (the effect of rm, find -delete, rimraf, delete_files, ...). */
export function judgeDelete(target: DeleteTarget, ctx: PathContext): Finding {
  let path = normalisePath(target.raw, ctx);
  ctx.observe?.('delete', path);
  let recursive = target.recursive;
  let broad = false;
  if (target.glob) {
    const parts = path.split('/');
    const firstGlob = parts.findIndex((part) => /[*?[]/.test(part));
    if (firstGlob >= 0) {
      const last = parts[parts.length - 1];
      if (firstGlob === parts.length - 1 && BROAD_GLOBS.has(last)) {
        // `rm -rf dir/*` empties dir: judge it like deleting dir itself.
        broad = true;
        path = parts.slice(0, firstGlob).join('/') || '/';
        recursive = true;
      } else if (firstGlob < parts.length - 1 && ctx.regenerable.has(last)) {
        // `packages/*/node_modules`: every match is a regenerable directory.
        path = parts.slice(0, firstGlob).join('/') + '/_/' + last;
      } else {
        path = (parts.slice(0, firstGlob).join('/') || '') + '/_glob_match_';
      }
    }
  }
  const via = target.via ?? (recursive ? 'recursive delete' : 'delete');
  const what = broad ? `everything in ${path}` : path;
  const cls = classifyPath(path, ctx);
  const finding = judgeDeleteClass(cls, recursive, via, what);
  if (target.dynamic && (finding.outcome !== 'deny' || finding.risk !== 'critical')) {
    return approval(
      'fs.unresolved_path',
      `The ${via} target "${target.raw}" depends on values unknown before run time.`,
      'high',
    );
  }
  return finding;
}

function judgeDeleteClass(cls: PathClass, recursive: boolean, via: string, what: string): Finding {
  const destructive = `Destructive pattern: ${via} of ${what}`;
  switch (cls) {
    case 'root':
      return deny('fs.delete_root', `${destructive} (the filesystem root).`, 'critical');
    case 'device':
      return deny('fs.disk_destroy', `${destructive} (a device node).`, 'critical');
    case 'harmless-device':
      return approval('fs.delete_device', `${via} of device ${what}.`);
    case 'system':
    case 'system-secret':
      return deny('fs.delete_system', `${destructive} (a system directory).`, 'critical');
    case 'home':
    case 'workspace-ancestor':
      return deny('fs.delete_home', `${destructive} (home directory or a parent of the workspace).`, 'critical');
    case 'home-secret':
    case 'home-persistence':
      return deny(
        'fs.delete_outside_workspace',
        `${destructive} (credentials or configuration in the home directory).`,
        'high',
      );
    case 'workspace-root':
      return deny('fs.delete_workspace_root', `${destructive} (the workspace root).`, 'critical');
    case 'git-dir':
      return recursive
        ? deny('fs.delete_git_dir', `${destructive} (repository history in .git).`, 'high')
        : approval('fs.delete_git_file', `${via} of ${what} inside .git.`);
    case 'temp-root':
      return deny('fs.delete_system', `${destructive} (a shared temp directory).`, 'high');
    case 'temp':
      return allow('fs.delete_temp', `${via} of ${what} in a temp directory.`);
    case 'regenerable':
      return allow(
        'fs.regenerable_artifact',
        `${via} of ${what}: regenerable build output or cache inside the workspace.`,
      );
    case 'workspace':
      return recursive
        ? approval(
            'fs.recursive_delete_workspace',
            `${via} of ${what}: source inside the workspace that cannot be regenerated.`,
            'medium',
          )
        : allow('fs.delete_workspace_file', `${via} of ${what} inside the workspace.`);
    case 'outside':
      return deny('fs.delete_outside_workspace', `${destructive} (outside the workspace).`, 'high');
  }
}

export interface WriteTarget {
  raw: string;
  dynamic?: boolean;
  via: string;
}

/** Judges writing or truncating a file (redirects, tee, cp/mv/install destinations). */
export function judgeWrite(target: WriteTarget, ctx: PathContext): Finding | null {
  const path = normalisePath(target.raw, ctx);
  ctx.observe?.('write', path);
  const cls = classifyPath(path, ctx);
  if ((cls === 'workspace' || cls === 'temp') && isPackageSourceConfig(path)) {
    return approval('pkg.source_config', `${target.via} writes ${path}, which decides where packages come from.`);
  }
  switch (cls) {
    case 'harmless-device':
    case 'temp':
    case 'regenerable':
    case 'workspace':
      return target.dynamic
        ? approval(
            'fs.unresolved_path',
            `The ${target.via} target "${target.raw}" depends on values unknown before run time.`,
          )
        : null;
    case 'device':
      return deny('fs.disk_destroy', `Destructive pattern: ${target.via} writes to device ${path}.`, 'critical');
    case 'root':
    case 'system':
    case 'system-secret':
    case 'temp-root':
      return deny('fs.write_system', `${target.via} writes to ${path}, a system location.`, 'critical');
    case 'home-persistence':
    case 'home-secret':
      return deny(
        'fs.write_persistence',
        `${target.via} writes to ${path}: shell start-up, SSH or credential files (persistence).`,
        'high',
      );
    case 'git-dir':
      return path.includes('/.git/hooks')
        ? approval('fs.write_git_hooks', `${target.via} writes a git hook (${path}), which runs code later.`, 'high')
        : approval('fs.write_git_dir', `${target.via} writes inside .git (${path}).`);
    case 'workspace-root':
    case 'home':
    case 'workspace-ancestor':
      return deny('fs.write_outside_workspace', `${target.via} overwrites directory ${path}.`, 'high');
    case 'outside':
      return approval('fs.write_outside_workspace', `${target.via} writes ${path}, outside the workspace.`, 'medium');
  }
}

/** Reading a credential file (alone: approval; into a network call: exfiltration). */
export function isSecretPath(raw: string, ctx: PathContext): boolean {
  const path = normalisePath(raw, ctx);
  const cls = classifyPath(path, ctx);
  if (cls === 'home-secret' || cls === 'system-secret') return true;
  const base = path.split('/').pop() ?? '';
  return (
    /^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/.test(base) ||
    (/^\.env(\..+)?$/.test(base) && !/\.(example|sample|template|dist|defaults)$/.test(base)) ||
    /\.(pem|key|p12|pfx|p8|jks|keystore|ppk|tfstate|tfstate\.backup|kubeconfig)$/.test(base) ||
    /^(kubeconfig|credentials(\.json)?|\.pgpass|\.netrc|\.git-credentials|\.htpasswd|service-account(-key)?\.json)$/.test(
      base,
    )
  );
}
