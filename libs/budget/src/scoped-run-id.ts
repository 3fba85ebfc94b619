/**
 * A run id scoped by an owner (the service's tenant): `<scope>/<run id>`, scope `[a-z0-9-]{1,63}`.
 * The ledger treats it as one id, so the same run id in two scopes is two runs, and all of a run's
 * keys still share one Cluster slot (`{acme/run-1}`). A bare run id is a run of no scope.
 */
export const SCOPED_RUN_ID_PATTERN = /^(?:[a-z0-9-]{1,63}\/)?[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** The scope and the run id of a ledger id (scope undefined for a bare run id). */
export function parseScopedRunId(id: string): { scope: string | undefined; runId: string } {
  const slash = id.indexOf('/');
  return slash < 0 ? { scope: undefined, runId: id } : { scope: id.slice(0, slash), runId: id.slice(slash + 1) };
}

/** The run id as its owner knows it, for messages: a scope is never shown back to the owner it belongs to. */
export function unscopedRunId(id: string): string {
  return parseScopedRunId(id).runId;
}
