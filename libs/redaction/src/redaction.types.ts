/** How sure a finding is: `high` for provider formats (checksum-valid where one exists), `medium` for context rules. */
export type Confidence = 'high' | 'medium' | 'low';

/**
 * One detector. A match must contain one of `keywords` (compared case-insensitively
 * when `regex` has the `i` flag, exactly otherwise): the keywords are a prefilter, and
 * a match without one is never looked for. The regex runs on V8's backtracking engine,
 * so every pattern must be linear-time (built-ins are proven so by the test suite;
 * custom ones are checked when loaded).
 */
export interface SecretPattern {
  /** UPPER_SNAKE name; the placeholder is `[REDACTED:<name>]`. */
  name: string;
  description: string;
  /** Flags other than `i` are ignored (the engine adds `g` and `d`). A named group `secret` narrows the span. */
  regex: RegExp;
  /** Literal substrings one of which every match contains. Empty: the whole text is scanned (slower). */
  keywords: readonly string[];
  /** Longest match (whole regex, not only the `secret` group), in UTF-16 code units; bounds windows and stream hold-back. */
  maxLength: number;
  /**
   * Most characters a match can have before the keyword occurrence it starts
   * from (0: every match starts with one of `keywords`). When set, the regex
   * is only tried at those few positions before each keyword hit, which is
   * much cheaper than scanning `maxLength` on both sides; a wrong value loses
   * matches (pattern-scanner.spec.ts checks every built-in against a full scan).
   */
  keywordOffset?: number;
  /**
   * With `keywordOffset`, for a pattern whose keyword sits in a key name: what must follow the rest of that
   * name (the run of `[A-Za-z0-9_./-]` after the hit, at most 64 characters) for a match to be possible,
   * e.g. the `|` that ends a table cell. Tested once at the run's end (sticky) instead of attempting the
   * regex at every start `keywordOffset` allows; keyword hits along one run share the run's end.
   * pattern-scanner.spec.ts compares with a full scan.
   */
  afterKeyName?: RegExp;
  /**
   * With `keywordOffset`: every match starts on one of `chars`, or at a line's start when `lineStart` (a
   * table row's `|`, a CSV field's `,`). Other start positions are skipped without running the regex.
   */
  opensAt?: { chars: string; lineStart?: boolean };
  /**
   * With `keywordOffset`: every match starts right after an ASCII letter or digit (a key word glued to its
   * prefix, `dbPassword`). Other start positions are skipped without running the regex.
   */
  opensAfterAlphanumeric?: boolean;
  /**
   * For a pattern without keywords: the whole text is scanned only when this
   * holds for it (a cheap test such as "holds a character outside ASCII").
   */
  gate?: (text: string) => boolean;
  /** Characters dropped from the end of the secret span (sentence punctuation after an unquoted value). */
  trimTrailing?: string;
  /**
   * A bare value that stops at a blank runs on to the end of its line when the key starts the line and the
   * rest holds no other key or quote (`admin_password: Adm1n P@ss w0rd` in YAML or `.env`, which read the
   * whole rest as the value). For `key: value` patterns.
   */
  runsToLineEnd?: boolean;
  /** Confidence of an accepted match unless `validate` says otherwise. Default `high`. */
  confidence?: Confidence;
  /**
   * Return false to drop a match (placeholders, bad checksums), or a confidence to override the default.
   * `before` is the character just before the secret in the text (a quote when the value was quoted).
   */
  validate?: (secret: string, match: string, before: string) => boolean | Confidence;
}

/** Where one secret was found: offsets (UTF-16 code units, end exclusive) into the input; never the secret itself. */
export interface RedactionFinding {
  pattern: string;
  start: number;
  end: number;
  confidence: Confidence;
}

export interface RedactOptions {
  /** Literal secret values the caller knows; masked raw and in JSON-escaped, URL-encoded and base64 forms. */
  secrets?: readonly string[];
  /** Names of environment variables whose assigned values are masked, wherever they recur (same encodings). */
  envVars?: readonly string[];
}

export interface RedactStreamOptions extends RedactOptions {
  /**
   * Longest secret (characters) this stream guarantees never to let through,
   * however the input is chunked. Default: `Redactor.maxSecretLength`
   * (STREAM_MAX_SECRET_LENGTH, 16 KiB, unless a custom pattern is longer).
   * Lower holds back less (output comes sooner) and weakens the guarantee.
   */
  maxSecretLength?: number;
}

export interface RedactionResult {
  redacted: string;
  findings: RedactionFinding[];
  count: number;
}

/** Public description of a pattern (what `GET /redact/patterns` lists). */
export interface PatternInfo {
  name: string;
  description: string;
  custom: boolean;
}

/** A pattern given through configuration. */
export interface CustomPatternDefinition {
  name: string;
  /** Regex source (or RegExp); checked for linear-time safety when loaded. */
  regex: string | RegExp;
  /** Prefilter literals; strongly recommended (without them the whole text is scanned). */
  keywords?: readonly string[];
  description?: string;
  /** Longest match in characters. Default 256. */
  maxLength?: number;
  caseInsensitive?: boolean;
}
