/**
 * The times Cloud Monitoring accepts a point at: no more than 25 hours in the past, no more than 5 minutes in
 * the future (gcp-facts 1.1). A window outside them can never be written, so its message is refused at once
 * with the reason, instead of failing in the writer.
 */
import { UnwritableError } from '../errors.js';

export const MAX_POINT_AGE_MS = 25 * 60 * 60 * 1000;
export const MAX_POINT_LEAD_MS = 5 * 60 * 1000;

export function assertWritableWindow(windowEnd: Date, now: Date = new Date()): void {
  const ageMs = now.getTime() - windowEnd.getTime();
  if (ageMs > MAX_POINT_AGE_MS) {
    throw new UnwritableError(
      `windowEnd ${windowEnd.toISOString()} is ${(ageMs / 3_600_000).toFixed(1)} h old; Cloud Monitoring accepts points at most 25 h old`,
    );
  }
  if (-ageMs > MAX_POINT_LEAD_MS) {
    throw new UnwritableError(
      `windowEnd ${windowEnd.toISOString()} is ${(-ageMs / 60_000).toFixed(1)} min in the future; Cloud Monitoring accepts points at most 5 min ahead (check the producer's clock)`,
    );
  }
}
