import fc from 'fast-check';
import { parsedByShellQuote, shellCommands, splitPlain } from './shell-words';

/** Characters of plain command lines: words, flags, paths, operators, globs, blanks (no quote, escape, `$` or `#`). */
const plainLine = fc.string({
  unit: fc.constantFrom(
    ...'abcXYZ019-_=:/.,@%+*?[]{}~!^ \t|&;()<>',
    '&&',
    '||',
    '<<<',
    '2>&1',
    '<(',
    '>(',
    'é',
    '\u00a0',
  ),
  maxLength: 60,
});

describe('shellCommands', () => {
  it('splits a plain line as shell-quote does (fast path), operators and positions included', () => {
    fc.assert(
      fc.property(plainLine, (line) => {
        expect(splitPlain(line)).toEqual(parsedByShellQuote(line));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves quotes, escapes, expansions and comments to shell-quote', () => {
    expect(shellCommands(`mysql -p'a b' db`)[0].words.map((w) => w.value)).toEqual(['mysql', '-pa b', 'db']);
    expect(shellCommands('echo a\\ b')[0].words.map((w) => w.value)).toEqual(['echo', 'a b']);
    expect(shellCommands('run $HOME # note')[0].words.map((w) => w.value)).toEqual(['run', '$HOME']);
    expect(shellCommands('zip -P ab#cd x.zip')[0].words.map((w) => w.value)).toEqual(['zip', '-P', 'ab#cd', 'x.zip']);
  });

  it('joins commands by their operators and locates each word in the line', () => {
    const [echo, login] = shellCommands('echo s3cr3t | docker login --password-stdin');
    expect(echo.words.map((w) => [w.value, w.at])).toEqual([
      ['echo', 0],
      ['s3cr3t', 5],
    ]);
    expect(login.joinedBy).toBe('|');
    expect(login.words[0]).toEqual({ value: 'docker', at: 14, from: 13 });
  });
});
