import { hostMatchesAllowlist, parseAllowedDomains } from './domain-allowlist';
import { SandboxError } from './sandbox.errors';
import { confineCwd, confineUploadPath } from './upload-limits';

describe('allowed domains', () => {
  it('normalises names and keeps *.suffix wildcards', () => {
    expect(parseAllowedDomains([' Registry.NPMJS.org. ', '*.github.com', 'registry.npmjs.org'])).toEqual([
      'registry.npmjs.org',
      '*.github.com',
    ]);
  });

  it.each(['1.2.3.4', '[::1]', 'https://example.com', 'example.com:443', '*', 'localhost', 'a b.com'])(
    'refuses %j',
    (domain) => {
      expect(() => parseAllowedDomains([domain])).toThrow(SandboxError);
    },
  );

  it('matches a wildcard on subdomains only', () => {
    expect(hostMatchesAllowlist('api.github.com', ['*.github.com'])).toBe(true);
    expect(hostMatchesAllowlist('a.b.github.com', ['*.github.com'])).toBe(true);
    expect(hostMatchesAllowlist('github.com', ['*.github.com'])).toBe(false);
    expect(hostMatchesAllowlist('evilgithub.com', ['*.github.com'])).toBe(false);
    expect(hostMatchesAllowlist('REGISTRY.npmjs.org.', ['registry.npmjs.org'])).toBe(true);
  });
});

describe('upload path confinement', () => {
  it.each([
    ['a.txt', 'a.txt'],
    ['./src//app.js', 'src/app.js'],
    ['/workspace/x/y', 'x/y'],
  ])('accepts %j as %j', (path, confined) => {
    expect(confineUploadPath(path)).toBe(confined);
  });

  it.each(['..', 'a/../b', '/etc/passwd', '/workspace2/x', '/workspace', '', 'a\\b', 'x\0', 'a/', '/workspace/dir/'])(
    'refuses %j',
    (path) => {
      expect(() => confineUploadPath(path)).toThrow(expect.objectContaining({ code: 'SANDBOX_UPLOAD_INVALID' }));
    },
  );

  it('confines the working directory the same way', () => {
    expect(confineCwd(undefined)).toBe('/workspace');
    expect(confineCwd('app/src')).toBe('/workspace/app/src');
    expect(() => confineCwd('../etc')).toThrow(expect.objectContaining({ code: 'SANDBOX_INVALID_ARGUMENT' }));
  });
});
