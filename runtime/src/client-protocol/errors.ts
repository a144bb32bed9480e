// The one error type of the Satellite codec. Every failure carries a code from a closed list, so callers branch on
// `error.code`, never on message text. All of them mean the peer sent bytes or values we will not accept (or that
// we were asked to encode something the client cannot represent); none is fixed by retrying the same input.
//
// How the server answers each (see index.ts): a frame that fails decodeFrame gets a SatErrorResp frame and close
// 1007; an RPC whose inner message fails gets SatRpcResponse{error: INVALID_REQUEST}; CP_MALFORMED_LSN becomes
// SatInStartReplicationResp.err = MALFORMED_LSN; a client row that fails parseRow fails the client's transaction.
import { SyncError } from '../errors.ts';

export const clientProtocolErrorCodes = [
  /** A WebSocket message with no bytes at all: not even a type byte. */
  'CP_EMPTY_FRAME',
  /** A frame longer than MAX_FRAME_BYTES. */
  'CP_FRAME_TOO_LARGE',
  /** A type byte that is not in the message-type table (frames.ts). */
  'CP_UNKNOWN_MESSAGE_TYPE',
  /** Protobuf bytes that do not decode as the message the type byte (or the RPC method) names. */
  'CP_MALFORMED_MESSAGE',
  /** An RPC method name the callee does not implement. */
  'CP_UNKNOWN_RPC_METHOD',
  /** LSN bytes that are not in the format we produce (lsn.ts). */
  'CP_MALFORMED_LSN',
  /** A SatOpRow whose shape is wrong: value count, bitmask length, NULL where NULL is not allowed. */
  'CP_MALFORMED_ROW',
  /** One column value that is not a valid value of its type. */
  'CP_INVALID_VALUE',
  /** A column whose type the protocol does not carry (not one of Electric's supported types or an enum). */
  'CP_UNSUPPORTED_TYPE',
] as const;

export type ClientProtocolErrorCode = (typeof clientProtocolErrorCodes)[number];

/** Never retryable: the same input fails the same way. */
export class ClientProtocolError extends SyncError<ClientProtocolErrorCode> {
  override readonly name = 'ClientProtocolError';
}

export function isClientProtocolError(error: unknown, code?: ClientProtocolErrorCode): error is ClientProtocolError {
  return error instanceof ClientProtocolError && (code === undefined || error.code === code);
}
