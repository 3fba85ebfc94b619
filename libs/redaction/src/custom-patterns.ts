import { assertLinearTime } from './engine/pattern-safety';
import { RedactionError } from './redaction.errors';
import type { CustomPatternDefinition, SecretPattern } from './redaction.types';

const NAME = /^[A-Z][A-Z0-9_]{0,63}$/;
export const DEFAULT_CUSTOM_MAX_LENGTH = 256;

function invalid(name: string, message: string): RedactionError {
  return new RedactionError('REDACTION_PATTERN_INVALID', `Pattern ${name}: ${message}`, { pattern: name });
}

/** Validates a configured pattern (name, syntax, keywords, linear time) and turns it into a SecretPattern. */
export function toSecretPattern(definition: CustomPatternDefinition): SecretPattern {
  const name = String(definition.name ?? '');
  if (!NAME.test(name))
    throw invalid(name || '(unnamed)', 'name must be UPPER_SNAKE (A-Z, 0-9, _), at most 64 characters');
  const source = definition.regex instanceof RegExp ? definition.regex.source : String(definition.regex ?? '');
  const insensitive =
    definition.caseInsensitive ?? (definition.regex instanceof RegExp && definition.regex.flags.includes('i'));
  const flags = insensitive ? 'i' : '';
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (error) {
    throw invalid(name, `regex does not compile (${(error as Error).message})`);
  }
  if (regex.test('')) throw invalid(name, 'regex matches the empty string');
  if (/\\[1-9]|\\k</.test(source)) throw invalid(name, 'backreferences are not allowed');
  const keywords = [...(definition.keywords ?? [])].map(String);
  if (keywords.some((keyword) => keyword.length < 2 || /[^ -~]/.test(keyword)))
    throw invalid(name, 'keywords must be at least 2 printable ASCII characters');
  const maxLength = definition.maxLength ?? DEFAULT_CUSTOM_MAX_LENGTH;
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > 65536)
    throw invalid(name, 'maxLength must be an integer in 1..65536');
  assertLinearTime(name, source, flags);
  return {
    name,
    description: definition.description ?? `Custom pattern ${name}`,
    regex,
    keywords,
    maxLength,
    confidence: 'high',
  };
}
