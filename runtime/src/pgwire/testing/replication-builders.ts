// Fixture builders for the streaming replication CopyData payloads, written from the byte layouts in the PostgreSQL
// docs ("Streaming Replication Protocol"), not from our parser or serializer. Each returns the CopyData payload
// (no 'd' + length framing).
import { bytes } from './byte-builder.ts';

/** XLogData: Byte1('w') Int64 walStart, Int64 walEnd, Int64 serverTime, Byten data. */
export function buildXLogData(fields: { walStart: bigint; walEnd: bigint; serverTime: bigint; data: Uint8Array }) {
  return bytes()
    .char('w')
    .int64(fields.walStart)
    .int64(fields.walEnd)
    .int64(fields.serverTime)
    .raw(fields.data)
    .build();
}

/** Primary keepalive message: Byte1('k') Int64 walEnd, Int64 serverTime, Byte1 replyRequested. */
export function buildPrimaryKeepaliveMessage(fields: { walEnd: bigint; serverTime: bigint; replyRequested: boolean }) {
  return bytes()
    .char('k')
    .int64(fields.walEnd)
    .int64(fields.serverTime)
    .int8(fields.replyRequested ? 1 : 0)
    .build();
}

/** Standby status update: Byte1('r') Int64 written, Int64 flushed, Int64 applied, Int64 clientTime, Byte1 reply. */
export function buildStandbyStatusUpdate(fields: {
  written: bigint;
  flushed: bigint;
  applied: bigint;
  clientTime: bigint;
  replyRequested: boolean;
}) {
  return bytes()
    .char('r')
    .int64(fields.written)
    .int64(fields.flushed)
    .int64(fields.applied)
    .int64(fields.clientTime)
    .int8(fields.replyRequested ? 1 : 0)
    .build();
}
