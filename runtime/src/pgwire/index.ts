// pgwire: the Postgres wire codec of electric-sync, decode half of logical replication.
//
// Purpose: turn the bytes of a logical replication stream into typed messages, and build the few bytes we send
// back. It is a pure codec: no sockets, no timers, no sessions. The replication connection (upstream/) owns the
// socket, the CopyData framing loop and backpressure, and calls in here with whole payloads.
//
// How the pieces fit, for one CopyData payload `payload` received after START_REPLICATION … LOGICAL …
// (proto_version '1', publication_names '…', messages):
//
//   const decoder = createPgoutputDecoder();            // one per stream: it caches Relation messages by OID
//   const message = parseReplicationMessage(payload);   // XLogData 'w' | PrimaryKeepaliveMessage 'k'
//   if (message.type === 'XLogData') {
//     const change = decoder.decode(message.data);      // Begin, Relation, Insert, …, Commit
//     if (change.type === 'Insert') buildRow(change.relation, change.newTuple);  // { id: 1n, title: 'x', … }
//   }
//   socket.write(copyData(serializeStandbyStatusUpdate({ written, flushed, applied, clientTime, replyRequested })));
//
// Invariants:
// - LSNs are bigint everywhere; `X/Y` text only through parseLsn / formatLsn at the edges.
// - Times on the wire are TimestampTz bigints (µs since 2000-01-01 UTC); convert with the pgMicros* helpers.
// - Every failure is a PgwireError with a code from pgwireErrorCodes. Nothing is skipped silently: an unknown
//   message type, a change for a relation never described, or bytes past the end of a message all throw.
// - Decoded Buffers (XLogData.data, Message.content, binary tuple values) are views into the input, not copies.
// - Column values arrive as text; parseTextValue / buildRow type them, assuming the session runs with DateStyle ISO,
//   TimeZone UTC, bytea_output hex and client_encoding UTF8 (see pgoutput/values.ts).

// Errors: the one error class, its closed code list, and a type guard.
export { PgwireError, isPgwireError, pgwireErrorCodes, type PgwireErrorCode } from './errors.ts';

// Byte cursor used by the decoders; exported for decodeNext and for other codecs in this folder's callers.
export { Reader } from './reader.ts';

// LSNs: `X/Y` text ⇄ bigint.
export { formatLsn, parseLsn, INVALID_LSN, MAX_LSN } from './replication/lsn.ts';

// Streaming replication CopyData payloads: parse what the server sends, serialize our status update.
export { parseReplicationMessage } from './replication/parser.ts';
export { serializeStandbyStatusUpdate } from './replication/serializer.ts';
export {
  ReplicationMessageCode,
  type PrimaryKeepaliveMessage,
  type ReplicationMessage,
  type StandbyStatusUpdate,
  type XLogData,
} from './replication/messages.ts';

// Postgres TimestampTz (µs since 2000-01-01) ⇄ JavaScript time.
export {
  dateToPgMicros,
  millisToPgMicros,
  pgMicrosToDate,
  pgMicrosToMillis,
  PG_EPOCH_UNIX_MILLIS,
} from './replication/time.ts';

// pgoutput (proto_version 1 + messages): a per-stream decoder and the message types it produces.
export { createPgoutputDecoder, type PgoutputDecoder } from './pgoutput/parser.ts';
export {
  PgoutputMessageCode,
  UNCHANGED_TOAST,
  type BeginMessage,
  type CommitMessage,
  type DeleteMessage,
  type InsertMessage,
  type LogicalDecodingMessage,
  type OriginMessage,
  type PgoutputMessage,
  type PgoutputMessageName,
  type RelationColumn,
  type RelationMessage,
  type ReplicaIdentity,
  type TruncateMessage,
  type TupleData,
  type TupleValue,
  type TypeMessage,
  type UnchangedToast,
  type UpdateMessage,
} from './pgoutput/messages.ts';

// Column values: text → JS by type OID, and helpers for the types kept as text.
export {
  buildRow,
  parseJsonb,
  parseTextValue,
  parseTimestamptz,
  PgTypeOid,
  type PgValue,
} from './pgoutput/values.ts';
