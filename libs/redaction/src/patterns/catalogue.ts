import type { SecretPattern } from '../redaction.types';
import { CREDENTIAL_PATTERNS } from './credential.patterns';
import { PLACEMENT_PATTERNS } from './placement.patterns';
import { PROVIDER_PATTERNS } from './provider.patterns';
import { SAAS_PATTERNS } from './saas.patterns';

/**
 * The built-in catalogue, most specific first: when two patterns claim the
 * same span, the earlier one names it (a JWT after `Bearer` is a JWT).
 */
export const BUILTIN_PATTERNS: readonly SecretPattern[] = Object.freeze([
  ...PROVIDER_PATTERNS,
  ...SAAS_PATTERNS,
  ...CREDENTIAL_PATTERNS,
  ...PLACEMENT_PATTERNS,
]);
