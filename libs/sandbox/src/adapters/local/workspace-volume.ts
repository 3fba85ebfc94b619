import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';

const LAUNCHER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface WorkspaceVolumeSpec {
  /** Host directory the tmpfs is mounted over (inside the holder's mount namespace only). */
  mountPoint: string;
  sizeBytes: number;
  /** Most files and directories the volume can hold. */
  maxInodes: number;
  /**
   * Host uid/gid the sandbox runs as when the service is root. They and root
   * are mapped into the holder's user namespace, so both the service (uploads)
   * and the sandbox can create files there.
   */
  sandboxOwner?: { uid: number; gid: number };
}

/**
 * A size-capped /workspace that outlives each command. tmpfs is the one
 * filesystem with a size limit that a process without host privileges may
 * mount (in a user namespace it owns), and a mount lives only as long as its
 * mount namespace. So each session gets a holder process (`unshare --user
 * --mount`, then waiting on its stdin) whose namespace carries the tmpfs;
 * every command's bubblewrap is started inside it (`nsenter`), and the service
 * reaches the files through `/proc/<holder>/root`. Writing past the cap fails
 * with ENOSPC inside the sandbox; the host's disk is never touched. The holder
 * dies when the session is destroyed or when the service dies (its stdin
 * closes), and the tmpfs with it.
 */
export class WorkspaceVolume {
  private exited = false;

  private constructor(
    private readonly holder: ChildProcess & { pid: number },
    readonly mountPoint: string,
  ) {
    holder.once('exit', () => (this.exited = true));
  }

  static async create(spec: WorkspaceVolumeSpec): Promise<WorkspaceVolume> {
    const holder = spawn(
      'unshare',
      ['--user', '--mount', '--propagation', 'private', '--', '/bin/sh', '-c', 'echo ready; read _'],
      { env: { PATH: LAUNCHER_PATH }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const volume = await WorkspaceVolume.started(holder, spec.mountPoint);
    try {
      await volume.mapIds(spec.sandboxOwner);
      await volume.mount(spec);
      return volume;
    } catch (error) {
      await volume.destroy();
      throw error;
    }
  }

  /** Where the service reads and writes the volume's files. */
  get hostPath(): string {
    return `/proc/${this.holder.pid}/root${this.mountPoint}`;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Launcher prefix that runs the rest of the command line in the holder's namespaces. */
  enterArgs(): string[] {
    return ['nsenter', '--preserve-credentials', '-t', String(this.holder.pid), '-U', '-m', '--'];
  }

  async destroy(): Promise<void> {
    if (this.exited) return;
    const exit = once(this.holder, 'exit');
    this.holder.kill('SIGKILL');
    await exit;
  }

  private static async started(holder: ChildProcess, mountPoint: string): Promise<WorkspaceVolume> {
    let stderr = '';
    holder.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const ready = new Promise<void>((resolve, reject) => {
      holder.stdout?.once('data', () => resolve());
      holder.once('error', reject);
      holder.once('exit', (code) =>
        reject(new Error(`unshare exited (${code ?? 'signal'}): ${stderr.trim() || 'no user namespace'}`)),
      );
    });
    await ready;
    return new WorkspaceVolume(holder as ChildProcess & { pid: number }, mountPoint);
  }

  /**
   * Root maps itself and the sandbox owner one to one (so neither is a stranger
   * to the tmpfs); any other service uid maps itself to root in the namespace,
   * which it may do unprivileged.
   */
  private async mapIds(sandboxOwner: WorkspaceVolumeSpec['sandboxOwner']): Promise<void> {
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    const proc = `/proc/${this.holder.pid}`;
    if (uid === 0 && sandboxOwner) {
      await writeOnce(`${proc}/uid_map`, `0 0 1\n${sandboxOwner.uid} ${sandboxOwner.uid} 1\n`);
      await writeOnce(`${proc}/gid_map`, `0 0 1\n${sandboxOwner.gid} ${sandboxOwner.gid} 1\n`);
      return;
    }
    await writeOnce(`${proc}/setgroups`, 'deny');
    await writeOnce(`${proc}/uid_map`, `0 ${uid} 1\n`);
    await writeOnce(`${proc}/gid_map`, `0 ${gid} 1\n`);
  }

  private async mount(spec: WorkspaceVolumeSpec): Promise<void> {
    const owner = spec.sandboxOwner && process.getuid?.() === 0 ? spec.sandboxOwner : { uid: 0, gid: 0 };
    const options = [
      `size=${spec.sizeBytes}`,
      `nr_inodes=${spec.maxInodes}`,
      'mode=0755',
      `uid=${owner.uid}`,
      `gid=${owner.gid}`,
      'nosuid',
      'nodev',
    ].join(',');
    const mount = spawn(
      this.enterArgs()[0],
      [...this.enterArgs().slice(1), 'mount', '-t', 'tmpfs', '-o', options, 'tmpfs', spec.mountPoint],
      { env: { PATH: LAUNCHER_PATH }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    mount.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const [code] = (await once(mount, 'close')) as [number | null];
    if (code !== 0) throw new Error(`mounting the workspace tmpfs failed: ${stderr.trim() || `exit ${code}`}`);
  }
}

/** uid_map and friends accept exactly one write(2). */
async function writeOnce(path: string, content: string): Promise<void> {
  const handle = await open(path, constants.O_WRONLY);
  try {
    await handle.write(Buffer.from(content));
  } finally {
    await handle.close();
  }
}
