import { FakeSecrets } from '@app/redaction/testing';
import pino from 'pino';
import { Writable } from 'node:stream';
import { capLogLine, createLogRedaction, MAX_LOG_LINE_CHARS } from './log-redaction';

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

describe('log line cap', () => {
  it('keeps a line under the cap as it is, and cuts a longer one to its identifying fields', () => {
    const short = JSON.stringify({ level: 30, msg: 'ok' }) + '\n';
    expect(capLogLine(short)).toBe(short);
    const long =
      JSON.stringify({
        level: 30,
        time: 1,
        event: 'policy.decision',
        decision_id: 'd-1',
        huge: 'x'.repeat(1_000_000),
      }) + '\n';
    const capped = capLogLine(long);
    expect(capped.length).toBeLessThanOrEqual(MAX_LOG_LINE_CHARS);
    expect(capped.endsWith('\n')).toBe(true);
    expect(JSON.parse(capped)).toEqual({
      level: 30,
      time: 1,
      event: 'policy.decision',
      decision_id: 'd-1',
      truncated: true,
      original_length: long.length,
    });
    expect(capLogLine('y'.repeat(MAX_LOG_LINE_CHARS + 10)).length).toBe(MAX_LOG_LINE_CHARS + 1);
  });

  it('is applied to every line the logger writes', () => {
    const { redactLine } = createLogRedaction();
    expect(redactLine(JSON.stringify({ msg: 'm', blob: 'z'.repeat(100_000) })).length).toBeLessThanOrEqual(
      MAX_LOG_LINE_CHARS,
    );
  });
});
