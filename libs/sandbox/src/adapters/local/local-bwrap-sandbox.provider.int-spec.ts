import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxProviderContract } from '../../testing/sandbox-provider.contract';
import { LocalBwrapSandboxProvider } from './local-bwrap-sandbox.provider';
import type { LocalSandboxOptions } from './local-sandbox.options';

const OUTPUT_CAP = 64 * 1024;

describe.each<[string, LocalSandboxOptions]>([
  ['size-capped tmpfs workspace (default)', {}],
  ['uncapped workspace directory (SANDBOX_WORKSPACE_MB=0)', { workspaceMaxBytes: 0 }],
])('local bubblewrap, %s', (label, workspace) => {
  sandboxProviderContract(`local bubblewrap, ${label}`, async () => {
    const workspaceRoot = join(tmpdir(), `sandbox-contract-${process.pid}-${workspace.workspaceMaxBytes ?? 'capped'}`);
    const provider = new LocalBwrapSandboxProvider({
      workspaceRoot,
      outputCapBytes: OUTPUT_CAP,
      maxUploadFiles: 5,
      maxUploadBytes: 4096,
      hostUid: 10011,
      hostGid: 10011,
      ...workspace,
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
});
