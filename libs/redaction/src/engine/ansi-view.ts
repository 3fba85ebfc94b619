import type { Candidate } from './candidate';

/**
 * Terminal escape sequences (SGR colours from `jq -C`, `grep --color`, `ls`; cursor and erase codes;
 * OSC titles and links). Between a key and its value, or inside a token, they hide the secret from
 * every pattern; the patterns therefore also run on the text without them. A log that stores coloured
 * output as text writes the escape character as an escape of its own (`\u001b[32m` in JSON, `\x1b[`,
 * `\033[`, `\e[` in code and shell, doubled backslashes in JSON inside JSON): those CSI sequences are
 * removed the same way.
 */
const ESCAPE_SEQUENCE =
  // eslint-disable-next-line no-control-regex -- escape sequences are made of control characters
  /\x1b(?:\[[0-9;:?<=>]{0,32}[ -/]{0,4}[@-~]|\][^\x07\x1b\n]{0,512}(?:\x07|\x1b\\)|[@-Z\\-_])|\\{1,2}(?:u001[bB]|x1[bB]|033|e)\[[0-9;:?<=>]{0,32}[ -/]{0,4}[@-~]/g;
/** Whether the text may hold an escaped escape character; tried only when it holds a backslash. */
const ESCAPED_ESCAPE = /\\(?:u001[bB]|x1[bB]|033|e)\[/;

/** The text without its escape sequences, and for each of its characters the index it had in the original. */
export interface AnsiFreeView {
  readonly text: string;
  readonly originalIndex: Int32Array;
}

/** Undefined when the text holds no escape sequence (the common case costs one indexOf). */
export function ansiFreeView(text: string): AnsiFreeView | undefined {
  if (text.indexOf('\x1b') === -1 && (text.indexOf('\\') === -1 || !ESCAPED_ESCAPE.test(text))) return undefined;
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
