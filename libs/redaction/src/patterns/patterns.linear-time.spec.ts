import { checkLinearTime } from '../engine/pattern-safety';
import { BUILTIN_PATTERNS } from './catalogue';

/**
 * The engine is V8's backtracking irregexp, so linear time is proven per
 * pattern: recheck's analysis must call each regex safe. What 1 MB of input
 * built against each pattern does is in patterns.adversarial.spec.ts.
 */
describe('built-in patterns are linear-time', () => {
  it.each(BUILTIN_PATTERNS.map((p, i) => [`${i}:${p.name}`, p]))(
    '%s is proven safe by recheck',
    (_label, pattern) => {
      const { regex } = pattern as (typeof BUILTIN_PATTERNS)[number];
      const result = checkLinearTime(regex.source, regex.flags);
      expect({ status: result.status, complexity: result.complexity?.type }).toEqual({
        status: 'safe',
        complexity: 'safe',
      });
    },
    60_000,
  );
});
