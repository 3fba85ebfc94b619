import type { Confidence, SecretPattern } from '../redaction.types';
import { type SecretPlacement, secretPlacement } from './secret-group';

/**
 * A pattern ready to run: its place in the catalogue (earlier names a shared
 * span), a global regex for window scans and a sticky one for attempts at
 * chosen positions, and a sticky one with indices that locates the `secret`
 * group when the match alone cannot (see secret-group.ts).
 */
export interface CompiledPattern {
  readonly priority: number;
  readonly name: string;
  readonly regex: RegExp;
  readonly sticky: RegExp;
  readonly stickyWithIndices: RegExp;
  /** How the `secret` group can be located from a match without `stickyWithIndices`. */
  readonly secretPlacement: SecretPlacement;
  readonly keywords: readonly string[];
  /** True when a string contains one of `keywords` (in the pattern's case mode); undefined without keywords. */
  readonly keywordTest?: RegExp;
  /** True when a string ends like this pattern's key and separator (`…pass=`): what follows is that key's value. */
  readonly keyEnd?: RegExp;
  readonly caseInsensitive: boolean;
  readonly maxLength: number;
  readonly keywordOffset?: number;
  /** The punctuation character every match starts with (`<` of `<password>`), when the regex begins with one. */
  readonly leadingChar?: string;
  readonly gate?: RegExp;
  readonly confidence: Confidence;
  readonly trimTrailing?: string;
  readonly validate?: SecretPattern['validate'];
}

const escapeLiteral = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

export function compilePattern(pattern: SecretPattern, priority: number): CompiledPattern {
  const caseInsensitive = pattern.regex.flags.includes('i');
  // The pattern's case mode, shared by every regex compiled from it (each adds its own g, y or d).
  const flags = caseInsensitive ? 'i' : '';
  const anyKeyword = pattern.keywords.length > 0 ? pattern.keywords.map(escapeLiteral).join('|') : undefined;
  return {
    priority,
    name: pattern.name,
    regex: new RegExp(pattern.regex.source, `g${flags}`),
    sticky: new RegExp(pattern.regex.source, `y${flags}`),
    stickyWithIndices: new RegExp(pattern.regex.source, `yd${flags}`),
    secretPlacement: secretPlacement(pattern.regex.source),
    keywords: pattern.keywords,
    keywordTest: anyKeyword === undefined ? undefined : new RegExp(anyKeyword, flags),
    keyEnd:
      anyKeyword === undefined
        ? undefined
        : new RegExp(`(?:${anyKeyword})[A-Za-z0-9_.-]{0,24}["']?\\s{0,4}(?::=|=>|[:=])\\s{0,4}["']?$`, flags),
    caseInsensitive,
    maxLength: pattern.maxLength,
    keywordOffset: pattern.keywords.length > 0 ? pattern.keywordOffset : undefined,
    leadingChar: leadingPunctuation(pattern.regex.source),
    gate: pattern.gate,
    confidence: pattern.confidence ?? 'high',
    trimTrailing: pattern.trimTrailing,
    validate: pattern.validate,
  };
}

/** `<…`, `\(…`, `"…`: a literal punctuation character that opens every match; undefined otherwise. */
function leadingPunctuation(source: string): string | undefined {
  const first = source[0] === '\\' ? source[1] : source[0];
  if (first === undefined || /[A-Za-z0-9\s]/.test(first)) return undefined;
  if (source[0] !== '\\' && '^$.|?*+()[]{}'.includes(first)) return undefined;
  // A quantifier or alternation right after it would make it optional.
  const next = source[source[0] === '\\' ? 2 : 1];
  return next !== undefined && '?*{|'.includes(next) ? undefined : first;
}
