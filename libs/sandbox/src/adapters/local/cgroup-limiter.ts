import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CgroupLimits {
  memoryBytes: number;
  pids: number;
}

/** One command's cgroup: the files its first process writes its pid to, and how to clean up. */
export interface CgroupHandle {
  /** cgroup.procs files (one per v1 hierarchy, one for v2) the launcher joins before exec'ing bwrap. */
  procsFiles: string[];
  /** SIGKILLs every process still in the group. */
  killAll(): Promise<void>;
  /** True when the kernel OOM-killed something in this group. */
  oomKilled(): Promise<boolean>;
  remove(): Promise<void>;
}

/**
 * Memory and pids limits through cgroups (v2 unified or v1 memory+pids
 * hierarchies). `detect` returns undefined when neither can be used here
 * (no write access, controllers not delegated), and the provider falls back
 * to rlimits under an unprivileged host uid.
 *
 * Only the v1 path has run against a kernel (the machines this was built on
 * have v1 memory and pids controllers; the escape tests prove it). The v2 path
 * is checked against plain directories only (cgroup-limiter.spec.ts); on a v2
 * host it also needs the service's cgroup to allow enabling controllers for
 * children (no processes of its own, "no internal processes" rule), else
 * detection fails and rlimits apply.
 */
export type CgroupLayout = { version: 2; dir: string } | { version: 1; memoryDir: string; pidsDir: string };

export class CgroupLimiter {
  constructor(private readonly layout: CgroupLayout) {}

  static async detect(parentName: string): Promise<CgroupLimiter | undefined> {
    return (await tryV2(parentName)) ?? (await tryV1(parentName));
  }

  get description(): string {
    return this.layout.version === 2
      ? `cgroup v2 (${this.layout.dir})`
      : `cgroup v1 (${this.layout.memoryDir}, ${this.layout.pidsDir})`;
  }

  async create(id: string, limits: CgroupLimits): Promise<CgroupHandle> {
    if (this.layout.version === 2) {
      const dir = join(this.layout.dir, id);
      await mkdir(dir);
      await writeFile(join(dir, 'memory.max'), String(limits.memoryBytes));
      await writeFile(join(dir, 'memory.swap.max'), '0').catch(() => undefined);
      await writeFile(join(dir, 'pids.max'), String(limits.pids));
      return handle([dir], join(dir, 'memory.events'), (text) => /^oom_kill [1-9]/m.test(text));
    }
    const memoryDir = join(this.layout.memoryDir, id);
    const pidsDir = join(this.layout.pidsDir, id);
    await mkdir(memoryDir);
    await mkdir(pidsDir);
    await writeFile(join(memoryDir, 'memory.limit_in_bytes'), String(limits.memoryBytes));
    // Without swap accounting the file is absent; there is nothing to cap then.
    await writeFile(join(memoryDir, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes)).catch(() => undefined);
    await writeFile(join(pidsDir, 'pids.max'), String(limits.pids));
    return handle([memoryDir, pidsDir], join(memoryDir, 'memory.oom_control'), (text) => /^oom_kill [1-9]/m.test(text));
  }
}

function handle(dirs: string[], oomFile: string, oomTest: (text: string) => boolean): CgroupHandle {
  return {
    procsFiles: dirs.map((dir) => join(dir, 'cgroup.procs')),
    killAll: () => killAllIn(dirs),
    oomKilled: async () => oomTest(await readFile(oomFile, 'utf8').catch(() => '')),
    remove: async () => {
      for (const dir of dirs) await removeWhenEmpty(dir);
    },
  };
}

async function killAllIn(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    const pids = (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
  }
}

/** A cgroup can be removed only once its last process is gone; killed processes take a moment to be reaped. */
async function removeWhenEmpty(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await rmdir(dir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      await killAllIn([dir]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

async function tryV2(parentName: string): Promise<CgroupLimiter | undefined> {
  const root = '/sys/fs/cgroup';
  if (!existsSync(join(root, 'cgroup.controllers'))) return undefined;
  const dir = join(root, parentName);
  try {
    const available = readFileSync(join(root, 'cgroup.controllers'), 'utf8');
    if (!/\bmemory\b/.test(available) || !/\bpids\b/.test(available)) return undefined;
    await writeFile(join(root, 'cgroup.subtree_control'), '+memory +pids');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'cgroup.subtree_control'), '+memory +pids');
    return await probe(new CgroupLimiter({ version: 2, dir }));
  } catch {
    return undefined;
  }
}

async function tryV1(parentName: string): Promise<CgroupLimiter | undefined> {
  const memoryMount = '/sys/fs/cgroup/memory';
  const pidsMount = '/sys/fs/cgroup/pids';
  if (!existsSync(join(memoryMount, 'memory.limit_in_bytes')) || !existsSync(join(pidsMount, 'cgroup.procs')))
    return undefined;
  try {
    // Nest under the service's own memory cgroup so a container's limit still applies above ours.
    const memoryDir = join(memoryMount, ownCgroupPath('memory'), parentName);
    const pidsDir = join(pidsMount, ownCgroupPath('pids'), parentName);
    await mkdir(memoryDir, { recursive: true });
    await mkdir(pidsDir, { recursive: true });
    return await probe(new CgroupLimiter({ version: 1, memoryDir, pidsDir }));
  } catch {
    return undefined;
  }
}

/** Proves the layout works by creating and removing one group. */
async function probe(limiter: CgroupLimiter): Promise<CgroupLimiter | undefined> {
  const group = await limiter.create(`probe-${process.pid}-${Date.now()}`, { memoryBytes: 64 << 20, pids: 8 });
  await group.remove();
  return limiter;
}

function ownCgroupPath(controller: string): string {
  try {
    const line = readFileSync('/proc/self/cgroup', 'utf8')
      .split('\n')
      .find((entry) => entry.split(':')[1]?.split(',').includes(controller));
    return line?.split(':')[2] ?? '/';
  } catch {
    return '/';
  }
}
