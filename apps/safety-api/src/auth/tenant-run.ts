import { parseScopedRunId, reservationNotFound, reservationRunId, scopedRunId } from '@app/budget';
import { DEFAULT_TENANT, type Principal } from './principal';

/**
 * Tenancy of run-scoped records. A run's ledger id is `<tenant>/<run_id>`; the default tenant's
 * runs keep the bare run id, which is how every record written before tenants existed reads as
 * tenant `default`. Another tenant's run is simply absent from the caller's key space, so it
 * answers 404 exactly like a run that does not exist.
 */
export function tenantRunId(tenant: string, runId: unknown): string {
  return scopedRunId(tenant === DEFAULT_TENANT ? undefined : tenant, runId);
}

export function tenantOf(ledgerRunId: string): string {
  return parseScopedRunId(ledgerRunId).scope ?? DEFAULT_TENANT;
}

/** A reservation id of the caller's tenant, or RESERVATION_NOT_FOUND exactly as for an unknown id. */
export function assertOwnReservation(principal: Principal, reservationId: string): void {
  if (tenantOf(reservationRunId(reservationId)) !== principal.tenant) throw reservationNotFound(reservationId);
}
