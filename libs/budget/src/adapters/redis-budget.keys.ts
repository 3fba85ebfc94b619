/**
 * Key names of one run. The run id sits inside `{}` in every one of them, so
 * Redis Cluster hashes them all to the same slot and a script may touch them
 * together. Run ids are validated to contain no braces, so the tag is exactly
 * the run id.
 */
export function runKeys(prefix: string, runId: string) {
  const base = `${prefix}:{${runId}}`;
  return {
    budget: base,
    holds: `${base}:holds`,
    reservations: `${base}:rsv`,
    events: `${base}:events`,
    idempotency: (key: string) => `${base}:idem:${key}`,
  };
}

/** The cross-run alert stream. It has no hash tag: it lives in its own slot and is written by a separate command, never from a run's script. */
export function alertStreamKey(prefix: string): string {
  return `${prefix}:events`;
}
