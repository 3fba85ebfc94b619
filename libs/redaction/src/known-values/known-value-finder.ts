import type { Candidate } from '../engine/candidate';
import { valueVariants } from './value-variants';

/** Priority of caller-named values: they win a tie against any pattern. */
export const KNOWN_VALUE_PRIORITY = -1;

export interface KnownValue {
  name: string;
  value: string;
}

/** Every occurrence of every variant of every known value (literal search, linear per variant). */
export function findKnownValues(text: string, values: readonly KnownValue[], out: Candidate[]): void {
  for (const { name, value } of values) {
    for (const variant of valueVariants(value)) {
      let at = text.indexOf(variant);
      while (at !== -1) {
        out.push({ name, start: at, end: at + variant.length, confidence: 'high', priority: KNOWN_VALUE_PRIORITY });
        at = text.indexOf(variant, at + variant.length);
      }
    }
  }
}

/** Length of the longest printed form of these values (the stream must hold that much back). */
export function longestVariant(values: readonly KnownValue[]): number {
  let longest = 0;
  for (const { value } of values)
    for (const variant of valueVariants(value)) longest = Math.max(longest, variant.length);
  return longest;
}
