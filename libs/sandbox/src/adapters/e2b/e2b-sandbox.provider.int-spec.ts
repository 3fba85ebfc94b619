import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeE2bServer } from '../../../test-fixtures/fake-e2b-server';
import { sandboxCodeOf, sandboxProviderContract } from '../../testing/sandbox-provider.contract';
import { E2bSandboxProvider } from './e2b-sandbox.provider';

// The SDK's ESM-only chalk cannot be loaded by jest; see the stub for why this is harmless.
jest.mock('../../../../../node_modules/e2b/node_modules/chalk/source/index.js', () =>
  jest.requireActual('../../../test-fixtures/chalk-stub'),
);

const API_KEY = 'e2b_' + 'ab12'.repeat(10);
const OUTPUT_CAP = 64 * 1024;

async function startFake(name: string): Promise<{ fake: FakeE2bServer; root: string }> {
  const root = join(tmpdir(), `sandbox-e2b-${name}-${process.pid}`);
  const fake = await new FakeE2bServer({ workspaceRoot: root, hostUid: 10012, hostGid: 10012 }, API_KEY).start();
  return { fake, root };
}

function providerFor(fake: FakeE2bServer, apiKey = API_KEY): E2bSandboxProvider {
  return new E2bSandboxProvider({
    apiKey,
    apiUrl: fake.url,
    sandboxUrl: fake.url,
    outputCapBytes: OUTPUT_CAP,
    maxUploadFiles: 5,
    maxUploadBytes: 4096,
  });
}

sandboxProviderContract('E2B (real SDK against the fake server)', async () => {
  const { fake, root } = await startFake('contract');
  return {
    provider: providerFor(fake),
    template: 'base',
    outputCapBytes: OUTPUT_CAP,
    maxUploadFiles: 5,
    maxUploadBytes: 4096,
    close: async () => {
      await fake.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
});

describe('E2B provider specifics', () => {
  let fake: FakeE2bServer;
  let root: string;

  beforeAll(async () => ({ fake, root } = await startFake('specifics')));
  afterAll(async () => {
    await fake.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('maps allowed_domains to allowOut with everything else denied, and no domains to no internet', async () => {
    const provider = providerFor(fake);
    const open = await provider.create('base', {
      allowedDomains: ['registry.npmjs.org', '*.github.com'],
      runId: 'run-e2b',
    });
    const closed = await provider.create('base');
    const [withDomains, without] = fake.createRequests.slice(-2);
    expect(withDomains).toMatchObject({
      templateID: 'base',
      network: { allowOut: ['registry.npmjs.org', '*.github.com'], denyOut: ['0.0.0.0/0'] },
      metadata: { run_id: 'run-e2b', allowed_domains: 'registry.npmjs.org,*.github.com' },
    });
    expect(without).toMatchObject({ allow_internet_access: false });
    await provider.destroy(open);
    await provider.destroy(closed);
  });

  it('reconnects to a session by id from another replica', async () => {
    const first = providerFor(fake);
    const other = providerFor(fake);
    const session = await first.create('base', {
      runId: 'run-reconnect',
      allowedDomains: ['example.org'],
      ttlMs: 60_000,
    });
    await first.uploadFiles(session, [{ path: 'note.txt', content: 'shared' }]);
    const found = await other.reconnect(session.id);
    expect(found).toMatchObject({
      id: session.id,
      provider: 'e2b',
      template: 'base',
      runId: 'run-reconnect',
      allowedDomains: ['example.org'],
    });
    expect((await other.execute(found!, 'cat note.txt', 10_000)).stdout).toBe('shared');
    await other.destroy(found!);
    expect(await first.reconnect(session.id)).toBeUndefined();
    expect(await sandboxCodeOf(first.execute(session, 'true', 10_000))).toBe('SANDBOX_SESSION_NOT_FOUND');
  });

  it('reports an unknown template and a refused API key as coded errors', async () => {
    expect(await sandboxCodeOf(providerFor(fake).create('no-such-template'))).toBe('SANDBOX_TEMPLATE_UNKNOWN');
    expect(await sandboxCodeOf(providerFor(fake, 'e2b_' + '00'.repeat(20)).create('base'))).toBe('SANDBOX_UNAVAILABLE');
  });

  it('reports an unreachable E2B as SANDBOX_UNAVAILABLE', async () => {
    const provider = new E2bSandboxProvider({
      apiKey: API_KEY,
      apiUrl: 'http://127.0.0.1:9',
      sandboxUrl: 'http://127.0.0.1:9',
      requestTimeoutMs: 2000,
    });
    expect(await sandboxCodeOf(provider.create('base'))).toBe('SANDBOX_UNAVAILABLE');
  });
});
