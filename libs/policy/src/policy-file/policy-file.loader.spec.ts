import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicyFile, parsePolicyDocument, PolicyError, resolvePolicyOptions } from '@app/policy';

function fileWith(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'policy-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function errorOf(fn: () => unknown): PolicyError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error('expected a PolicyError');
}

describe('policy file loader', () => {
  it('loads YAML with every documented key', () => {
    const path = fileWith(
      'policy.yaml',
      [
        'version: 1',
        'enable_code_execution: true',
        'workspace_root: /srv/app',
        'protected_branches: [main, "release/*"]',
        'production_environments: [prod, live]',
        'network:',
        '  allowlist: ["*.internal.example.com"]',
        '  loopback_ports: [3000]',
        'billing:',
        '  auto_allow_below_usd: 5',
        '  deny_above_usd: 1000',
      ].join('\n'),
    );
    const options = loadPolicyFile(path);
    const resolved = resolvePolicyOptions(options);
    expect(resolved.workspace_root).toBe('/srv/app');
    expect(resolved.network.allowlist).toContain('registry.npmjs.org');
    expect(resolved.network.allowlist).toContain('*.internal.example.com');
    expect(resolved.billing).toEqual({ require_approval: true, auto_allow_below_usd: 5, deny_above_usd: 1000 });
  });

  it('loads JSON by extension', () => {
    const path = fileWith('policy.json', JSON.stringify({ enable_code_execution: false }));
    expect(loadPolicyFile(path)).toEqual({ enable_code_execution: false });
  });

  it('names an unknown key, nested or not', () => {
    expect(errorOf(() => parsePolicyDocument('network:\n  allowlst: [x]')).message).toContain('key "network.allowlst"');
    expect(errorOf(() => parsePolicyDocument('enable_code_exec: true')).extensions).toMatchObject({
      key: 'enable_code_exec',
    });
  });

  it('names a key with the wrong type', () => {
    const error = errorOf(() => parsePolicyDocument('network:\n  loopback_ports: [3000, 70000]'));
    expect(error.code).toBe('POLICY_FILE_INVALID');
    expect(error.message).toContain('network.loopback_ports[1]');
    expect(errorOf(() => parsePolicyDocument('workspace_root: relative/path')).message).toContain('workspace_root');
    expect(errorOf(() => parsePolicyDocument('version: 2')).message).toContain('version');
  });

  it('reports unreadable files and syntax errors without dumping content', () => {
    expect(errorOf(() => loadPolicyFile('/nonexistent/policy.yaml')).message).toContain('ENOENT');
    expect(errorOf(() => parsePolicyDocument('a: [unclosed', 'p.yaml')).message).toContain('not valid YAML');
  });

  it('accepts an empty file as all defaults', () => {
    expect(parsePolicyDocument('')).toEqual({});
  });
});
