export { RedactionModule } from './redaction.module';
export {
  REDACTION_MODULE_OPTIONS,
  REDACTION_OPTIONS_TYPE,
  REDACTION_ASYNC_OPTIONS_TYPE,
} from './redaction.module-definition';
export { DEFAULT_MAX_TEXT_BYTES } from './redaction.options';
export type { RedactionModuleOptions, RedactorOptions } from './redaction.options';
export { RedactionService } from './redaction.service';
export { RedactionPool, type RedactionPoolOptions } from './worker/redaction-pool';
export { Redactor, MAX_KNOWN_VALUES } from './redactor';
export { RedactStream, STREAM_MAX_SECRET_LENGTH } from './redact-stream';
export { redactValue, type RedactValueOptions } from './redact-value';
export { RedactionError, REDACTION_ERROR_CODES } from './redaction.errors';
export type { RedactionErrorCode } from './redaction.errors';
export type * from './redaction.types';
export { BUILTIN_PATTERNS } from './patterns/catalogue';
export { MIN_RECURRING_VALUE_LENGTH } from './known-values/value-variants';
export { hasValidCrc32Suffix } from './patterns/checksum';
