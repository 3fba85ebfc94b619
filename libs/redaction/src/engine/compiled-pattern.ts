import type { Confidence, SecretPattern } from '../redaction.types';

/**
 * A pattern ready to run: its place in the catalogue (earlier names a shared
 * span), a global regex for window scans and a sticky one for attempts at
 * chosen positions, both with indices (for the `secret` group).
 */
export interface CompiledPattern {
  readonly priority: number;
  readonly name: string;
  readonly regex: RegExp;
  readonly sticky: RegExp;
  readonly keywords: readonly string[];
  /** `keywords` as a match is compared with them (lower case for case-insensitive patterns). */
  readonly foldedKeywords: readonly string[];
  readonly caseInsensitive: boolean;
  readonly maxLength: number;
  readonly keywordOffset?: number;
  readonly confidence: Confidence;
  readonly trimTrailing?: string;
  readonly validate?: SecretPattern['validate'];
}

export function compilePattern(pattern: SecretPattern, priority: number): CompiledPattern {
  const caseInsensitive = pattern.regex.flags.includes('i');
  const flags = caseInsensitive ? 'di' : 'd';
  return {
    priority,
    name: pattern.name,
    regex: new RegExp(pattern.regex.source, `g${flags}`),
    sticky: new RegExp(pattern.regex.source, `y${flags}`),
    keywords: pattern.keywords,
    foldedKeywords: caseInsensitive ? pattern.keywords.map((keyword) => keyword.toLowerCase()) : pattern.keywords,
    caseInsensitive,
    maxLength: pattern.maxLength,
    keywordOffset: pattern.keywords.length > 0 ? pattern.keywordOffset : undefined,
    confidence: pattern.confidence ?? 'high',
    trimTrailing: pattern.trimTrailing,
    validate: pattern.validate,
  };
}
