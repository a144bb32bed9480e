// Log sequence numbers. Inside electric-sync an LSN is a `bigint` (an unsigned 64-bit WAL position, Postgres'
// XLogRecPtr). The `X/Y` text form, the high and low 32 bits in hex, is used only at the edges: SQL, replication
// commands, logs and config.
import { PgwireError } from '../errors.ts';

/** The largest LSN, 0xFFFFFFFF/FFFFFFFF. */
export const MAX_LSN = 0xffff_ffff_ffff_ffffn;

/** `0/0`, which Postgres uses for "no position" (InvalidXLogRecPtr). */
export const INVALID_LSN = 0n;

// Same rule as Postgres' pg_lsn input: 1 to 8 hex digits, a slash, 1 to 8 hex digits, nothing else.
const LSN_TEXT = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** Parses `X/Y` (e.g. `16/B374D848`) into a bigint. Throws `PGWIRE_INVALID_LSN` for anything else. */
export function parseLsn(text: string): bigint {
  const match = LSN_TEXT.exec(text);
  if (match === null) {
    throw new PgwireError('PGWIRE_INVALID_LSN', `invalid LSN ${JSON.stringify(text)}: expected X/Y in hex`);
  }
  return (BigInt(`0x${match[1]!}`) << 32n) | BigInt(`0x${match[2]!}`);
}

/** Formats an LSN as Postgres prints it: upper-case hex halves without padding, e.g. `16/B374D848`, `0/0`. */
export function formatLsn(lsn: bigint): string {
  if (lsn < 0n || lsn > MAX_LSN) {
    throw new PgwireError('PGWIRE_INVALID_LSN', `LSN ${lsn} is outside 0..2^64-1`);
  }
  const high = lsn >> 32n;
  const low = lsn & 0xffff_ffffn;
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}
