export const REDACTION_ERROR_CODES = [
  'REDACTION_TEXT_TOO_LARGE',
  'REDACTION_PATTERN_UNSAFE',
  'REDACTION_PATTERN_INVALID',
  'REDACTION_INVALID_ARGUMENT',
  'REDACTION_BUSY',
] as const;
export type RedactionErrorCode = (typeof REDACTION_ERROR_CODES)[number];

/**
 * Every failure the redaction lib reports. `message` is safe to show a client
 * (it never contains the text being redacted); `extensions` carry facts such
 * as the byte limit that was exceeded.
 */
export class RedactionError extends Error {
  constructor(
    readonly code: RedactionErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'RedactionError';
  }
}

export function textTooLarge(bytes: number, maxBytes: number): RedactionError {
  return new RedactionError('REDACTION_TEXT_TOO_LARGE', `Text is ${bytes} bytes; the limit is ${maxBytes} bytes`, {
    max_text_bytes: maxBytes,
  });
}
