import { lstatSync, readlinkSync } from 'node:fs';

/** Where the proxy's unix socket appears inside the sandbox, and the loopback port socat serves it on. */
export const SANDBOX_EGRESS_SOCKET = '/run/egress.sock';
export const SANDBOX_PROXY_PORT = 3128;
/** The uid/gid the command sees. Never 0: with uid 0 and capabilities a sandbox could remount host paths writable. */
export const SANDBOX_UID = 1000;

export interface BwrapSpec {
  /** Host directory bound read-write at /workspace. */
  workspace: string;
  /** Directory holding the generated passwd, group and hosts files. */
  etcDir: string;
  tmpSizeBytes: number;
  /** Absolute path inside the sandbox, already confined to /workspace. */
  cwd: string;
  env: Record<string, string>;
  /** Host path of the session's egress socket; absent = no network at all. */
  egressSocket?: string;
}

/** Top-level entries of a merged-/usr system are symlinks (recreated); on older layouts they are bound read-only. */
const ROOT_ENTRIES = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];
/** The /etc allow-list: what tools need, nothing that can hold a credential (no shadow, ssh, npmrc, gitconfig, resolv.conf). */
const ETC_FILES = ['ld.so.cache', 'ssl', 'ca-certificates', 'nsswitch.conf', 'localtime', 'alternatives', 'mime.types'];

/**
 * The bubblewrap command line (without the command). Each flag is there for a reason:
 * - `--unshare-all --unshare-user`: own user, pid, net, ipc, uts and cgroup namespaces; the
 *   net namespace has only `lo`, so there is no route out except the egress socket.
 * - `--uid/--gid 1000 --cap-drop ALL`: never root and no capabilities inside (as root with
 *   capabilities a sandbox can `mount -o remount,rw` a host bind and write to the host).
 * - `--disable-userns`: no nested user namespaces, so capabilities cannot be regained inside.
 * - `--die-with-parent`: the tree dies if the service dies; `--new-session`: no TIOCSTI injection.
 * - `--remount-ro /`: the tmpfs root bwrap builds would otherwise be writable.
 * - `--clearenv`: the service's environment (keys, URLs) never reaches the command.
 */
export function buildBwrapArgs(spec: BwrapSpec): string[] {
  const args = [
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--uid',
    String(SANDBOX_UID),
    '--gid',
    String(SANDBOX_UID),
    '--cap-drop',
    'ALL',
    '--hostname',
    'sandbox',
    '--ro-bind',
    '/usr',
    '/usr',
  ];
  for (const entry of ROOT_ENTRIES) args.push(...rootEntryArgs(entry));
  for (const file of ETC_FILES) args.push('--ro-bind-try', `/etc/${file}`, `/etc/${file}`);
  for (const file of ['passwd', 'group', 'hosts']) args.push('--ro-bind', `${spec.etcDir}/${file}`, `/etc/${file}`);
  args.push('--proc', '/proc', '--dev', '/dev', '--size', String(spec.tmpSizeBytes), '--tmpfs', '/tmp');
  args.push('--bind', spec.workspace, '/workspace');
  if (spec.egressSocket) args.push('--dir', '/run', '--ro-bind', spec.egressSocket, SANDBOX_EGRESS_SOCKET);
  args.push('--chdir', spec.cwd, '--clearenv');
  for (const [name, value] of Object.entries(spec.env)) args.push('--setenv', name, value);
  args.push('--remount-ro', '/');
  return args;
}

/** The environment every command starts from (caller variables are layered on top, then the proxy ones). */
export function baseEnvironment(): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: '/workspace',
    USER: 'sandbox',
    LOGNAME: 'sandbox',
    LANG: 'C.UTF-8',
    TMPDIR: '/tmp',
  };
}

/** Proxy variables for the in-sandbox socat bridge. Tools that ignore them find no route and fail closed. */
export function proxyEnvironment(): Record<string, string> {
  const url = `http://127.0.0.1:${SANDBOX_PROXY_PORT}`;
  return {
    HTTP_PROXY: url,
    HTTPS_PROXY: url,
    http_proxy: url,
    https_proxy: url,
    ALL_PROXY: url,
    all_proxy: url,
    NO_PROXY: 'localhost,127.0.0.1',
    no_proxy: 'localhost,127.0.0.1',
    NODE_USE_ENV_PROXY: '1',
  };
}

/**
 * The argv run inside the sandbox. With egress, socat first bridges
 * 127.0.0.1:3128 to the proxy socket and the command starts once it listens;
 * the bridge dies with the sandbox's PID namespace when the command ends.
 */
export function commandArgv(command: string, withEgress: boolean): string[] {
  if (!withEgress) return ['/bin/bash', '-c', command];
  const portHex = SANDBOX_PROXY_PORT.toString(16).toUpperCase().padStart(4, '0');
  const bridge = [
    `socat TCP-LISTEN:${SANDBOX_PROXY_PORT},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:${SANDBOX_EGRESS_SOCKET} 2>/dev/null &`,
    `i=0; while [ $i -lt 500 ] && ! grep -q ':${portHex} ' /proc/net/tcp; do i=$((i+1)); sleep 0.005; done`,
    'exec /bin/bash -c "$0"',
  ].join('\n');
  return ['/bin/bash', '-c', bridge, command];
}

function rootEntryArgs(entry: string): string[] {
  try {
    const stat = lstatSync(`/${entry}`);
    if (stat.isSymbolicLink()) return ['--symlink', readlinkSync(`/${entry}`), `/${entry}`];
    if (stat.isDirectory()) return ['--ro-bind', `/${entry}`, `/${entry}`];
  } catch {
    // absent on this layout
  }
  return [];
}
