// Postgres' TimestampTz on the wire is a signed 64-bit count of microseconds since 2000-01-01 00:00:00 UTC (the
// "PostgreSQL epoch"). These helpers convert it to and from JavaScript time, which counts milliseconds since
// 1970-01-01 UTC. Going to milliseconds drops the sub-millisecond part (rounding down, also before 2000).
import { PgwireError } from '../errors.ts';

/** 2000-01-01T00:00:00Z in Unix milliseconds. */
export const PG_EPOCH_UNIX_MILLIS = 946_684_800_000;

const PG_EPOCH_UNIX_MICROS = 946_684_800_000_000n;

/** Postgres µs since 2000-01-01 → Unix ms (floored). */
export function pgMicrosToMillis(micros: bigint): number {
  const unixMicros = micros + PG_EPOCH_UNIX_MICROS;
  let millis = unixMicros / 1000n;
  if (unixMicros < 0n && millis * 1000n !== unixMicros) millis -= 1n; // bigint division truncates toward zero
  return Number(millis);
}

/** Unix ms (fractions of a millisecond are kept to the µs) → Postgres µs since 2000-01-01. */
export function millisToPgMicros(millis: number): bigint {
  if (!Number.isFinite(millis)) {
    throw new PgwireError('PGWIRE_INVALID_VALUE', `cannot convert ${millis} ms to a Postgres timestamp`);
  }
  return BigInt(Math.round(millis * 1000)) - PG_EPOCH_UNIX_MICROS;
}

/** Postgres µs since 2000-01-01 → Date (millisecond precision). */
export function pgMicrosToDate(micros: bigint): Date {
  return new Date(pgMicrosToMillis(micros));
}

/** Date → Postgres µs since 2000-01-01; e.g. `dateToPgMicros(new Date())` for StandbyStatusUpdate.clientTime. */
export function dateToPgMicros(date: Date): bigint {
  return millisToPgMicros(date.getTime());
}
