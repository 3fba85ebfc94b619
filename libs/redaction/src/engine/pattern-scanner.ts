import type { CommandLineCredentials } from '../command-line/command-line-credentials';
import type { Candidate } from './candidate';
import type { CompiledPattern } from './compiled-pattern';
import { KeywordIndex } from './keyword-index';
import { MARKER, MARKER_OPENING } from './merge-candidates';
import { isLowVariety } from '../patterns/placeholders';
import { secretGroupSpan } from './secret-group';

/**
 * Characters of real text kept on each side of a window so that lookarounds
 * see the true neighbours; matches reaching into this margin are left to the
 * neighbouring window (or the text edge). Larger than any lookbehind we use.
 */
export const WINDOW_CONTEXT = 64;

/**
 * Runs each pattern only where one of its keywords occurs. A pattern that
 * declares `keywordOffset` is tried with a sticky regex at the few start
 * positions that offset allows before each hit, on the whole text (so
 * lookarounds see the real neighbours); the others are scanned in windows of
 * `maxLength` around their hits. Either way a pattern never tries the same
 * start twice, and after an accepted match it resumes at the match's end, as
 * one left-to-right scan of the whole text would: the results are those of
 * that scan (pattern-scanner.spec.ts checks it), and the work is linear in
 * the text for linear patterns.
 */
export class PatternScanner {
  private readonly index: KeywordIndex;
  private readonly unkeyed: number[];
  /**
   * For anchored patterns: the first start position not yet tried. One array
   * reused by every (synchronous) scan: a fresh typed array of this size per
   * scan would be an off-heap allocation and free each time.
   */
  private readonly nextStart: Int32Array;

  /**
   * `commandLines`, when given, is one more detector in the same keyword pass:
   * its keywords are program names, reported under the index `patterns.length`.
   */
  constructor(
    private readonly patterns: readonly CompiledPattern[],
    private readonly commandLines?: CommandLineCredentials,
  ) {
    this.index = new KeywordIndex(
      commandLines ? [...patterns, { keywords: commandLines.keywords, caseInsensitive: true }] : patterns,
    );
    this.nextStart = new Int32Array(patterns.length);
    this.unkeyed = patterns.flatMap((pattern, i) => (pattern.keywords.length === 0 ? [i] : []));
  }

  scan(text: string, out: Candidate[]): void {
    const windows: Array<number[] | undefined> = new Array(this.patterns.length);
    const nextStart = this.nextStart.fill(0);
    const commandLine = this.patterns.length;
    let commandLinesRead = 0;
    const keyNames = new KeyNameRuns(text);
    for (const i of this.unkeyed) if (this.patterns[i].gate?.(text) ?? true) windows[i] = [0, text.length];
    this.index.forEachHit(text, (at, length, patterns) => {
      for (const i of patterns) {
        if (i === commandLine) {
          commandLinesRead = this.commandLines!.scanAt(text, at, commandLinesRead, out);
          continue;
        }
        const pattern = this.patterns[i];
        if (pattern.keywordOffset !== undefined) {
          if (pattern.afterKeyName && !keyNames.endsWith(pattern.afterKeyName, at + length)) continue;
          nextStart[i] = this.tryStarts(
            text,
            pattern,
            Math.max(nextStart[i], at - pattern.keywordOffset),
            at,
            at + length,
            out,
          );
          continue;
        }
        const reach = pattern.maxLength + WINDOW_CONTEXT;
        const start = Math.max(0, at - reach);
        const end = Math.min(text.length, at + length + reach);
        const list = (windows[i] ??= []);
        if (list.length > 0 && start <= list[list.length - 1])
          list[list.length - 1] = Math.max(end, list[list.length - 1]);
        else list.push(start, end);
      }
    });
    windows.forEach((list, i) => {
      if (!list) return;
      for (let w = 0; w < list.length; w += 2) this.scanWindow(text, this.patterns[i], list[w], list[w + 1], out);
    });
  }

  /**
   * Sticky attempts at `from..to`; returns the next position worth trying (past an accepted match).
   * `to..hitEnd` is the keyword hit: a match from `to` that covers it holds one of the pattern's keywords.
   */
  private tryStarts(
    text: string,
    pattern: CompiledPattern,
    from: number,
    to: number,
    hitEnd: number,
    out: Candidate[],
  ): number {
    const regex = pattern.sticky;
    const lead = pattern.leadingChar?.charCodeAt(0);
    let start = from;
    while (start <= to) {
      // A match opens with this character: skip straight to its next occurrence.
      if (lead !== undefined) {
        while (start <= to && text.charCodeAt(start) !== lead) start++;
        if (start > to) return start;
      } else if (pattern.opensAt?.chars === '' && pattern.opensAt.lineStart) {
        // Line starts only: the next one is found by the native search, not character by character, and
        // only up to `to` (a text without line breaks must not be searched to its end at every hit).
        if (start > 0 && text.charCodeAt(start - 1) !== 10) {
          const lineBreak = text.slice(start, to).indexOf('\n');
          start = lineBreak === -1 ? to + 1 : start + lineBreak + 1;
        }
        if (start > to) return start;
      } else if (pattern.opensAt !== undefined) {
        while (start <= to && !opensHere(text, start, pattern.opensAt)) start++;
        if (start > to) return start;
      } else if (pattern.opensAfterAlphanumeric) {
        while (start <= to && !isAlphanumeric(text.charCodeAt(start - 1))) start++;
        if (start > to) return start;
      }
      regex.lastIndex = start;
      const match = regex.exec(text);
      const holdsHit = match !== null && match.index === to && to + match[0].length >= hitEnd;
      if (match !== null && acceptMatch(text, pattern, match, 0, out, holdsHit)) {
        start = match.index + match[0].length;
        continue;
      }
      start = match === null ? start + 1 : Math.max(start + 1, junkRunResume(match));
    }
    return start;
  }

  private scanWindow(text: string, pattern: CompiledPattern, from: number, to: number, out: Candidate[]): void {
    const slice = from === 0 && to === text.length ? text : text.slice(from, to);
    const trustedStart = from === 0 ? 0 : WINDOW_CONTEXT;
    const trustedEnd = to === text.length ? slice.length : slice.length - WINDOW_CONTEXT;
    const regex = pattern.regex;
    regex.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = regex.exec(slice)) !== null) {
      const matchEnd = match.index + match[0].length;
      // Reaching into a margin, or rejected: a real match may start at the next character.
      const inside = match.index >= trustedStart && matchEnd <= trustedEnd;
      if (!inside || !acceptMatch(slice, pattern, match, from, out)) regex.lastIndex = match.index + 1;
    }
  }
}

/** Shortest rejected match treated as junk (see junkRunResume). */
const JUNK_RUN_MIN = 128;

/**
 * Where to try next after a rejected match. A long rejected match made of a handful of characters
 * (`pass=pass=pass=…`, `aaaa…`) holds no secret: every start inside it would judge a suffix of the
 * same junk again, which made such text cost the pattern's whole reach per keyword (quadratic in
 * that reach). The scan resumes WINDOW_CONTEXT characters before the junk ends, so a key right
 * before the text that follows is still tried.
 */
function junkRunResume(match: RegExpExecArray): number {
  const text = match[0];
  if (text.length < JUNK_RUN_MIN || !isLowVariety(text)) return 0;
  return match.index + text.length - WINDOW_CONTEXT;
}

/**
 * Validates one match of `pattern` found in `text` and records its span
 * (shifted by `offset`); false if rejected. A match must contain one of the
 * pattern's keywords (the contract that lets the scanner look only near them); `holdsKeyword` says the
 * caller knows it does (the match covers the keyword hit it was tried from).
 */
export function acceptMatch(
  text: string,
  pattern: CompiledPattern,
  match: RegExpExecArray,
  offset: number,
  out: Candidate[],
  holdsKeyword = false,
): boolean {
  if (match[0].length === 0 || (!holdsKeyword && !containsKeyword(pattern, match[0]))) return false;
  const [start, spanEnd] = secretSpan(text, pattern, match);
  const { secret, end } = judgedSecret(text, pattern, start, spanEnd);
  if (secret.length === 0) return false;
  const verdict = pattern.validate ? pattern.validate(secret, match[0], text.charAt(start - 1)) : true;
  if (verdict === false) return false;
  out.push({
    name: pattern.name,
    start: offset + start,
    end: offset + (pattern.runsToLineEnd ? lineValueEnd(text, match.index, end) : end),
    confidence: verdict === true ? pattern.confidence : verdict,
    priority: pattern.priority,
  });
  return true;
}

/** How far a value may run on to its line's end (`runsToLineEnd`); within a stream's hold-back. */
const LINE_VALUE_REACH = 200;
/** What may precede the key on its line: blanks, a YAML list dash or `export`, and the key's own prefix (`DB_`). */
const LINE_KEY_LEAD = /^[ \t]{0,16}(?:-[ \t]{1,4}|export[ \t]{1,4})?[A-Za-z0-9_.-]{0,40}$/;
/** The rest of the line: up to eight more words, none holding a quote, `=` or `:`, then an optional ` # comment`. */
const LINE_VALUE_REST = /^((?:[ \t]{1,4}[^\s#=:"'`][^\s=:"'`]{0,100}){1,8})[ \t]*(?:[ \t]#[^\n]*)?\r?\n/;

/** Where a value that `runsToLineEnd` ends: `end`, or its line's end when the key starts the line. */
function lineValueEnd(text: string, keyAt: number, end: number): number {
  const next = text.charCodeAt(end);
  if (next !== 0x20 && next !== 0x09) return end;
  // Both looks are bounded: a long text without line breaks costs a few slices per finding, not a search.
  const before = text.slice(Math.max(0, keyAt - 65), keyAt);
  const lineBreak = before.lastIndexOf('\n');
  if (lineBreak === -1 && keyAt > 64) return end;
  if (!LINE_KEY_LEAD.test(before.slice(lineBreak + 1))) return end;
  let after = text.slice(end, end + LINE_VALUE_REACH);
  if (end + LINE_VALUE_REACH >= text.length) after += '\n';
  const rest = LINE_VALUE_REST.exec(after);
  return rest ? end + rest[1].length : end;
}

/** True when a match may start at `at`: on one of the pattern's opening characters, or at a line's start. */
function opensHere(text: string, at: number, opens: { chars: string; lineStart?: boolean }): boolean {
  if (opens.chars.includes(text.charAt(at))) return true;
  return opens.lineStart === true && (at === 0 || text.charCodeAt(at - 1) === 10);
}

const isAlphanumeric = (code: number) =>
  (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);

/** The rest of a key name after a keyword, at most this long, for `afterKeyName`. */
const KEY_NAME_REACH = 64;
const isKeyNameChar = (code: number) =>
  isAlphanumeric(code) ||
  code === 0x5f || // _
  code === 0x2e || // .
  code === 0x2f || // /
  code === 0x2d; // -

/**
 * Where the run of key-name characters around a keyword hit ends. Hits come left to right and the hits of
 * one run share its end, so each character is read once per scan (`authauthauth…` costs one pass).
 */
class KeyNameRuns {
  private from = -1;
  private end = -1;

  constructor(private readonly text: string) {}

  /** True when the name from `at` ends within KEY_NAME_REACH characters and `sticky` matches there. */
  endsWith(sticky: RegExp, at: number): boolean {
    if (at < this.from || at > this.end) {
      let end = at;
      while (end < this.text.length && isKeyNameChar(this.text.charCodeAt(end))) end++;
      this.from = at;
      this.end = end;
    }
    if (this.end - at > KEY_NAME_REACH) return false;
    sticky.lastIndex = this.end;
    return sticky.test(this.text);
  }
}

/** The `secret` group, or the whole match, widened so it never ends between the halves of a surrogate pair. */
function secretSpan(text: string, pattern: CompiledPattern, match: RegExpExecArray): [number, number] {
  let [start, end] = secretGroupSpan(text, match, pattern.stickyWithIndices, pattern.secretPlacement);
  if (isLowSurrogate(text.charCodeAt(start)) && isHighSurrogate(text.charCodeAt(start - 1))) start--;
  if (isLowSurrogate(text.charCodeAt(end)) && isHighSurrogate(text.charCodeAt(end - 1))) end++;
  return [start, end];
}

const MARKER_HERE = new RegExp(MARKER.source, 'y');
const MARKERS = new RegExp(MARKER.source, 'g');

/** Offset (from `start`) of the first whole marker that begins before `end`, even if it runs past it; -1 if none. */
function markerWithin(text: string, start: number, end: number): number {
  // Most spans hold no `[` at all: one bounded pass over the span, no slice, settles them.
  const first = MARKER_OPENING.charCodeAt(0);
  let bracket = start;
  while (bracket < end && text.charCodeAt(bracket) !== first) bracket++;
  if (bracket === end) return -1;
  const window = text.slice(start, Math.min(text.length, end + MARKER_OPENING.length - 1));
  for (
    let at = window.indexOf(MARKER_OPENING);
    at !== -1 && at < end - start;
    at = window.indexOf(MARKER_OPENING, at + 1)
  ) {
    MARKER_HERE.lastIndex = start + at;
    if (MARKER_HERE.test(text)) return at;
  }
  return -1;
}

/**
 * What the validator judges, and where the span ends: trailing punctuation
 * trimmed. Existing markers are opaque, so redacting redacted text changes
 * nothing: a value that runs into one is cut before it and judged on that
 * head (`hunter2)[REDACTED:X]`: the marker was glued on after the value),
 * unless the head is empty or ends like this pattern's own key (`…pass=[REDACTED:…]`):
 * then the marker is the value of an inner match, judged when it was written,
 * and the claim is dropped (empty secret).
 */
function judgedSecret(
  text: string,
  pattern: CompiledPattern,
  start: number,
  spanEnd: number,
): { secret: string; end: number } {
  let end = spanEnd;
  const marker = markerWithin(text, start, end);
  if (marker !== -1) {
    const head = text.slice(start, start + marker);
    // Only punctuation before the marker (`'[[REDACTED:X]…`) is no value of its own.
    if (marker === 0 || pattern.keyEnd?.test(head) || !/[\p{L}\p{N}]/u.test(head)) return { secret: '', end };
    // Text after the marker (`aa<[REDACTED:X]/${TOKEN}`, `(…AccountKey=[REDACTED:X];EndpointSuffix=…`)
    // was part of the value when it was first judged, before the marker was written, and may have been
    // why it was refused then: the head alone is not judged, so redaction stays idempotent. A marker
    // that ends the value (`hunter2)[REDACTED:X]`) was glued on after it.
    MARKER_HERE.lastIndex = start + marker;
    MARKER_HERE.test(text);
    if (/[\p{L}\p{N}]/u.test(text.slice(MARKER_HERE.lastIndex, spanEnd).replace(MARKERS, '')))
      return { secret: '', end };
    end = start + marker;
  }
  let trimmed = end;
  if (pattern.trimTrailing)
    while (
      trimmed > start &&
      pattern.trimTrailing.includes(text[trimmed - 1]) &&
      closesOutside(text, start, trimmed - 1)
    )
      trimmed--;
  // A cut at a marker keeps the punctuation before it in the span: it is masked with the value.
  return { secret: text.slice(start, trimmed), end: marker === -1 ? trimmed : end };
}

const OPENER: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
/**
 * How far back on its line a closing bracket after a value looks for the bracket it closes: within the
 * context a stream keeps before its cut (WINDOW_CONTEXT), so a stream decides as `redact` of the whole does.
 */
const OPENER_REACH = WINDOW_CONTEXT / 2;

/**
 * Whether trailing punctuation at `at` (the last character of a value from `start`) is the text's, not the
 * value's. A closing bracket is the text's when it closes a bracket opened before the value on its line
 * (`login(password=hunter2)`) and none inside it (`sha256(x)`); otherwise it is the password's last
 * character (`password=Hx7!vQ2kLm9)`), and trimming it would leave it in the text.
 */
function closesOutside(text: string, start: number, at: number): boolean {
  const opener = OPENER[text[at]];
  if (opener === undefined) return true;
  const closer = text[at];
  let depth = 0;
  for (let i = at; i >= start; i--) depth += text[i] === closer ? 1 : text[i] === opener ? -1 : 0;
  if (depth <= 0) return false;
  const reach = Math.max(0, start - OPENER_REACH);
  for (let i = start - 1; i >= reach && text[i] !== '\n'; i--) {
    if (text[i] === closer) depth++;
    else if (text[i] === opener && --depth === 0) return true;
  }
  return false;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

function containsKeyword(pattern: CompiledPattern, matched: string): boolean {
  return pattern.keywordTest === undefined || pattern.keywordTest.test(matched);
}
