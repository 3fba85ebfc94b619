import type { Transform } from 'node:stream';
import { toSecretPattern } from './custom-patterns';
import type { Candidate } from './engine/candidate';
import { compilePattern, type CompiledPattern } from './engine/compiled-pattern';
import { applyFindings, mergeCandidates, clipToMarkers } from './engine/merge-candidates';
import { PatternScanner, WINDOW_CONTEXT } from './engine/pattern-scanner';
import { EnvAssignmentMatcher, MAX_ENV_VALUE_LENGTH } from './known-values/env-assignments';
import { findKnownValues, longestVariant, type KnownValue } from './known-values/known-value-finder';
import { BUILTIN_PATTERNS } from './patterns/catalogue';
import { RedactStream } from './redact-stream';
import { RedactionError, textTooLarge } from './redaction.errors';
import { DEFAULT_MAX_TEXT_BYTES, type RedactorOptions } from './redaction.options';
import type { PatternInfo, RedactionFinding, RedactionResult, RedactOptions, SecretPattern } from './redaction.types';

/** More than this many `secrets` or `envVars` in one call is refused (each one is a pass over the text). */
export const MAX_KNOWN_VALUES = 256;

/**
 * Finds secrets in text and replaces each with `[REDACTED:<PATTERN_NAME>]`.
 * Usable without Nest: `new Redactor()`. Thread-safe for concurrent calls in
 * one isolate (regex state is reset on every use and never awaited across).
 */
export class Redactor {
  private readonly compiled: CompiledPattern[];
  private readonly scanner: PatternScanner;
  private readonly infos: PatternInfo[];
  readonly maxTextBytes: number;
  /** Longest pattern match the stream is guaranteed never to split (characters). */
  readonly maxSecretLength: number;

  constructor(options: RedactorOptions = {}) {
    const builtins = options.patterns ?? BUILTIN_PATTERNS;
    const custom = (options.customPatterns ?? []).map(toSecretPattern);
    const all: SecretPattern[] = [...builtins, ...custom];
    this.compiled = all.map(compilePattern);
    this.scanner = new PatternScanner(this.compiled);
    const seen = new Set<string>();
    this.infos = [];
    all.forEach((pattern, i) => {
      if (seen.has(pattern.name)) return;
      seen.add(pattern.name);
      this.infos.push({ name: pattern.name, description: pattern.description, custom: i >= builtins.length });
    });
    this.maxTextBytes = options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
    this.maxSecretLength = Math.max(MAX_ENV_VALUE_LENGTH + 160, ...this.compiled.map((p) => p.maxLength));
  }

  /** Pattern names and descriptions, one entry per name, catalogue order. */
  listPatterns(): PatternInfo[] {
    return this.infos.map((info) => ({ ...info }));
  }

  redact(text: string, options: RedactOptions = {}): string {
    return this.redactWithFindings(text, options).redacted;
  }

  /** Only the values of the named variables (where assigned and wherever they recur); no pattern detection. */
  redactEnvVars(text: string, names: readonly string[]): string {
    this.assertSize(text);
    const candidates: Candidate[] = [];
    this.collectKnown(text, { envVars: names }, candidates);
    const findings = mergeCandidates(clipToMarkers(text, candidates));
    return applyFindings(text, findings);
  }

  findSecrets(text: string, options: RedactOptions = {}): RedactionFinding[] {
    this.assertSize(text);
    return this.findUnchecked(text, options);
  }

  redactWithFindings(text: string, options: RedactOptions = {}): RedactionResult {
    const findings = this.findSecrets(text, options);
    return { redacted: applyFindings(text, findings), findings, count: findings.length };
  }

  /**
   * A Transform (bytes or strings in, UTF-8 out) for unbounded output such as
   * a sandbox's stdout. It holds back `holdBack` characters, so a secret whose
   * match is at most `maxSecretLength` characters is never split across
   * chunks; everything is released on end.
   */
  createRedactStream(options: RedactOptions = {}): Transform {
    const known = options.secrets?.length ? longestVariant(options.secrets.map((value) => ({ name: 'KNOWN_SECRET', value }))) : 0;
    const holdBack = Math.max(this.maxSecretLength, known) + 2 * WINDOW_CONTEXT;
    return new RedactStream((text) => this.findUnchecked(text, options), holdBack);
  }

  /** Like `redact`, without the size limit (log lines, stream buffers). */
  redactUnbounded(text: string, options: RedactOptions = {}): string {
    return applyFindings(text, this.findUnchecked(text, options));
  }

  /** @internal no size check: the stream bounds its own buffer. */
  findUnchecked(text: string, options: RedactOptions): RedactionFinding[] {
    const candidates: Candidate[] = [];
    this.scanner.scan(text, candidates);
    this.collectKnown(text, options, candidates);
    return mergeCandidates(clipToMarkers(text, candidates));
  }

  private collectKnown(text: string, options: RedactOptions, out: Candidate[]): void {
    const names = options.envVars ?? [];
    const secrets = options.secrets ?? [];
    if (names.length > MAX_KNOWN_VALUES || secrets.length > MAX_KNOWN_VALUES) {
      throw new RedactionError('REDACTION_INVALID_ARGUMENT', `At most ${MAX_KNOWN_VALUES} secrets and ${MAX_KNOWN_VALUES} env_vars per call`);
    }
    const known: KnownValue[] = secrets.filter((value) => value.length > 0).map((value) => ({ name: 'KNOWN_SECRET', value }));
    for (const name of names) {
      const values = new EnvAssignmentMatcher(name).find(text, out);
      for (const value of values) known.push({ name, value });
    }
    if (known.length > 0) findKnownValues(text, known, out);
  }

  private assertSize(text: string): void {
    if (text.length * 3 <= this.maxTextBytes) return;
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > this.maxTextBytes) throw textTooLarge(bytes, this.maxTextBytes);
  }
}
