import { execFileSync } from 'node:child_process';

/**
 * Live host processes of a uid. Zombies are left out: bwrap's PID 1 is
 * orphaned to the host's init when a command ends and waits there to be
 * reaped (tini in the image does that at once); it holds no resources.
 */
export function liveProcessesOf(uid: number): string[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,stat=,args=', '-u', String(uid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '' && !/^\s*\d+\s+Z/.test(line));
  } catch {
    return []; // ps exits 1 when nothing matches
  }
}
