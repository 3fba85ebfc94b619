import { createHash } from 'node:crypto';
import { KeysFileError, parseKeysFile, parseLegacyKeys } from './keys-file';

const digest = (key: string) => createHash('sha256').update(key).digest('hex');
const entry = (fields: Record<string, unknown>) =>
  JSON.stringify({ keys: [{ id: 'ci-agent', tenant: 'acme', role: 'agent', sha256: digest('k1'), ...fields }] });

describe('parseKeysFile', () => {
  it('reads YAML with one digest or a list of them (rotation), normalised to lower case', () => {
    const yaml = [
      'keys:',
      '  - id: ci-agent',
      '    tenant: acme',
      '    role: agent',
      `    sha256: ${digest('k1').toUpperCase()}`,
      '  - id: ops',
      '    tenant: acme',
      '    role: operator',
      `    sha256: [${digest('old')}, ${digest('new')}]`,
    ].join('\n');
    expect(parseKeysFile(yaml, 'keys.yaml')).toEqual([
      { id: 'ci-agent', tenant: 'acme', role: 'agent', sha256: [digest('k1')] },
      { id: 'ops', tenant: 'acme', role: 'operator', sha256: [digest('old'), digest('new')] },
    ]);
  });

  it('reads JSON', () => {
    expect(parseKeysFile(entry({}), 'keys.json')).toHaveLength(1);
  });

  it.each([
    [{ role: 'root' }, /keys\[0\] \(id "ci-agent"\): role must be one of agent, operator, admin/],
    [{ tenant: 'Acme' }, /keys\[0\] \(id "ci-agent"\): tenant must match/],
    [{ tenant: 'a'.repeat(64) }, /tenant must match/],
    [{ sha256: 'abc' }, /keys\[0\] \(id "ci-agent"\): sha256 must be/],
    [{ sha256: [] }, /sha256 must be/],
    [{ sha256: [digest('a'), 42] }, /sha256 must be/],
    [{ id: 'has space' }, /keys\[0\] \(id "has space"\): id must be/],
    [{ sha265: digest('x') }, /unknown field "sha265"/],
  ])('refuses %j naming the entry and the field', (fields, message) => {
    expect(() => parseKeysFile(entry(fields), 'keys.json')).toThrow(message);
  });

  it('refuses a repeated id and a key shared by two principals', () => {
    const twoIds = { keys: [1, 2].map((n) => ({ id: 'same', tenant: 'a', role: 'agent', sha256: digest(`k${n}`) })) };
    expect(() => parseKeysFile(JSON.stringify(twoIds), 'f')).toThrow(/keys\[1\] \(id "same"\): id repeats keys\[0\]/);
    const shared = { keys: ['a', 'b'].map((id) => ({ id, tenant: 'a', role: 'agent', sha256: digest('k') })) };
    expect(() => parseKeysFile(JSON.stringify(shared), 'f')).toThrow(/also the key of "a"/);
  });

  it.each(['', 'keys: nope', '[1, 2]', 'keys: []\nextra: 1', '{ unclosed'])('refuses the document %j', (text) => {
    expect(() => parseKeysFile(text, 'f')).toThrow(KeysFileError);
  });

  it('never puts the key or its whole digest in a message', () => {
    const shared = { keys: ['a', 'b'].map((id) => ({ id, tenant: 'a', role: 'agent', sha256: digest('secret-key') })) };
    try {
      parseKeysFile(JSON.stringify(shared), 'f');
      throw new Error('expected a KeysFileError');
    } catch (error) {
      expect((error as Error).message).not.toContain(digest('secret-key'));
    }
  });
});

describe('parseLegacyKeys (SAFETY_API_KEYS)', () => {
  it('makes each plain key or sha256: digest an admin of the default tenant, with an id that is not the key', () => {
    const entries = parseLegacyKeys(`first-key, sha256:${digest('second-key').toUpperCase()}`);
    expect(entries).toEqual([
      {
        id: `key-${digest('first-key').slice(0, 12)}`,
        tenant: 'default',
        role: 'admin',
        sha256: [digest('first-key')],
      },
      {
        id: `key-${digest('second-key').slice(0, 12)}`,
        tenant: 'default',
        role: 'admin',
        sha256: [digest('second-key')],
      },
    ]);
    expect(parseLegacyKeys(' , ')).toEqual([]);
    expect(parseLegacyKeys(undefined)).toEqual([]);
  });

  it('refuses a malformed digest entry', () => {
    expect(() => parseLegacyKeys('sha256:abc')).toThrow(/64 hex/);
  });
});
