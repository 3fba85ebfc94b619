import { randomBytes } from 'node:crypto';
import { reservationNotFound } from './ledger-rules';
import { SCOPED_RUN_ID_PATTERN } from './scoped-run-id';

/**
 * Reservation ids carry their run id (`rsv.<base64url run id>.<random>`), so
 * commit/release find the run's keys, and its Cluster slot, without a
 * cross-run lookup table.
 */
export function newReservationId(runId: string): string {
  return `rsv.${Buffer.from(runId, 'utf8').toString('base64url')}.${randomBytes(12).toString('base64url')}`;
}

/** The run id inside a reservation id; anything malformed is simply not found. */
export function decodeReservationId(reservationId: unknown): string {
  if (typeof reservationId !== 'string') throw reservationNotFound(String(reservationId));
  const parts = reservationId.split('.');
  if (parts.length !== 3 || parts[0] !== 'rsv' || !/^[A-Za-z0-9_-]{16}$/.test(parts[2]))
    throw reservationNotFound(reservationId);
  const runId = Buffer.from(parts[1], 'base64url').toString('utf8');
  if (!SCOPED_RUN_ID_PATTERN.test(runId) || Buffer.from(runId, 'utf8').toString('base64url') !== parts[1]) {
    throw reservationNotFound(reservationId);
  }
  return runId;
}
