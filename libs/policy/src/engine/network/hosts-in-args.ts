import { parseTarget } from './network-target';

/** Programs whose `[user@]host:path` arguments name a remote host (scp-style). */
const SCP_STYLE = new Set(['ssh', 'scp', 'sftp', 'rsync', 'git', 'sshfs']);
const URL_PREFIX = /^[a-z][a-z0-9+.-]*:\/\//i;
const SCP_TARGET = /^(?:[^@\s/:]+@)?([A-Za-z0-9][A-Za-z0-9.-]*):(?!\/\/)/;
const SSH_DESTINATION = /^(?:[^@\s/:]+@)?([A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}|\d+(?:\.\d+){3})$/;

/**
 * Hosts a command names in its arguments, for user rules about hosts: URLs anywhere (`--registry
 * https://…`, `--index-url=…`, `git clone https://…`), scp-style `user@host:path` for ssh-family
 * programs and git, and `ssh user@host`. Read with the same URL parser as network_access.
 */
export function hostsInArgs(program: string, args: readonly string[]): string[] {
  const hosts: string[] = [];
  const scpStyle = SCP_STYLE.has(program);
  for (const arg of args) {
    const value = arg.startsWith('-') && arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg;
    if (URL_PREFIX.test(value)) {
      const parsed = parseTarget({ url: value.replace(/^git\+/i, '') });
      if (!('error' in parsed)) hosts.push(parsed.host);
      else {
        const ssh = /^(?:ssh|git|sftp):\/\/(?:[^@/]+@)?([^/:]+)/i.exec(value);
        if (ssh) hosts.push(ssh[1].toLowerCase().replace(/\.$/, ''));
      }
      continue;
    }
    if (!scpStyle || value.startsWith('-')) continue;
    const scp = SCP_TARGET.exec(value) ?? (program === 'ssh' ? SSH_DESTINATION.exec(value) : null);
    if (scp) hosts.push(scp[1].toLowerCase().replace(/\.$/, ''));
  }
  return hosts;
}
