/** Keys logged per object; the decision log says how many more there were. */
const MAX_LOGGED_KEYS = 50;
const SECRET_KEY = /(secret|token|password|passwd|authorization|api[_-]?key|cookie|credential|private[_-]?key)/i;
const SECRET_VALUES: [RegExp, string][] = [
  [/(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [REDACTED]'],
  [/(:\/\/[^:/@\s]+:)[^@\s]+@/g, '$1[REDACTED]@'],
  [/(--?(?:password|passwd|token|secret|api-key|apikey)[= ])\S+/gi, '$1[REDACTED]'],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, '[REDACTED_AWS_KEY]'],
  [
    /\b(ghp|gho|ghs|ghu|github_pat|glpat|xox[abposr]|sk|sk_live|rk_live|pk_live)[-_][A-Za-z0-9_-]{10,}/g,
    '[REDACTED_TOKEN]',
  ],
  [/([A-Z_]*(?:SECRET|TOKEN|PASSWORD|API_KEY)[A-Z_]*=)\S+/g, '$1[REDACTED]'],
];

/**
 * The decision log keeps the whole request context (unknown keys included),
 * so obvious secrets are masked first: by key name and by well-known value shapes.
 */
export function maskForLog(value: unknown, depth = 0): unknown {
  if (depth > 4) return '[TRUNCATED]';
  if (typeof value === 'string') {
    let masked = value.length > 4096 ? value.slice(0, 4096) + '…' : value;
    for (const [pattern, replacement] of SECRET_VALUES) masked = masked.replace(pattern, replacement);
    return masked;
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => maskForLog(item, depth + 1));
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    const shown = entries
      .slice(0, MAX_LOGGED_KEYS)
      .map(([key, inner]) => [key, SECRET_KEY.test(key) ? '[REDACTED]' : maskForLog(inner, depth + 1)]);
    if (entries.length > MAX_LOGGED_KEYS) shown.push(['…', `${entries.length - MAX_LOGGED_KEYS} more keys`]);
    return Object.fromEntries(shown);
  }
  return value;
}
