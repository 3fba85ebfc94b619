import { FakeSecrets } from '@app/redaction/testing';
import pino from 'pino';
import { Writable } from 'node:stream';
import { createLogRedaction } from './log-redaction';

describe('createLogRedaction (pino options)', () => {
  const fake = new FakeSecrets();

  function capture() {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const redaction = createLogRedaction();
    const logger = pino(
      {
        ...redaction.options,
        serializers: { req: (req: { url: string }) => ({ route: req.url }) },
      },
      destination,
    );
    return { logger, lines };
  }

  it('redacts messages, interpolation, objects, secret-named keys, serializer output, bindings and errors', () => {
    const { logger, lines } = capture();
    const token = fake.githubClassic();
    const password = fake.password();
    const jwt = fake.jwt();
    logger.info(`GET /bot/${token} 404`);
    logger.info('user %s logged in with %s', 'ann', `password=${password}`);
    logger.info({ body: { nested: [`Bearer ${jwt}`] }, password, apiKey: 'short' }, 'body');
    logger.info({ req: { url: `/x/${token}` } }, 'request');
    logger.child({ auth: `token ${token}` }).warn('child');
    logger.error(new Error(`failed with ${token}`));
    const out = lines.join('');
    for (const secret of [token, password, jwt, 'short']) expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED:GITHUB_TOKEN]');
    expect(out).toContain('"password":"[REDACTED:PASSWORD]"');
    expect(out).toContain('"apiKey":"[REDACTED:API_KEY]"');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});
