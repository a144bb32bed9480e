// Decodes the CopyData payloads the server sends during streaming replication (PostgreSQL docs, "Streaming
// Replication Protocol"). The caller has already removed the CopyData framing ('d' + Int32 length); each function
// here takes exactly one payload.
import { describeMessageCode, PgwireError } from '../errors.ts';
import { Reader } from '../reader.ts';
import { ReplicationMessageCode } from './messages.ts';
import type { PrimaryKeepaliveMessage, ReplicationMessage, XLogData } from './messages.ts';

/** Decodes one CopyData payload from the server: XLogData ('w') or PrimaryKeepaliveMessage ('k'). */
export function parseReplicationMessage(payload: Buffer): ReplicationMessage {
  const reader = new Reader(payload);
  const code = reader.uint8();
  switch (code) {
    case ReplicationMessageCode.XLogData:
      return parseXLogData(reader);
    case ReplicationMessageCode.PrimaryKeepaliveMessage:
      return parsePrimaryKeepaliveMessage(reader);
    default:
      throw new PgwireError(
        'PGWIRE_UNKNOWN_MESSAGE',
        `unknown replication message ${describeMessageCode(code)}: ` +
          "expected XLogData 'w' or PrimaryKeepaliveMessage 'k'",
      );
  }
}

/*
  XLogData (B)
    Byte1('w')  Identifies the message as WAL data.
    Int64       The starting point of the WAL data in this message.
    Int64       The current end of WAL on the server.
    Int64       The server's system clock at the time of transmission, as microseconds since midnight on 2000-01-01.
    Byten       A section of the WAL data stream.
*/
function parseXLogData(reader: Reader): XLogData {
  const walStart = reader.uint64();
  const walEnd = reader.uint64();
  const serverTime = reader.int64();
  const data = reader.bytes(reader.remaining);
  return { type: 'XLogData', walStart, walEnd, serverTime, data };
}

/*
  Primary keepalive message (B)
    Byte1('k')  Identifies the message as a sender keepalive.
    Int64       The current end of WAL on the server.
    Int64       The server's system clock at the time of transmission, as microseconds since midnight on 2000-01-01.
    Byte1       1 means that the client should reply to this message as soon as possible, to avoid a timeout
                disconnect. 0 otherwise.
*/
function parsePrimaryKeepaliveMessage(reader: Reader): PrimaryKeepaliveMessage {
  const walEnd = reader.uint64();
  const serverTime = reader.int64();
  const replyRequested = reader.uint8() === 1;
  reader.expectEnd('PrimaryKeepaliveMessage');
  return { type: 'PrimaryKeepaliveMessage', walEnd, serverTime, replyRequested };
}
