import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricsService } from '../metrics/metrics.service';
import { ApiKeyDirectory } from './api-key-directory';
import { KeysFileError, sha256Hex } from './keys-file';

const keysYaml = (...keys: Array<[id: string, key: string]>) =>
  `keys:\n${keys.map(([id, key]) => `  - { id: ${id}, tenant: acme, role: agent, sha256: ${sha256Hex(key)} }`).join('\n')}\n`;

async function reloadCount(metrics: MetricsService, outcome: string): Promise<number> {
  const metric = await metrics.apiKeyReloads.get();
  return metric.values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
}

describe('ApiKeyDirectory', () => {
  let dir: string;
  let file: string;
  let metrics: MetricsService;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keys-'));
    file = join(dir, 'keys.yaml');
    metrics = new MetricsService();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is open (disabled) with no keys at all, and enabled by a keys file even when it lists none', () => {
    expect(new ApiKeyDirectory({}, metrics).enabled).toBe(false);
    writeFileSync(file, 'keys: []\n');
    const directory = new ApiKeyDirectory({ keysFile: file }, metrics);
    expect(directory.enabled).toBe(true);
    expect(directory.authenticate('anything')).toBeUndefined();
  });

  it('finds the principal of each key, legacy and file keys together', () => {
    writeFileSync(file, keysYaml(['ci-agent', 'agent-key']));
    const directory = new ApiKeyDirectory({ keysFile: file, legacyKeys: 'legacy-key' }, metrics);
    expect(directory.authenticate('agent-key')).toMatchObject({ id: 'ci-agent', tenant: 'acme', role: 'agent' });
    expect(directory.authenticate('legacy-key')).toMatchObject({ tenant: 'default', role: 'admin' });
    expect(directory.authenticate('agent-key ')).toBeUndefined();
    expect(directory.authenticate(sha256Hex('agent-key'))).toBeUndefined();
  });

  it('refuses at boot a file that does not validate or cannot be read', () => {
    writeFileSync(file, 'keys:\n  - { id: x, tenant: acme, role: root, sha256: abc }\n');
    expect(() => new ApiKeyDirectory({ keysFile: file }, metrics)).toThrow(/keys\[0\] \(id "x"\): role/);
    expect(() => new ApiKeyDirectory({ keysFile: join(dir, 'missing.yaml') }, metrics)).toThrow(KeysFileError);
  });

  it('refuses a file key that is also a SAFETY_API_KEYS key', () => {
    writeFileSync(file, keysYaml(['ci-agent', 'same-key']));
    expect(() => new ApiKeyDirectory({ keysFile: file, legacyKeys: 'same-key' }, metrics)).toThrow(/same key/);
  });

  it('reload applies a valid file and keeps the old keys on an invalid one, counting both', async () => {
    writeFileSync(file, keysYaml(['ci-agent', 'old-key']));
    const directory = new ApiKeyDirectory({ keysFile: file }, metrics);
    writeFileSync(file, keysYaml(['ci-agent', 'new-key']));
    expect(directory.reload('test')).toBe(true);
    expect(directory.authenticate('old-key')).toBeUndefined();
    expect(directory.authenticate('new-key')).toMatchObject({ id: 'ci-agent' });

    writeFileSync(file, 'keys: [ {');
    expect(directory.reload('test')).toBe(false);
    expect(directory.authenticate('new-key')).toMatchObject({ id: 'ci-agent' });
    expect(await reloadCount(metrics, 'ok')).toBe(1);
    expect(await reloadCount(metrics, 'error')).toBe(1);
  });

  it('notices a file replaced by rename (how Kubernetes swaps a mounted Secret) without a signal', async () => {
    writeFileSync(file, keysYaml(['ci-agent', 'old-key']));
    const directory = new ApiKeyDirectory({ keysFile: file, pollIntervalMs: 50 }, metrics);
    directory.onModuleInit();
    try {
      const next = join(dir, 'keys.next');
      writeFileSync(next, keysYaml(['ci-agent', 'rotated-key']));
      renameSync(next, file);
      const deadline = Date.now() + 2000;
      while (directory.authenticate('old-key') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(directory.authenticate('old-key')).toBeUndefined();
      expect(directory.authenticate('rotated-key')).toMatchObject({ id: 'ci-agent' });
    } finally {
      directory.onApplicationShutdown();
    }
  });
});
