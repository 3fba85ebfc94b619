import { checkLinearTime } from '../engine/pattern-safety';
import { Redactor } from '../redactor';
import { BUILTIN_PATTERNS } from './catalogue';

/**
 * The engine is V8's backtracking irregexp, so linear time is proven per
 * pattern: recheck's analysis must call each regex safe, and each pattern
 * must get through 1 MB of input built to make it backtrack.
 */
describe('built-in patterns are linear-time', () => {
  it.each(BUILTIN_PATTERNS.map((p, i) => [`${i}:${p.name}`, p]))('%s is proven safe by recheck', (_label, pattern) => {
    const { regex } = pattern as (typeof BUILTIN_PATTERNS)[number];
    const result = checkLinearTime(regex.source, regex.flags);
    expect({ status: result.status, complexity: result.complexity?.type }).toEqual({ status: 'safe', complexity: 'safe' });
  }, 60_000);

  const MB = 1024 * 1024;
  const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
  const adversarial = (keyword: string): string[] => [
    fill(keyword),
    fill(`${keyword}a`),
    fill(`${keyword}=`),
    fill(`${keyword}: "`),
    keyword + fill('a'),
    keyword + fill('A1'),
    keyword + '=' + fill(' '),
    keyword + fill('-'),
    fill(`${keyword}://a:`),
    fill(`${keyword}.eyJ`),
  ];

  it.each(BUILTIN_PATTERNS.map((p, i) => [`${i}:${p.name}`, p]))('%s gets through 1 MB adversarial inputs', (_label, pattern) => {
    const p = pattern as (typeof BUILTIN_PATTERNS)[number];
    const redactor = new Redactor({ patterns: [p], maxTextBytes: 4 * MB });
    const keywords = p.keywords.length > 0 ? p.keywords : ['M', 'MTIzNDU2Nzg5MDEyMzQ1Njc4.'];
    for (const keyword of keywords.slice(0, 3)) {
      for (const input of adversarial(keyword)) expect(typeof redactor.redact(input)).toBe('string');
    }
  }, 60_000);
});
