import type { Candidate } from './candidate';

/**
 * A second reading of a text, for what hides a secret from every pattern without changing it: terminal
 * escape sequences (SGR colours from `jq -C`, `grep --color`, `ls`; cursor and erase codes; OSC titles and
 * links) between a key and its value or inside a token, and quotes and separators written in another
 * encoding (`&quot;` in HTML, `\u0022` and `\\\"` in JSON escaped once or twice more, `%22` and `%3A` in a
 * URL-encoded body). The patterns run again on the text with the escape sequences removed and the
 * encodings decoded, and the spans found there are mapped back to the original text.
 */
const SEQUENCE = new RegExp(
  [
    // ESC sequences: CSI, OSC (ended by BEL or ST), and two-character ones; removed.
    String.raw`\x1b(?:\[[0-9;:?<=>]{0,32}[ -/]{0,4}[@-~]|\][^\x07\x1b\n]{0,512}(?:\x07|\x1b\\)|[@-Z\\-_])`,
    // CSI sequences whose escape character is written as an escape (`\u001b[32m` in JSON, `\x1b[`, `\033[`,
    // `\e[`; doubled backslashes in JSON inside JSON); removed.
    String.raw`\\{1,2}(?:u001[bB]|x1[bB]|033|e)\[[0-9;:?<=>]{0,32}[ -/]{0,4}[@-~]`,
    // A quote escaped more than once (`\\\"` of JSON inside JSON inside JSON) reads as escaped once.
    String.raw`(?<run>\\{2,7})(?=["'])`,
    // Quotes, separators, brackets and slashes in another encoding read as themselves (`\/` is JSON's escaped
    // slash, which PHP writes in every URL; Go writes `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026`).
    String.raw`(?<encoded>\\{1,2}(?:u00(?:2[267fF]|3[aAcCdDeE])|\/)|&(?:quot|#34|#x22|apos|#39|#x27|lt|#60|#x3[cC]|gt|#62|#x3[eE]|#61|#x3[dD]|#58|#x3[aA]);|%(?:2[27cC]|3[aAdD]|7[bBdD]))`,
  ].join('|'),
  'g',
);
const HAS_SEQUENCE =
  // eslint-disable-next-line no-control-regex -- escape sequences are made of control characters
  /\x1b|\\(?:u001[bB]|x1[bB]|033|e)\[|\\(?:\\{1,6}["']|u00(?:2[267fF]|3[aAcCdDeE])|\/)|&(?:quot|apos|lt|gt|#3[49]|#x2[27]|#6[012]|#58|#x3[aAcCdDeE]);|%2[27]/;

const DECODED: Record<string, string> = {
  '\\u0022': '"',
  '\\u0027': "'",
  '\\u0026': '&',
  '\\u002f': '/',
  '\\u003a': ':',
  '\\u003c': '<',
  '\\u003d': '=',
  '\\u003e': '>',
  '\\/': '/',
  '%22': '"',
  '%27': "'",
  '%2c': ',',
  '%3a': ':',
  '%3d': '=',
  '%7b': '{',
  '%7d': '}',
  '&quot;': '"',
  '&#34;': '"',
  '&#x22;': '"',
  '&apos;': "'",
  '&#39;': "'",
  '&#x27;': "'",
  '&lt;': '<',
  '&#60;': '<',
  '&#x3c;': '<',
  '&gt;': '>',
  '&#62;': '>',
  '&#x3e;': '>',
  '&#61;': '=',
  '&#x3d;': '=',
  '&#58;': ':',
  '&#x3a;': ':',
};

/** What a matched sequence reads as: nothing for an escape sequence, one character for an encoded one. */
function decoded(match: RegExpExecArray): string {
  const { run, encoded } = match.groups!;
  if (run !== undefined) return '\\';
  if (encoded !== undefined) return DECODED[encoded.replace(/^\\+/, '\\').toLowerCase()];
  return '';
}

/** The decoded text, and for each of its characters the span it came from in the original. */
export interface DecodedView {
  readonly text: string;
  readonly originalStart: Int32Array;
  readonly originalEnd: Int32Array;
}

/**
 * Undefined when the text holds nothing to decode (the common case costs one regex test). The view holds only
 * the lines with a sequence, each with its line break, and a NUL line where lines were left out: a large log
 * with one colour code or one `%22` is read again for that line, not whole.
 */
export function decodedView(text: string): DecodedView | undefined {
  if (!HAS_SEQUENCE.test(text)) return undefined;
  const lines = linesWithSequences(text);
  if (lines.length === 0) return undefined;
  let size = 0;
  for (let i = 0; i < lines.length; i += 2) size += lines[i + 1] - lines[i] + GAP.length;
  const parts: string[] = [];
  const originalStart = new Int32Array(size);
  const originalEnd = new Int32Array(size);
  let length = 0;
  let from = 0;
  const keep = (end: number) => {
    for (let i = from; i < end; i++) {
      originalStart[length] = i;
      originalEnd[length++] = i + 1;
    }
    parts.push(text.slice(from, end));
  };
  for (let i = 0; i < lines.length; i += 2) {
    if (i > 0 && lines[i] !== lines[i - 1]) {
      // Lines left out: a NUL line stands for them, which no value runs through (they never join).
      for (let k = 0; k < GAP.length; k++) {
        originalStart[length] = lines[i - 1];
        originalEnd[length++] = lines[i];
      }
      parts.push(GAP);
    }
    from = lines[i];
    const lineEnd = lines[i + 1];
    SEQUENCE.lastIndex = from;
    for (let match = SEQUENCE.exec(text); match !== null && match.index < lineEnd; match = SEQUENCE.exec(text)) {
      keep(match.index);
      const replacement = decoded(match);
      const end = match.index + match[0].length;
      if (replacement) {
        originalStart[length] = match.index;
        originalEnd[length++] = end;
        parts.push(replacement);
      }
      from = end;
    }
    keep(lineEnd);
  }
  return {
    text: parts.join(''),
    originalStart: originalStart.subarray(0, length),
    originalEnd: originalEnd.subarray(0, length),
  };
}

const GAP = '\x00\n';

/**
 * The lines that hold a sequence, as `[start, end)` pairs (the end after the line break). Sequences never
 * hold a line break; after the first one on a line the search resumes at the next line.
 */
function linesWithSequences(text: string): number[] {
  const lines: number[] = [];
  SEQUENCE.lastIndex = 0;
  for (let match = SEQUENCE.exec(text); match !== null; match = SEQUENCE.exec(text)) {
    const lineStart = text.lastIndexOf('\n', match.index - 1) + 1;
    const lineBreak = text.indexOf('\n', match.index);
    const lineEnd = lineBreak === -1 ? text.length : lineBreak + 1;
    if (lines.length > 0 && lines[lines.length - 1] === lineStart) lines[lines.length - 1] = lineEnd;
    else lines.push(lineStart, lineEnd);
    SEQUENCE.lastIndex = lineEnd;
  }
  return lines;
}

/** Candidates found in the view, as spans of the original text (sequences inside a span are masked with it). */
export function toOriginal(view: DecodedView, found: readonly Candidate[], out: Candidate[]): void {
  for (const candidate of found) {
    out.push({
      ...candidate,
      start: view.originalStart[candidate.start],
      end: view.originalEnd[candidate.end - 1],
    });
  }
}
