import { RedactionError } from '../redaction.errors';

/** recheck's verdict on one regex (subset of its result we rely on). */
interface RecheckDiagnostics {
  status: 'safe' | 'vulnerable' | 'unknown';
  complexity?: { type?: string; summary?: string };
  attack?: { pattern?: string };
}

type CheckSync = (source: string, flags: string, params?: Record<string, unknown>) => RecheckDiagnostics;

let checkSync: CheckSync | undefined;

/** recheck is loaded only when someone asks for a verdict: the built-ins are proven in the test suite, not at boot. */
function recheck(): CheckSync {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: only custom patterns need the checker
  checkSync ??= (require('recheck') as { checkSync: CheckSync }).checkSync;
  return checkSync;
}

/**
 * Proves a regex free of catastrophic backtracking with recheck (automaton
 * analysis plus fuzzing), the way every built-in pattern is proven in tests.
 * `unknown` (recheck gave up) counts as unsafe: we run on a backtracking engine
 * and only accept what is shown to be linear.
 */
export function assertLinearTime(name: string, source: string, flags: string): void {
  const result = recheck()(source, flags.replace(/[gdy]/g, ''), { timeout: 10_000 });
  if (result.status === 'safe') return;
  throw new RedactionError(
    'REDACTION_PATTERN_UNSAFE',
    `Pattern ${name} can backtrack catastrophically (${result.status === 'unknown' ? 'could not be proven linear' : (result.complexity?.summary ?? 'super-linear')})`,
    { pattern: name, complexity: result.complexity?.type ?? result.status },
  );
}

export function checkLinearTime(source: string, flags: string): RecheckDiagnostics {
  return recheck()(source, flags.replace(/[gdy]/g, ''), { timeout: 30_000 });
}
