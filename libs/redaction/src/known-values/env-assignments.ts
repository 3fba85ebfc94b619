import type { Candidate } from '../engine/candidate';
import { RedactionError } from '../redaction.errors';
import { KNOWN_VALUE_PRIORITY, type KnownValue } from './known-value-finder';

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;
export const MAX_ENV_VALUE_LENGTH = 4096;

const escape = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const VALUE = String.raw`(?:"(?<dq>(?:[^"\\\n]|\\.){1,4096})"|'(?<sq>[^'\n]{1,4096})'|(?<raw>[^\s"',;]{1,4096}))`;

/** Compiled matchers for the assignment forms of one variable name. */
export class EnvAssignmentMatcher {
  private readonly assignment: RegExp;
  private readonly flag: RegExp;

  constructor(readonly name: string) {
    if (!ENV_NAME.test(name)) {
      throw new RedactionError(
        'REDACTION_INVALID_ARGUMENT',
        'An environment variable name must match [A-Za-z_][A-Za-z0-9_.-]{0,127}',
        {
          pointer: '/env_vars',
        },
      );
    }
    // NAME=v, export NAME=v, NAME: v, "NAME": "v", NAME := v
    this.assignment = new RegExp(
      String.raw`(?<![A-Za-z0-9_.-])${escape(name)}["']?[ \t]{0,4}(?::=|=|:(?!//))[ \t]{0,4}${VALUE}`,
      'g',
    );
    // --name v, --name=v (DATABASE_URL → --database-url)
    const flag = name.toLowerCase().replace(/_/g, '-');
    this.flag = new RegExp(String.raw`(?<![A-Za-z0-9_-])--${escape(flag)}(?:=|[ \t]{1,4})${VALUE}`, 'gi');
  }

  /** Adds the value spans to `out` and returns the values seen (unescaped), for masking their recurrences. */
  find(text: string, out: Candidate[]): string[] {
    const values: string[] = [];
    for (const regex of [this.assignment, this.flag]) {
      regex.lastIndex = 0;
      let match: RegExpExecArray | null;
      while ((match = regex.exec(text)) !== null) {
        const { dq, sq, raw } = match.groups!;
        const literal = dq ?? sq ?? raw;
        if (literal === undefined || isReference(literal)) continue;
        // VALUE ends both regexes, so the value ends the match (a quoted one one character before,
        // at its closing quote): its span needs no `d` flag, which V8 makes ~10x dearer per match.
        const end = match.index + match[0].length - (raw === undefined ? 1 : 0);
        out.push({
          name: this.name,
          start: end - literal.length,
          end,
          confidence: 'high',
          priority: KNOWN_VALUE_PRIORITY,
        });
        values.push(dq !== undefined ? unescapeJson(literal) : literal);
      }
    }
    return values;
  }
}

/** Not a value: our own marker, or a reference to another variable. */
export function isReference(value: string): boolean {
  return /^\[REDACTED:[^\]]*\]$|^\$\{[^}]*\}$|^\$[A-Za-z_][A-Za-z0-9_]*$/.test(value);
}

function unescapeJson(value: string): string {
  try {
    return JSON.parse(`"${value}"`) as string;
  } catch {
    return value;
  }
}

export function envValuesAsKnown(name: string, values: readonly string[]): KnownValue[] {
  return values.map((value) => ({ name, value }));
}
