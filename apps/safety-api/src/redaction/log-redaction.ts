import { Redactor, redactValue } from '@app/redaction';
import type { LoggerOptions } from 'pino';

/**
 * Makes every line pino writes pass through the Redactor, via pino's last
 * hook (`hooks.streamWrite`, the serialized line just before it is written):
 * message, bindings of child loggers, serializer output (request route,
 * errors) alike. The line is parsed and each string redacted on its real
 * value (so a secret hidden by JSON escaping is still seen), and the values of
 * secret-named keys (`password`, `token`, `apiKey`, …) are replaced.
 * A line that is not JSON is redacted as text.
 *
 * Lines are capped at MAX_LOG_LINE_CHARS before that: a longer line keeps only its identifying
 * fields (level, time, event, message, ids), each cut to 1 KiB, and says `truncated` with the
 * original length. So no request can make the service write megabytes per line.
 *
 * Fast path, for throughput: most lines (request logs) hold nothing
 * secret-looking. A line with no backslash (so no JSON escaping can hide a
 * secret), no secret-named key and no pattern finding on its raw text is
 * written as is; the full parse-and-walk runs only for the rest.
 */
/** Key names whose values redactValue replaces whatever they hold; such lines always take the full path. */
const SECRET_NAMED_KEY = /pass|pwd|secret|token|key|auth|cookie|session|credential|private|signature/i;

/** Longest log line written as is. */
export const MAX_LOG_LINE_CHARS = 16 * 1024;
const KEPT_WHEN_TRUNCATED = [
  'level',
  'time',
  'service',
  'context',
  'event',
  'msg',
  'request_id',
  'decision_id',
  'key_id',
  'tenant',
  'action',
  'decision',
  'policy_version',
];

export function capLogLine(line: string): string {
  if (line.length <= MAX_LOG_LINE_CHARS) return line;
  const trailing = line.endsWith('\n') ? '\n' : '';
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const kept: Record<string, unknown> = {};
    for (const key of KEPT_WHEN_TRUNCATED) {
      const value = entry[key];
      if (value !== undefined) kept[key] = typeof value === 'string' ? value.slice(0, 1024) : value;
    }
    return JSON.stringify({ ...kept, truncated: true, original_length: line.length }) + trailing;
  } catch {
    return line.slice(0, MAX_LOG_LINE_CHARS) + '…' + trailing;
  }
}

export function createLogRedaction(redactor: Redactor = new Redactor({ maxTextBytes: Number.POSITIVE_INFINITY })) {
  const redactLine = (raw: string): string => {
    const line = capLogLine(raw);
    if (!line.includes('\\') && !SECRET_NAMED_KEY.test(line) && redactor.findUnchecked(line, {}).length === 0)
      return line;
    const trailing = line.endsWith('\n') ? '\n' : '';
    try {
      return JSON.stringify(redactValue(redactor, JSON.parse(line) as unknown)) + trailing;
    } catch {
      return redactor.redactUnbounded(line);
    }
  };
  const options: Pick<LoggerOptions, 'hooks'> = { hooks: { streamWrite: redactLine } };
  return { options, redactLine, redactor };
}
