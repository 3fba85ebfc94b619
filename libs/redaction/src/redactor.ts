import type { Transform } from 'node:stream';
import { toSecretPattern } from './custom-patterns';
import { CommandLineCredentials } from './command-line/command-line-credentials';
import { decodedView, toOriginal } from './engine/decoded-view';
import type { Candidate } from './engine/candidate';
import { compilePattern, type CompiledPattern } from './engine/compiled-pattern';
import { applyFindings, mergeCandidates, clipToMarkers } from './engine/merge-candidates';
import { PatternScanner, WINDOW_CONTEXT } from './engine/pattern-scanner';
import { EnvAssignmentMatcher, MAX_ENV_VALUE_LENGTH } from './known-values/env-assignments';
import { findKnownValues, longestVariant, type KnownValue } from './known-values/known-value-finder';
import { BUILTIN_PATTERNS } from './patterns/catalogue';
import { RedactStream, STREAM_MAX_SECRET_LENGTH, type StreamScanner } from './redact-stream';
import { findKeyVaultSecretValues, KEY_VAULT_BACK_REACH } from './structured/key-vault-secrets';
import { findKubernetesSecretData } from './structured/kubernetes-secrets';
import { RedactionError, textTooLarge } from './redaction.errors';
import { DEFAULT_MAX_TEXT_BYTES, type RedactorOptions } from './redaction.options';
import type {
  PatternInfo,
  RedactionFinding,
  RedactionResult,
  RedactOptions,
  RedactStreamOptions,
  SecretPattern,
} from './redaction.types';

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
  /** Detectors beyond the regex catalogue (command lines, manifests) run with the built-in catalogue only. */
  private readonly structured: boolean;
  readonly maxTextBytes: number;
  /** Longest secret a stream is guaranteed never to let through (characters): STREAM_MAX_SECRET_LENGTH or a longer custom pattern. */
  readonly maxSecretLength: number;

  constructor(options: RedactorOptions = {}) {
    const builtins = options.patterns ?? BUILTIN_PATTERNS;
    const custom = (options.customPatterns ?? []).map(toSecretPattern);
    const all: SecretPattern[] = [...builtins, ...custom];
    this.compiled = all.map(compilePattern);
    // Command-line credentials and manifests come with the built-in catalogue; a caller's own `patterns` list runs alone.
    this.structured = options.patterns === undefined;
    const commandLines = this.structured ? new CommandLineCredentials(this.compiled.length) : undefined;
    this.scanner = new PatternScanner(this.compiled, commandLines);
    const seen = new Set<string>();
    this.infos = [];
    all.forEach((pattern, i) => {
      if (seen.has(pattern.name)) return;
      seen.add(pattern.name);
      this.infos.push({ name: pattern.name, description: pattern.description, custom: i >= builtins.length });
    });
    if (this.structured)
      this.infos.push({
        name: 'KUBERNETES_SECRET',
        description: 'Values under data: and stringData: of a Kubernetes Secret manifest, whatever their keys',
        custom: false,
      });
    this.maxTextBytes = options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
    this.maxSecretLength = Math.max(
      STREAM_MAX_SECRET_LENGTH,
      MAX_ENV_VALUE_LENGTH + 160,
      ...this.compiled.map((p) => p.maxLength),
    );
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
   * A Transform (UTF-8 bytes or strings in, UTF-8 out) for unbounded output
   * such as a sandbox's stdout. A secret of at most `maxSecretLength`
   * characters (default `this.maxSecretLength`) is never let through,
   * wherever the chunks are cut, and the output is what `redact` gives for the
   * whole text (see STREAM_MAX_SECRET_LENGTH for what happens beyond the
   * limit). `secrets` are masked anywhere; the value of an `envVars` variable
   * is learnt where it is assigned and masked from then on, and before its
   * assignment only within the held-back window.
   */
  createRedactStream(options: RedactStreamOptions = {}): Transform {
    const limit = options.maxSecretLength ?? this.maxSecretLength;
    if (!Number.isInteger(limit) || limit < 1)
      throw new RedactionError('REDACTION_INVALID_ARGUMENT', 'maxSecretLength must be a positive integer');
    this.assertKnownCount(options);
    const secrets = (options.secrets ?? []).map((value) => ({ name: 'KNOWN_SECRET', value }));
    let holdBack = Math.max(limit, longestVariant(secrets)) + 2 * WINDOW_CONTEXT;
    const learnt = new Map<string, KnownValue>();
    const scanner: StreamScanner = {
      get holdBack() {
        return holdBack;
      },
      // A Key Vault secret's value can follow the `{` of its object by up to KEY_VAULT_BACK_REACH: the stream keeps
      // that much released text so the object is read as in one pass (about an eighth more scanning at the 16 KiB limit).
      context: Math.max(WINDOW_CONTEXT, KEY_VAULT_BACK_REACH),
      find: (text) => {
        const candidates: Candidate[] = [];
        this.scanPatterns(text, candidates);
        for (const value of this.collectKnown(text, options, candidates, [...learnt.values()])) {
          const key = `${value.name}=${value.value}`;
          if (learnt.has(key)) continue;
          // Bounded like the per-call lists: the oldest value is forgotten first.
          if (learnt.size >= MAX_KNOWN_VALUES) learnt.delete(learnt.keys().next().value as string);
          learnt.set(key, value);
          holdBack = Math.max(holdBack, longestVariant([value]) + 2 * WINDOW_CONTEXT);
        }
        return mergeCandidates(clipToMarkers(text, candidates));
      },
    };
    return new RedactStream(scanner);
  }

  /** Like `redact`, without the size limit (log lines, stream buffers). */
  redactUnbounded(text: string, options: RedactOptions = {}): string {
    return applyFindings(text, this.findUnchecked(text, options));
  }

  /** @internal no size check: the stream bounds its own buffer. */
  findUnchecked(text: string, options: RedactOptions): RedactionFinding[] {
    const candidates: Candidate[] = [];
    this.scanPatterns(text, candidates);
    this.collectKnown(text, options, candidates);
    return mergeCandidates(clipToMarkers(text, candidates));
  }

  /**
   * Every pattern over the text, and again over its decoded view when it holds terminal escape sequences or
   * encoded quotes (engine/decoded-view.ts).
   */
  private scanPatterns(text: string, out: Candidate[]): void {
    this.scanner.scan(text, out);
    if (this.structured) {
      findKubernetesSecretData(text, out, this.compiled.length + 1);
      findKeyVaultSecretValues(text, out, this.compiled.length + 1);
    }
    const view = decodedView(text);
    if (view === undefined) return;
    const found: Candidate[] = [];
    this.scanner.scan(view.text, found);
    toOriginal(view, found, out);
  }

  /** Adds the spans of known values and assigned env values; returns the env values assigned in `text`. */
  private collectKnown(
    text: string,
    options: RedactOptions,
    out: Candidate[],
    remembered: readonly KnownValue[] = [],
  ): KnownValue[] {
    this.assertKnownCount(options);
    const known: KnownValue[] = (options.secrets ?? [])
      .filter((value) => value.length > 0)
      .map((value) => ({ name: 'KNOWN_SECRET', value }));
    const assigned: KnownValue[] = [];
    for (const name of options.envVars ?? []) {
      for (const value of new EnvAssignmentMatcher(name).find(text, out)) assigned.push({ name, value });
    }
    const all = new Map<string, KnownValue>();
    for (const value of [...known, ...remembered, ...assigned]) all.set(`${value.name}=${value.value}`, value);
    if (all.size > 0) findKnownValues(text, [...all.values()], out);
    return assigned;
  }

  private assertKnownCount(options: RedactOptions): void {
    if ((options.envVars?.length ?? 0) > MAX_KNOWN_VALUES || (options.secrets?.length ?? 0) > MAX_KNOWN_VALUES) {
      throw new RedactionError(
        'REDACTION_INVALID_ARGUMENT',
        `At most ${MAX_KNOWN_VALUES} secrets and ${MAX_KNOWN_VALUES} env_vars per call`,
      );
    }
  }

  private assertSize(text: string): void {
    if (text.length * 3 <= this.maxTextBytes) return;
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > this.maxTextBytes) throw textTooLarge(bytes, this.maxTextBytes);
  }
}
