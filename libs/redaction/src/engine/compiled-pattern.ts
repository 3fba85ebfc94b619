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
  readonly opensAt?: SecretPattern['opensAt'];
  readonly opensAfterAlphanumeric?: boolean;
  /** Sticky: `afterKeyName`, tested where the key name around a keyword hit ends. */
  readonly afterKeyName?: RegExp;
  /** The punctuation character every match starts with (`<` of `<password>`), when the regex begins with one. */
  readonly leadingChar?: string;
  readonly gate?: SecretPattern['gate'];
  readonly confidence: Confidence;
  readonly trimTrailing?: string;
  readonly runsToLineEnd?: boolean;
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
    opensAt: pattern.opensAt,
    opensAfterAlphanumeric: pattern.opensAfterAlphanumeric,
    afterKeyName: pattern.afterKeyName && new RegExp(pattern.afterKeyName.source, `y${flags}`),
    leadingChar: leadingPunctuation(pattern.regex.source),
    gate: pattern.gate,
    confidence: pattern.confidence ?? 'high',
    trimTrailing: pattern.trimTrailing,
    runsToLineEnd: pattern.runsToLineEnd,
    validate: pattern.validate,
  };
}

/**
 * `<…`, `\(…`, `--…` (after a leading lookbehind, which consumes nothing): a literal punctuation
 * character that opens every match; undefined otherwise, and whenever a top-level `|` offers another
 * opening.
 */
function leadingPunctuation(pattern: string): string | undefined {
  if (hasTopLevelAlternation(pattern)) return undefined;
  let source = pattern;
  if (source.startsWith('(?<!') || source.startsWith('(?<=')) source = source.slice(groupEnd(source, 0) + 1);
  const first = source[0] === '\\' ? source[1] : source[0];
  if (first === undefined || /[A-Za-z0-9\s]/.test(first)) return undefined;
  if (source[0] !== '\\' && '^$.|?*+()[]{}'.includes(first)) return undefined;
  // A quantifier right after it would make it optional.
  const next = source[source[0] === '\\' ? 2 : 1];
  return next !== undefined && '?*{'.includes(next) ? undefined : first;
}

/** Index of the `)` closing the group that opens at `open` (escapes and classes skipped); the end if none. */
function groupEnd(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return source.length;
}

function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return true;
  }
  return false;
}
