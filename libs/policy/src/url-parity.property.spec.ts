import { Logger } from '@nestjs/common';
import fc from 'fast-check';
import type { PolicyGate } from '@app/policy';
import { CORPUS_POLICY, createReadyPolicyGate } from '@app/policy/testing';

/**
 * One URL parser (WHATWG, as browsers and undici read URLs) for `network_access` and for the hosts
 * inside commands: for any spelling of a URL the two verdicts agree, and the host they name is the
 * host `new URL()` finds, whatever userinfo, backslashes, `@` in the path, trailing dots, IDN or
 * numeric IP spellings the URL uses.
 */
const HOSTS = [
  'github.com',
  'registry.npmjs.org',
  'evil.example',
  'GitHub.COM',
  'github.com.',
  'xn--gthub-2ua.com',
  'gіthub.com', // Cyrillic і
  '127.0.0.1',
  '2130706433',
  '0x7f000001',
  '0177.0.0.1',
  '127.1',
  '[::ffff:127.0.0.1]',
  '10.0.0.5',
  '169.254.169.254',
  '[::1]',
];
const USERINFO = ['', 'user@', 'user:pw@', 'github.com@', 'evil.example:x@'];
const PATHS = ['/', '/x', '/@evil.example/', '/a?b=@evil.example', '\\\\@evil.example/', '#@evil.example'];

describe('URL parsing parity: network_access and hosts in commands', () => {
  let gate: PolicyGate;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    gate = await createReadyPolicyGate(CORPUS_POLICY);
  });
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it('judges every spelling of a URL the same way in both places, naming the WHATWG host', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('http', 'https'),
        fc.constantFrom(...USERINFO),
        fc.constantFrom(...HOSTS),
        fc.constantFrom(...PATHS),
        (scheme, userinfo, host, path) => {
          const url = `${scheme}://${userinfo}${host}${path}`;
          let parsed: URL;
          try {
            parsed = new URL(url);
          } catch {
            return;
          }
          const expected = parsed.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
          const access = gate.decide('network_access', { url, method: 'GET' });
          const command = gate.decide('execute_code', { command: `curl -s '${url}'`, cwd: '/home/dev/app' });
          expect({ url, reachable: command.decision === 'allow' }).toEqual({
            url,
            reachable: access.decision === 'allow',
          });
          if (access.decision !== 'allow') {
            // The refusal names the parsed host, not one written elsewhere in the URL.
            expect(access.reason).toContain(expected.startsWith('::') ? expected : expected.split(':')[0]);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
