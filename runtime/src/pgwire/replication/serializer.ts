// Encodes the CopyData payloads the client sends during streaming replication. The caller adds the CopyData framing
// ('d' + Int32 length) when it writes to the socket.
import { PgwireError } from '../errors.ts';
import { MAX_LSN } from './lsn.ts';
import { ReplicationMessageCode } from './messages.ts';
import type { StandbyStatusUpdate } from './messages.ts';

const STANDBY_STATUS_UPDATE_LENGTH = 1 + 8 + 8 + 8 + 8 + 1;

/*
  Standby status update (F)
    Byte1('r')  Identifies the message as a receiver status update.
    Int64       The location of the last WAL byte + 1 received and written to disk in the standby.
    Int64       The location of the last WAL byte + 1 flushed to disk in the standby.
    Int64       The location of the last WAL byte + 1 applied in the standby.
    Int64       The client's system clock at the time of transmission, as microseconds since midnight on 2000-01-01.
    Byte1       If 1, the client requests the server to reply to this message immediately.
*/
/** Encodes a StandbyStatusUpdate into a new 34-byte Buffer. */
export function serializeStandbyStatusUpdate(update: StandbyStatusUpdate): Buffer {
  const out = Buffer.allocUnsafe(STANDBY_STATUS_UPDATE_LENGTH);
  out[0] = ReplicationMessageCode.StandbyStatusUpdate;
  out.writeBigUInt64BE(checkLsn(update.written, 'written'), 1);
  out.writeBigUInt64BE(checkLsn(update.flushed, 'flushed'), 9);
  out.writeBigUInt64BE(checkLsn(update.applied, 'applied'), 17);
  out.writeBigInt64BE(checkTime(update.clientTime), 25);
  out[33] = update.replyRequested ? 1 : 0;
  return out;
}

function checkLsn(lsn: bigint, field: string): bigint {
  if (lsn < 0n || lsn > MAX_LSN) {
    throw new PgwireError('PGWIRE_INVALID_LSN', `StandbyStatusUpdate.${field} ${lsn} is outside 0..2^64-1`);
  }
  return lsn;
}

function checkTime(micros: bigint): bigint {
  if (micros < -(2n ** 63n) || micros >= 2n ** 63n) {
    throw new PgwireError('PGWIRE_INVALID_VALUE', `StandbyStatusUpdate.clientTime ${micros} does not fit in Int64`);
  }
  return micros;
}
