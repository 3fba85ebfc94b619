import type { Candidate } from './candidate';

/**
 * Terminal escape sequences (SGR colours from `jq -C`, `grep --color`, `ls`; cursor and erase codes;
 * OSC titles and links). Between a key and its value, or inside a token, they hide the secret from
 * every pattern; the patterns therefore also run on the text without them.
 */
// eslint-disable-next-line no-control-regex -- escape sequences are made of control characters
const ESCAPE_SEQUENCE = /\x1b(?:\[[0-9;:?<=>]{0,32}[ -/]{0,4}[@-~]|\][^\x07\x1b\n]{0,512}(?:\x07|\x1b\\)|[@-Z\\-_])/g;

/** The text without its escape sequences, and for each of its characters the index it had in the original. */
export interface AnsiFreeView {
  readonly text: string;
  readonly originalIndex: Int32Array;
}

/** Undefined when the text holds no escape sequence (the common case costs one indexOf). */
export function ansiFreeView(text: string): AnsiFreeView | undefined {
  if (text.indexOf('\x1b') === -1) return undefined;
  const parts: string[] = [];
  const originalIndex = new Int32Array(text.length + 1);
  let length = 0;
  let from = 0;
  const keep = (end: number) => {
    for (let i = from; i < end; i++) originalIndex[length++] = i;
    parts.push(text.slice(from, end));
  };
  ESCAPE_SEQUENCE.lastIndex = 0;
  for (let match = ESCAPE_SEQUENCE.exec(text); match !== null; match = ESCAPE_SEQUENCE.exec(text)) {
    keep(match.index);
    from = match.index + match[0].length;
  }
  if (from === 0) return undefined;
  keep(text.length);
  originalIndex[length] = text.length;
  return { text: parts.join(''), originalIndex: originalIndex.subarray(0, length + 1) };
}

/** Candidates found in the view, as spans of the original text (escape sequences inside a span are masked with it). */
export function toOriginal(view: AnsiFreeView, found: readonly Candidate[], out: Candidate[]): void {
  for (const candidate of found) {
    out.push({
      ...candidate,
      start: view.originalIndex[candidate.start],
      end: view.originalIndex[candidate.end - 1] + 1,
    });
  }
}
