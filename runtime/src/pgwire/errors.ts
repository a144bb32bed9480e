// The one error type of the pgwire codec. Every failure carries a code from a closed list, so callers branch on
// `error.code`, never on message text. Decoding errors mean the peer sent bytes we cannot understand (or a bug in
// us): the connection that produced them should be closed, never retried byte-for-byte.
import { SyncError } from '../errors.ts';

export const pgwireErrorCodes = [
  /** The input ended before the value or message being read was complete. */
  'PGWIRE_TRUNCATED',
  /** A message type byte we do not know (or do not support in the negotiated protocol version). */
  'PGWIRE_UNKNOWN_MESSAGE',
  /** A pgoutput change names a relation OID that no earlier Relation message described. */
  'PGWIRE_UNKNOWN_RELATION',
  /** Bytes that are complete but inconsistent: a bad tuple kind, a column count mismatch, trailing bytes. */
  'PGWIRE_MALFORMED',
  /** An LSN that is not `X/Y` hex text or does not fit in 64 unsigned bits. */
  'PGWIRE_INVALID_LSN',
  /** A column value whose text does not match its type (e.g. bool other than t/f, bad bytea hex). */
  'PGWIRE_INVALID_VALUE',
] as const;

export type PgwireErrorCode = (typeof pgwireErrorCodes)[number];

/** Never retryable: the same input fails the same way. */
export class PgwireError extends SyncError<PgwireErrorCode> {
  override readonly name = 'PgwireError';
}

export function isPgwireError(error: unknown, code?: PgwireErrorCode): error is PgwireError {
  return error instanceof PgwireError && (code === undefined || error.code === code);
}

/** A message type byte for error messages: `'w' (0x77)`, or just `(0x00)` when it is not printable. */
export function describeMessageCode(code: number): string {
  const hex = `(0x${code.toString(16).padStart(2, '0')})`;
  return code >= 0x20 && code < 0x7f ? `'${String.fromCharCode(code)}' ${hex}` : hex;
}
