import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxProviderContract } from '../../testing/sandbox-provider.contract';
import { LocalBwrapSandboxProvider } from './local-bwrap-sandbox.provider';

const OUTPUT_CAP = 64 * 1024;

sandboxProviderContract('local bubblewrap', async () => {
  const workspaceRoot = join(tmpdir(), `sandbox-contract-${process.pid}`);
  const provider = new LocalBwrapSandboxProvider({
    workspaceRoot,
    outputCapBytes: OUTPUT_CAP,
    maxUploadFiles: 5,
    maxUploadBytes: 4096,
    hostUid: 10011,
    hostGid: 10011,
  });
  return {
    provider,
    template: 'base',
    outputCapBytes: OUTPUT_CAP,
    maxUploadFiles: 5,
    maxUploadBytes: 4096,
    close: async () => {
      await provider.destroyAll();
      await rm(workspaceRoot, { recursive: true, force: true });
    },
  };
});
