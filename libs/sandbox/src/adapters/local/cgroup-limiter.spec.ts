import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CgroupLimiter } from './cgroup-limiter';

/**
 * The files each cgroup layout is driven through, against plain directories.
 * This checks names and values only: the kernel's enforcement is proven by the
 * escape tests, on the cgroup v1 hierarchy of the machines we run on (no v2
 * host with delegated memory and pids controllers was available to test).
 */
describe('CgroupLimiter interface files', () => {
  let root: string;
  const limits = { memoryBytes: 256 << 20, pids: 64 };
  const read = (path: string) => readFile(path, 'utf8');

  beforeEach(async () => (root = await mkdtemp(join(tmpdir(), 'cgroup-files-'))));
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('v2: memory.max, no swap, pids.max in one group; OOM read from memory.events', async () => {
    const group = await new CgroupLimiter({ version: 2, dir: root }).create('exec-1', limits);
    const dir = join(root, 'exec-1');
    expect(await read(join(dir, 'memory.max'))).toBe(String(256 << 20));
    expect(await read(join(dir, 'memory.swap.max'))).toBe('0');
    expect(await read(join(dir, 'pids.max'))).toBe('64');
    expect(group.procsFiles).toEqual([join(dir, 'cgroup.procs')]);
    await writeFile(join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 0\n');
    expect(await group.oomKilled()).toBe(false);
    await writeFile(join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n');
    expect(await group.oomKilled()).toBe(true);
  });

  it('v1: memory and pids hierarchies, memsw capped like memory; OOM read from memory.oom_control', async () => {
    const layout = { version: 1 as const, memoryDir: join(root, 'memory'), pidsDir: join(root, 'pids') };
    await mkdir(layout.memoryDir);
    await mkdir(layout.pidsDir);
    const group = await new CgroupLimiter(layout).create('exec-1', limits);
    expect(await read(join(layout.memoryDir, 'exec-1', 'memory.limit_in_bytes'))).toBe(String(256 << 20));
    expect(await read(join(layout.memoryDir, 'exec-1', 'memory.memsw.limit_in_bytes'))).toBe(String(256 << 20));
    expect(await read(join(layout.pidsDir, 'exec-1', 'pids.max'))).toBe('64');
    expect(group.procsFiles).toEqual([
      join(layout.memoryDir, 'exec-1', 'cgroup.procs'),
      join(layout.pidsDir, 'exec-1', 'cgroup.procs'),
    ]);
    await writeFile(
      join(layout.memoryDir, 'exec-1', 'memory.oom_control'),
      'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n',
    );
    expect(await group.oomKilled()).toBe(true);
  });
});
