/**
 * Where a match's `secret` group lies, without running every regex with the
 * `d` (indices) flag. In V8 a successful exec with `d` costs about ten times one
 * without (it builds the indices arrays in the runtime, ~0.7 µs against ~0.06 µs
 * here), and a redaction runs several such execs. Nearly always the group's
 * text occurs once in the match, which pins its position; otherwise the same
 * regex with `d` runs once, sticky at the match's start, and reports it.
 */

/** True when a `(?<secret>…)` group sits inside a lookaround, so its text need not be part of the match. */
export function secretGroupInLookaround(source: string): boolean {
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
      const head = source.slice(i + 1, i + 4);
      if (source.startsWith('?<secret>', i + 1) && open.includes(true)) return true;
      open.push(head.startsWith('?=') || head.startsWith('?!') || head === '?<=' || head === '?<!');
    } else if (ch === ')') {
      // Unbalanced: we cannot tell, so assume the worst (the indices path is always exact).
      if (open.pop() === undefined) return true;
    }
  }
  return open.length > 0;
}

/**
 * Start and end of the `secret` group in `text` for `match` (found in `text`),
 * or of the whole match when the group did not take part. `withIndices` is the
 * match's regex with the `d` and `y` flags; `groupInMatch` says the group
 * never sits in a lookaround (secretGroupInLookaround is false).
 */
export function secretGroupSpan(
  text: string,
  match: RegExpExecArray,
  withIndices: RegExp,
  groupInMatch: boolean,
): [number, number] {
  const secret = match.groups?.secret;
  if (secret === undefined) return [match.index, match.index + match[0].length];
  if (groupInMatch) {
    const at = match[0].indexOf(secret);
    if (at !== -1 && match[0].indexOf(secret, at + 1) === -1)
      return [match.index + at, match.index + at + secret.length];
  }
  withIndices.lastIndex = match.index;
  const span = withIndices.exec(text)?.indices?.groups?.secret;
  // A sticky re-run at the same start reproduces the match; were it ever not to, the whole match is masked (more, never less).
  return span ? [span[0], span[1]] : [match.index, match.index + match[0].length];
}
