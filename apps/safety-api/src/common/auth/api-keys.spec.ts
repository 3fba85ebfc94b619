import { createHash } from 'node:crypto';
import { ApiKeySet } from './api-keys';

describe('ApiKeySet', () => {
  it('is disabled when no keys are configured', () => {
    expect(ApiKeySet.parse(undefined).enabled).toBe(false);
    expect(ApiKeySet.parse(' , ').enabled).toBe(false);
  });

  it('matches plain and sha256: entries, and nothing else', () => {
    const digest = createHash('sha256').update('second-key').digest('hex');
    const keys = ApiKeySet.parse(`first-key, sha256:${digest}`);
    expect(keys.matches('first-key')).toBe(true);
    expect(keys.matches('second-key')).toBe(true);
    expect(keys.matches(`sha256:${digest}`)).toBe(false);
    expect(keys.matches('first-key ')).toBe(false);
    expect(keys.matches('')).toBe(false);
  });

  it('rejects a malformed digest entry at boot', () => {
    expect(() => ApiKeySet.parse('sha256:abc')).toThrow(/64 hex/);
  });
});
