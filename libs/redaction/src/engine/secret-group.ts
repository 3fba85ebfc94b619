/**
 * Where a match's `secret` group lies, without running every regex with the
 * `d` (indices) flag. In V8 a successful exec with `d` costs about ten times one
 * without (it builds the indices arrays in the runtime, ~0.7 µs against ~0.06 µs
 * here), and a redaction runs several such execs. Where the pattern's shape
 * allows, the position follows from the match alone (secretPlacement);
 * otherwise the same regex with `d` runs once, sticky at the match's start,
 * and reports it.
 */

/**
 * - `ends-match`: the group is the pattern's last consuming part (top level, not
 *   quantified, no top-level `|`, only lookarounds after it), so it ends where the match ends.
 * - `in-match`: the group is not inside a lookaround, so its text lies within the match.
 * - `unknown`: anything else (a group inside a lookaround, or a source we cannot read).
 */
export type SecretPlacement = 'ends-match' | 'in-match' | 'unknown';

const LOOKAROUND_OPENINGS = ['(?=', '(?!', '(?<=', '(?<!'];
const SECRET_OPENING = '(?<secret>';

/** Index of the character that closes the group or class opening at `open`, or -1. Escapes are skipped. */
function closing(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (inClass) {
      if (ch === ']') {
        if (source[open] === '[') return i;
        inClass = false;
      }
    } else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/** True when a `(?<secret>…)` group sits inside a lookaround, so its text need not be part of the match. */
function secretGroupInLookaround(source: string): boolean {
  const open: boolean[] = []; // per open group: is it a lookaround?
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      inClass = true;
    } else if (ch === '(') {
      if (source.startsWith(SECRET_OPENING, i) && open.includes(true)) return true;
      open.push(LOOKAROUND_OPENINGS.some((opening) => source.startsWith(opening, i)));
    } else if (ch === ')') {
      // Unbalanced: we cannot tell, so assume the worst (the indices path is always exact).
      if (open.pop() === undefined) return true;
    }
  }
  return open.length > 0;
}

/** How a pattern's `secret` group can be located from a match (see SecretPlacement). */
export function secretPlacement(source: string): SecretPlacement {
  if (secretGroupInLookaround(source)) return 'unknown';
  let secretClosed = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    const isGroup = ch === '(';
    if (isGroup && !secretClosed && source.startsWith(SECRET_OPENING, i)) {
      i = closing(source, i);
      if (i === -1) return 'unknown';
      secretClosed = true;
      continue;
    }
    // After the group only lookarounds may follow (a quantifier, a `|` or anything consuming ends it).
    if (secretClosed && !(isGroup && LOOKAROUND_OPENINGS.some((opening) => source.startsWith(opening, i))))
      return 'in-match';
    if (ch === '|') return 'in-match';
    if (ch === '\\') i++;
    else if (isGroup || ch === '[') i = closing(source, i);
    if (i === -1) return 'unknown';
  }
  return secretClosed ? 'ends-match' : 'in-match';
}

/**
 * Start and end of the `secret` group in `text` for `match` (found in `text`),
 * or of the whole match when the group did not take part. `withIndices` is the
 * match's regex with the `d` and `y` flags; `placement` is its secretPlacement.
 */
export function secretGroupSpan(
  text: string,
  match: RegExpExecArray,
  withIndices: RegExp,
  placement: SecretPlacement,
): [number, number] {
  const secret = match.groups?.secret;
  const matchEnd = match.index + match[0].length;
  if (secret === undefined) return [match.index, matchEnd];
  if (placement === 'ends-match') return [matchEnd - secret.length, matchEnd];
  if (placement === 'in-match') {
    const at = match[0].indexOf(secret);
    if (at !== -1 && match[0].indexOf(secret, at + 1) === -1)
      return [match.index + at, match.index + at + secret.length];
  }
  withIndices.lastIndex = match.index;
  const span = withIndices.exec(text)?.indices?.groups?.secret;
  // A sticky re-run at the same start reproduces the match; were it ever not to, the whole match is masked (more, never less).
  return span ? [span[0], span[1]] : [match.index, matchEnd];
}
