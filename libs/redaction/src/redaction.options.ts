import type { CustomPatternDefinition, SecretPattern } from './redaction.types';

/** What the app passes to RedactionModule.forRoot / forRootAsync, and what `new Redactor()` takes. */
export interface RedactorOptions {
  /** Extra patterns, validated (syntax, linear time) when the Redactor is built. */
  customPatterns?: readonly CustomPatternDefinition[];
  /** Largest text `redact` accepts, in UTF-8 bytes; above it REDACTION_TEXT_TOO_LARGE. Default 1 MiB. Streams have no limit. */
  maxTextBytes?: number;
  /** Replaces the built-in catalogue (tests, benchmarks). */
  patterns?: readonly SecretPattern[];
}

export type RedactionModuleOptions = RedactorOptions;

export const DEFAULT_MAX_TEXT_BYTES = 1024 * 1024;
