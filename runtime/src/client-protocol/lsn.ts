// LSNs on the Satellite protocol. There are two kinds, and neither side parses the other's:
//
// Server LSNs: the positions electric-sync puts in SatOpBegin.lsn, SatOpCommit.lsn, SatSubsDataBegin.lsn and
// SatUnsubsDataBegin.lsn. The client treats them as opaque bytes: it stores the newest one (base64, in its
// `_electric_meta.lsn`) and hands it back in SatOpLogAck.lsn and, after a reconnect, in
// SatInStartReplicationReq.lsn. So we choose the format, and must parse it back. Ours is the one Electric used:
// the ASCII decimal digits of the position, with no sign, no leading zeros and no padding. The position is our
// Postgres LSN (the bigint of pgwire/replication/lsn.ts), so `0/16B3748` travels as the 8 bytes "23803720".
// Anything else we refuse with CP_MALFORMED_LSN, which the server answers with ReplicationError MALFORMED_LSN.
// An empty LSN is not a position: in SatInStartReplicationReq it means "never synced" (initial sync); check
// isEmptyLsn first.
//
// Client LSNs: the positions the client puts in the SatOpBegin.lsn of its own transactions: its oplog row id as a
// 4-byte big-endian unsigned integer (electric-sql util/encoders/common.ts numberToBytes). The server stores the
// newest one it applied and sends it back, byte for byte, in its `startReplication` call; the client then resends
// its oplog after that row id. The server never needs more than to store, compare and log them.
import { ClientProtocolError } from './errors.ts';

/** The largest position, 2^64 - 1 (Postgres' FFFFFFFF/FFFFFFFF). */
const MAX_POSITION = 0xffff_ffff_ffff_ffffn;
/** Digits of 2^64 - 1. */
const MAX_DIGITS = 20;

/** True for the empty LSN, which in SatInStartReplicationReq means a client that has never synced. */
export function isEmptyLsn(lsn: Uint8Array): boolean {
  return lsn.length === 0;
}

/** Writes a Postgres LSN as a server LSN: its decimal digits in ASCII. Throws a RangeError outside 0..2^64-1. */
export function serializeServerLsn(lsn: bigint): Buffer {
  if (lsn < 0n || lsn > MAX_POSITION) throw new RangeError(`LSN ${lsn} is outside 0..2^64-1`);
  return Buffer.from(lsn.toString(10), 'latin1');
}

/**
 * Reads a server LSN back into a Postgres LSN. Throws CP_MALFORMED_LSN for anything serializeServerLsn cannot
 * produce: empty, a non-digit, a leading zero, more than 2^64 - 1.
 */
export function parseServerLsn(lsn: Uint8Array): bigint {
  const length = lsn.length;
  if (length === 0) throw malformed(lsn, 'empty');
  if (length > MAX_DIGITS) throw malformed(lsn, `more than ${MAX_DIGITS} digits`);
  for (let i = 0; i < length; i++) {
    const byte = lsn[i]!;
    if (byte < 0x30 || byte > 0x39) throw malformed(lsn, 'expected decimal digits');
  }
  if (lsn[0] === 0x30 && length > 1) throw malformed(lsn, 'leading zero');
  const value = BigInt(Buffer.from(lsn.buffer, lsn.byteOffset, length).toString('latin1'));
  if (value > MAX_POSITION) throw malformed(lsn, 'larger than 2^64 - 1');
  return value;
}

/** Reads a client LSN (the client's 4-byte big-endian oplog row id). Throws CP_MALFORMED_LSN unless 4 bytes. */
export function parseClientLsn(lsn: Uint8Array): number {
  if (lsn.length !== 4) throw malformed(lsn, `expected 4 bytes, got ${lsn.length}`);
  return ((lsn[0]! << 24) | (lsn[1]! << 16) | (lsn[2]! << 8) | lsn[3]!) >>> 0;
}

/** Writes a client oplog row id as the client does: 4 bytes, big-endian. Throws a RangeError outside 0..2^32-1. */
export function serializeClientLsn(rowId: number): Buffer {
  if (!Number.isInteger(rowId) || rowId < 0 || rowId > 0xffff_ffff) {
    throw new RangeError(`client LSN ${rowId} is outside 0..2^32-1`);
  }
  const bytes = Buffer.allocUnsafe(4);
  bytes.writeUInt32BE(rowId, 0);
  return bytes;
}

function malformed(lsn: Uint8Array, reason: string): ClientProtocolError {
  const shown = Buffer.from(lsn.buffer, lsn.byteOffset, Math.min(lsn.length, 32)).toString('hex');
  const more = lsn.length > 32 ? '…' : '';
  return new ClientProtocolError('CP_MALFORMED_LSN', `malformed LSN 0x${shown}${more}: ${reason}`);
}
