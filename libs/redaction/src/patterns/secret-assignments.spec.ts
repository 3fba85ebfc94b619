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
