import { Redactor } from '../redactor';

/** Values of secret-key-named assignments go whole, whatever touches their end. */
describe('secret-named assignments', () => {
  const redactor = new Redactor();
  const key = '/8AKFrldwkHMR5HeZVcaPMM+J8l/1lT8IKJKvFJ7';

  it.each([
    [`aws_secret_access_key = ${key}`],
    [`aws_secret_access_key = ${key}/a next`],
    [`AWS_SECRET_ACCESS_KEY=${key}abc`],
    [`aws_secret_access_key: "${key}"`],
  ])('leaves nothing of the key in %j', (line) => {
    const redacted = redactor.redact(line);
    expect(redacted).toContain('[REDACTED:AWS_SECRET_ACCESS_KEY]');
    expect(redacted).not.toContain(key.slice(0, 8));
    expect(redacted).not.toContain(key.slice(-8));
  });

  it('keeps what follows the value', () => {
    expect(redactor.redact(`aws_secret_access_key = ${key} next`)).toBe(
      'aws_secret_access_key = [REDACTED:AWS_SECRET_ACCESS_KEY] next',
    );
  });
});

/** An assignment with no value ends its line: the next line is never taken as its value. */
describe('empty assignments', () => {
  const redactor = new Redactor();
  const keys = ['DB_PASSWORD', 'password', 'passwd', 'api_token', 'SECRET_KEY', 'client_secret'];
  const operators = ['=', ': ', ' = ', ':=', ' => ', '="', ": '"];
  const nextLines = ['LOG_LEVEL=debug', 'user: alice', '  region: eu-west-1', 'Started worker 7b2f91c0a4'];
  it.each(keys.flatMap((key) => operators.map((operator) => [key, operator] as const)))(
    '%s%s then a new line',
    (key, operator) => {
      for (const next of nextLines) {
        const text = `${key}${operator}\n${next}\n`;
        expect(redactor.redact(text)).toBe(text);
      }
    },
  );

  it.each(keys)('still removes a value on the same line (%s)', (key) => {
    const value = 'Xq7~pz!9aKf2Lm0';
    for (const operator of ['=', ': ', ' = ']) {
      const redacted = redactor.redact(`${key}${operator}${value}\nLOG_LEVEL=debug\n`);
      expect(redacted).not.toContain(value);
      expect(redacted).toContain('\nLOG_LEVEL=debug\n');
    }
  });
});
