// client-protocol: the wire format of the Satellite protocol that the published `electric-sql` 0.x client speaks on
// `/ws` (protocol notes §3). A pure codec: no sockets, no timers, no sessions. The WebSocket layer (ws/) owns the
// socket, the sub-protocol check, pings and backpressure, and calls in here with whole WebSocket messages.
//
// How the pieces fit, for one binary WebSocket message `data` from a client:
//
//   const frame = decodeFrame(data);                        // throws ClientProtocolError → SatErrorResp + close 1007
//   switch (frame.name) {
//     case 'SatRpcRequest': {
//       const call = parseRpcRequest(frame.message);        // never throws
//       if (call.kind === 'rejected') send(buildRpcError(call, SatErrorResp_ErrorCode.INVALID_REQUEST)), close;
//       else if (call.method === 'authenticate') send(buildRpcResponse(call, { id: serverId }));
//       …
//     }
//     case 'SatOpLog': … parseRow(op.rowData, columns) …     // client writes, values checked per type
//   }
//   socket.send(encodeFrame(create(SatOpLogSchema, { ops: [...] })));   // rows via serializeRow(record, columns)
//
// Invariants:
// - The schema is runtime/proto/satellite.proto; gen/ is generated from it by runtime/proto/generate.sh and never
//   edited. The message-type bytes are exactly the published client's (frames.ts MessageType).
// - Every failure is a ClientProtocolError with a code from clientProtocolErrorCodes; decoders never skip silently.
// - Server LSNs are our Postgres LSN in ASCII decimal (lsn.ts); client LSNs are the client's 4-byte row ids, which
//   the server stores and echoes but never invents.
// - uint64 fields (timestamps, transaction ids) are bigint; commit timestamps are milliseconds.
// - Decoded bytes fields are views into the received message, except values parseRow returns (copied).
// - PROTOCOL_VERSION changes whenever the schema does (protocol-version.test.ts enforces it).

// Errors: the one error class, its closed code list, and a type guard.
export { ClientProtocolError, clientProtocolErrorCodes, isClientProtocolError } from './errors.ts';
export type { ClientProtocolErrorCode } from './errors.ts';

// Schema version of our .proto, with its history and the fingerprint the test checks.
export { PROTOCOL_HISTORY, PROTOCOL_VERSION, fingerprintSchema } from './protocol-version.ts';
export type { ProtocolHistoryEntry } from './protocol-version.ts';

// Frames: one type byte + protobuf bytes.
export {
  CLIENT_FRAME_NAMES,
  CLIENT_MAX_FRAME_BYTES,
  MAX_FRAME_BYTES,
  MessageType,
  RETIRED_MESSAGE_TYPES,
  decodeFrame,
  encodeFrame,
  frameNameOf,
} from './frames.ts';
export type { Frame, FrameMessage, FrameName } from './frames.ts';

// RPC envelopes, both directions.
export {
  CLIENT_RPC_METHODS,
  SERVER_RPC_METHODS,
  buildErrorResp,
  buildRpcError,
  buildRpcResponse,
  buildServerRpcRequest,
  buildStartReplicationRequest,
  buildStopReplicationRequest,
  parseRpcRequest,
  parseRpcResponse,
} from './rpc.ts';
export type {
  ClientRpcCall,
  ClientRpcMethod,
  ClientRpcRequest,
  ClientRpcResponse,
  RejectedRpcCall,
  RejectedRpcResponse,
  ServerRpcMethod,
  ServerRpcResponse,
  ServerRpcResult,
} from './rpc.ts';

// LSNs: server positions (decimal text of our Postgres LSN) and client positions (4-byte row ids).
export { isEmptyLsn, parseClientLsn, parseServerLsn, serializeClientLsn, serializeServerLsn } from './lsn.ts';

// Column values in SatOpRow, both directions.
export {
  bitmaskLength,
  parseColumnValue,
  parseRow,
  rowValueTypes,
  serializeColumnValue,
  serializeRow,
} from './row-encoding.ts';
export type { RowColumn, RowRecord, RowValue, RowValueType } from './row-encoding.ts';

// The generated messages, their schemas (for `create`) and enums.
export * from './gen/satellite_pb.ts';
