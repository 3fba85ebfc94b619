import pino from 'pino';
import { Writable } from 'node:stream';
import { PinoNestLogger } from './pino-nest.logger';

function capture(level = 'info'): { logger: PinoNestLogger; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = new PinoNestLogger(pino({ level }, destination));
  return { logger, lines: () => out.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('PinoNestLogger', () => {
  it('merges an object message into the line, with the Nest context', () => {
    const { logger, lines } = capture();
    logger.log({ msg: 'audit budget.spend ok', audit: { run_id: 'r1' } }, 'Audit');
    expect(lines()).toEqual([
      expect.objectContaining({ level: 30, msg: 'audit budget.spend ok', audit: { run_id: 'r1' }, context: 'Audit' }),
    ]);
  });

  it("drops Nest's route mapping lines, whose paths leave out the version", () => {
    const { logger, lines } = capture();
    logger.log('Mapped {/api/safety/check, POST} route', 'RouterExplorer');
    logger.log('PolicyController {/api/safety}:', 'RoutesResolver');
    logger.log('Nest application successfully started', 'NestApplication');
    expect(lines().map((line) => line.context)).toEqual(['NestApplication']);
  });

  it("keeps `context` the logger's name even when the message has a field of that name", () => {
    const { logger, lines } = capture();
    logger.log({ msg: 'm', context: { command: 'ls' } }, 'PolicyGate');
    expect(lines()).toEqual([expect.objectContaining({ msg: 'm', context: 'PolicyGate' })]);
  });

  it("keeps Nest's error(message, stack, context) stack, and logs an Error under err", () => {
    const { logger, lines } = capture();
    logger.error('boom', 'Error: boom\n    at x', 'Bootstrap');
    logger.error(new Error('kaput'), 'Redis');
    const [withStack, withError] = lines();
    expect(withStack).toMatchObject({ level: 50, msg: 'boom', stack: 'Error: boom\n    at x', context: 'Bootstrap' });
    expect(withError).toMatchObject({ level: 50, msg: 'kaput', context: 'Redis', err: { message: 'kaput' } });
  });

  it('writes nothing below the configured level, and maps verbose to trace', () => {
    const { logger, lines } = capture('warn');
    logger.log('hidden', 'X');
    logger.debug('hidden', 'X');
    logger.verbose('hidden', 'X');
    logger.warn('shown', 'X');
    expect(lines().map((line) => line.msg)).toEqual(['shown']);

    const all = capture('trace');
    all.logger.verbose('detail', 'X');
    expect(all.lines()).toEqual([expect.objectContaining({ level: 10, msg: 'detail' })]);
  });
});
