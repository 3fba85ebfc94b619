import fc from 'fast-check';
import type { Candidate } from '../engine/candidate';
import { EnvAssignmentMatcher, isReference } from './env-assignments';

/** The reference: the value group's indices as V8 reports them when the matcher's regexes run with `d`. */
function referenceSpans(matcher: EnvAssignmentMatcher, text: string): Array<[number, number]> {
  const regexes = matcher as unknown as { assignment: RegExp; flag: RegExp };
  const spans: Array<[number, number]> = [];
  for (const regex of [regexes.assignment, regexes.flag]) {
    for (const match of text.matchAll(new RegExp(regex.source, `${regex.flags}d`))) {
      const groups = match.indices!.groups!;
      const span = groups.dq ?? groups.sq ?? groups.raw;
      const literal = text.slice(span[0], span[1]);
      if (!isReference(literal)) spans.push([span[0], span[1]]);
    }
  }
  return spans;
}

function spans(matcher: EnvAssignmentMatcher, text: string): Array<[number, number]> {
  const out: Candidate[] = [];
  matcher.find(text, out);
  return out.map((candidate) => [candidate.start, candidate.end]);
}

describe('EnvAssignmentMatcher', () => {
  const matcher = new EnvAssignmentMatcher('DB_URL');

  it('finds the value span of every assignment form, quoted or not', () => {
    const text = `DB_URL=a1 export DB_URL="b \\"2" DB_URL: 'c3' "DB_URL": "d4" DB_URL := e5 --db-url f6 --db-url=g7`;
    const found = spans(matcher, text).map(([start, end]) => text.slice(start, end));
    expect(found).toEqual(['a1', 'b \\"2', 'c3', 'd4', 'e5', 'f6', 'g7']);
  });

  it('gives the spans the d flag gives, on generated assignments with repeating values', () => {
    const piece = fc.constantFrom(
      'DB_URL',
      '--db-url',
      '=',
      ':',
      ':=',
      ' ',
      '"',
      "'",
      '\\"',
      'DB',
      'x',
      '${X}',
      ',',
      '\n',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        expect(spans(matcher, text)).toEqual(referenceSpans(matcher, text));
      }),
      { numRuns: 3000 },
    );
  });
});
