import { spawnSync } from 'node:child_process';
import { freePort, removeDir, startRedisServer, TestRedisServer } from './redis-server';

/** A real 3-master Redis Cluster on loopback, built from plain redis-server processes. */
export interface TestRedisCluster {
  nodes: TestRedisServer[];
  /** `host:port,host:port,host:port`, the REDIS_CLUSTER_NODES format. */
  seeds: string;
  /** Starts node `index` again on its port and directory: it rejoins with its slots (and no data: nothing is persisted). */
  restart(index: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedisCluster(options: { nodeTimeoutMs?: number } = {}): Promise<TestRedisCluster> {
  const nodes: TestRedisServer[] = [];
  const clusterArgs = (port: number) => [
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    `nodes-${port}.conf`,
    '--cluster-node-timeout',
    String(options.nodeTimeoutMs ?? 1000),
  ];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    nodes.push(await startRedisServer({ port, extraArgs: clusterArgs(port) }));
  }
  const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
  const created = spawnSync(
    'redis-cli',
    ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'],
    {
      encoding: 'utf8',
    },
  );
  if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
  await waitForClusterOk(nodes[0].port);
  return {
    nodes,
    seeds: addresses.join(','),
    restart: async (index) => {
      const { port, dir } = nodes[index];
      await nodes[index].stop();
      nodes[index] = await startRedisServer({ port, dir, extraArgs: clusterArgs(port) });
    },
    stop: async () => {
      for (const node of nodes) {
        await node.stop();
        removeDir(node.dir);
      }
    },
  };
}

async function waitForClusterOk(port: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const info = spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' }).stdout ?? '';
    if (info.includes('cluster_state:ok')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the test cluster did not reach cluster_state:ok within 15 s');
}
