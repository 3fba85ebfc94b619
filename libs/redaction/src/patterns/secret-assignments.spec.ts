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

/**
 * `&`, `;`, `,` and `'` inside a bare value: the password's own characters unless they start the next
 * parameter, end a shell list or an HTML entity, or make an English contraction.
 */
describe('separator characters inside bare values', () => {
  const redactor = new Redactor();

  it.each([
    ['DB_PASSWORD=Xq7&mZ2pLk9w', 'DB_PASSWORD=[REDACTED:PASSWORD]'],
    ['password: Xq7;mZ2pLk9w', 'password: [REDACTED:PASSWORD]'],
    ['smtp.password=Xq7,mZ2pLk9w', 'smtp.password=[REDACTED:PASSWORD]'],
    ["ADMIN_PASS=Xq7'mZ2pLk9w", 'ADMIN_PASS=[REDACTED:PASSWORD]'],
    ['api_token=ghx8Hq2LmZ9p&Qr4TvW7y', 'api_token=[REDACTED:GENERIC_SECRET]'],
  ])('removes the whole value of %j', (line, expected) => {
    expect(redactor.redact(line)).toBe(expected);
  });

  it.each([
    ['?user=bob&password=Xq7mZ2pL&next=/home', '?user=bob&password=[REDACTED:PASSWORD]&next=/home'],
    ['Password=Xq7mZ2pL;Server=db01', 'Password=[REDACTED:PASSWORD];Server=db01'],
    ['password=Xq7mZ2pL, user=bob', 'password=[REDACTED:PASSWORD], user=bob'],
    ['export PASS=Xq7mZ2pL&&run', 'export PASS=[REDACTED:PASSWORD]&&run'],
    ['href="?pwd=Xq7mZ2pL&amp;x=1"', 'href="?pwd=[REDACTED:PASSWORD]&amp;x=1"'],
    ['password=Xq7mZ2pL;', 'password=[REDACTED:PASSWORD];'],
  ])('ends the value where the next parameter or command starts in %j', (line, expected) => {
    expect(redactor.redact(line)).toBe(expected);
  });

  it.each(['status=pass;next=fail', 'pass=1,2,3', "password=it's the same", 'PASSWORD_MIN_LENGTH=8,PASSWORD_MAX=64'])(
    'judges a value by the part before the separator: %j stays',
    (line) => {
      expect(redactor.redact(line)).toBe(line);
    },
  );

  it('judges a quoted value whole, separators included', () => {
    expect(redactor.redact('password="ab,cdefgh"')).toBe('password="[REDACTED:PASSWORD]"');
  });

  it.each([
    ['password = """Xq7&mZ2pLk9w"""', 'password = """[REDACTED:PASSWORD]"""'],
    ["DB_PASSWORD = '''Xq7mZ2pLk9w'''", "DB_PASSWORD = '''[REDACTED:PASSWORD]'''"],
  ])('takes a triple-quoted value whole: %j', (line, expected) => {
    expect(redactor.redact(line)).toBe(expected);
  });
});
