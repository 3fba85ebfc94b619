import type { Confidence, SecretPattern } from '../redaction.types';

/** A pattern ready to run: global + indices flags, its place in the catalogue (earlier names a shared span). */
export interface CompiledPattern {
  readonly priority: number;
  readonly name: string;
  readonly regex: RegExp;
  readonly keywords: readonly string[];
  readonly caseInsensitive: boolean;
  readonly maxLength: number;
  readonly confidence: Confidence;
  readonly trimTrailing?: string;
  readonly validate?: SecretPattern['validate'];
}

export function compilePattern(pattern: SecretPattern, priority: number): CompiledPattern {
  const caseInsensitive = pattern.regex.flags.includes('i');
  return {
    priority,
    name: pattern.name,
    regex: new RegExp(pattern.regex.source, caseInsensitive ? 'gdi' : 'gd'),
    keywords: pattern.keywords,
    caseInsensitive,
    maxLength: pattern.maxLength,
    confidence: pattern.confidence ?? 'high',
    trimTrailing: pattern.trimTrailing,
    validate: pattern.validate,
  };
}
