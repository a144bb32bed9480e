// The RPC layer of the Satellite protocol: requests and answers wrapped in SatRpcRequest / SatRpcResponse.
//
//   SatRpcRequest  => method:string(1) request_id:uint32(2) message:bytes(3)
//   SatRpcResponse => method:string(1) request_id:uint32(2) result:oneof{ message:bytes(3) | error:SatErrorResp(4) }
//
// `message` is the encoded request or response of the method, with no type byte. Calls go both ways:
// - client -> server (service Root): authenticate, startReplication, stopReplication, subscribe, unsubscribe;
// - server -> client (service ClientRoot): startReplication and stopReplication of the client's outbound stream.
// An answer repeats the method and request id of its request; the client matches answers on "<method>/<request_id>"
// and gives up after its RPC timeout (3 s by default). Each side numbers its own requests independently.
import { create, toBinary } from '@bufbuild/protobuf';
import type { DescMessage, MessageInitShape, MessageShape } from '@bufbuild/protobuf';
import { ClientProtocolError } from './errors.ts';
import { decodeBody } from './frames.ts';
import {
  ClientRoot,
  Root,
  SatErrorRespSchema,
  SatInStartReplicationReqSchema,
  SatInStopReplicationReqSchema,
  SatRpcRequestSchema,
  SatRpcResponseSchema,
} from './gen/satellite_pb.ts';
import type {
  SatErrorResp,
  SatErrorResp_ErrorCode,
  SatInStartReplicationReq,
  SatRpcRequest,
  SatRpcResponse,
} from './gen/satellite_pb.ts';

type RootMethods = typeof Root.method;
type ClientRootMethods = typeof ClientRoot.method;

/** Methods the client calls on the server. */
export type ClientRpcMethod = keyof RootMethods & string;
/** Methods the server calls on the client. */
export type ServerRpcMethod = keyof ClientRootMethods & string;

/** The request message of a client-called method, e.g. SatAuthReq for 'authenticate'. */
export type ClientRpcRequest<M extends ClientRpcMethod> = MessageShape<RootMethods[M]['input']>;
/** The response message of a client-called method, e.g. SatAuthResp for 'authenticate'. */
export type ClientRpcResponse<M extends ClientRpcMethod> = MessageShape<RootMethods[M]['output']>;
/** The response message the client answers a server-called method with. */
export type ServerRpcResponse<M extends ServerRpcMethod> = MessageShape<ClientRootMethods[M]['output']>;

/** The method names of service Root, from the schema: authenticate, startReplication, stopReplication, … */
export const CLIENT_RPC_METHODS: readonly ClientRpcMethod[] = Root.methods.map((m) => m.name as ClientRpcMethod);
/** The method names of service ClientRoot: startReplication, stopReplication. */
export const SERVER_RPC_METHODS: readonly ServerRpcMethod[] = ClientRoot.methods.map(
  (m) => m.name as ServerRpcMethod,
);

const rootByName = new Map(Root.methods.map((m) => [m.name, m]));
const clientRootByName = new Map(ClientRoot.methods.map((m) => [m.name, m]));

/** A well-formed call from the client. `switch (call.method)` narrows `request`. */
export type ClientRpcCall = {
  [M in ClientRpcMethod]: {
    readonly kind: 'call';
    readonly method: M;
    readonly requestId: number;
    readonly request: ClientRpcRequest<M>;
  };
}[ClientRpcMethod];

/**
 * A call the server must refuse: an unknown method (CP_UNKNOWN_RPC_METHOD) or an inner message that does not decode
 * (CP_MALFORMED_MESSAGE). Answer it with buildRpcError(rejected, INVALID_REQUEST) and close the connection, as
 * Electric does.
 */
export interface RejectedRpcCall {
  readonly kind: 'rejected';
  readonly method: string;
  readonly requestId: number;
  readonly error: ClientProtocolError;
}

/** Decodes the request inside a SatRpcRequest from the client. Never throws for bad input: see RejectedRpcCall. */
export function parseRpcRequest(envelope: SatRpcRequest): ClientRpcCall | RejectedRpcCall {
  const { method, requestId } = envelope;
  const descriptor = rootByName.get(method);
  if (descriptor === undefined) {
    const error = new ClientProtocolError('CP_UNKNOWN_RPC_METHOD', `unknown RPC method ${JSON.stringify(method)}`);
    return { kind: 'rejected', method, requestId, error };
  }
  try {
    const request = decodeBody(descriptor.input, envelope.message, `${method} request ${descriptor.input.name}`);
    return { kind: 'call', method, requestId, request } as ClientRpcCall;
  } catch (error) {
    if (!(error instanceof ClientProtocolError)) throw error;
    return { kind: 'rejected', method, requestId, error };
  }
}

/**
 * Builds the successful answer to a client call: `response` (a message or its init object) is encoded into
 * SatRpcResponse.message. Its type follows from the call's method, e.g. SatAuthResp for 'authenticate'.
 */
export function buildRpcResponse<M extends ClientRpcMethod>(
  call: { readonly method: M; readonly requestId: number },
  response: MessageInitShape<RootMethods[M]['output']>,
): SatRpcResponse {
  const descriptor = rootByName.get(call.method);
  if (descriptor === undefined) throw new TypeError(`${call.method} is not a method of service Root`);
  return create(SatRpcResponseSchema, {
    method: call.method,
    requestId: call.requestId,
    result: { case: 'message', value: encodeMessage(descriptor.output, response) },
  });
}

/**
 * Builds the failed answer to a call (also to a rejected one): SatRpcResponse.error = SatErrorResp{errorType,
 * message}. The client turns the error type into its own error code and ignores `message`.
 */
export function buildRpcError(
  call: { readonly method: string; readonly requestId: number },
  errorType: SatErrorResp_ErrorCode,
  message?: string,
): SatRpcResponse {
  return create(SatRpcResponseSchema, {
    method: call.method,
    requestId: call.requestId,
    result: { case: 'error', value: buildErrorResp(errorType, message) },
  });
}

/** A SatErrorResp, to send inside buildRpcError or on its own as a frame. */
export function buildErrorResp(errorType: SatErrorResp_ErrorCode, message?: string, lsn?: Uint8Array): SatErrorResp {
  return create(SatErrorRespSchema, {
    errorType,
    ...(message === undefined ? {} : { message }),
    ...(lsn === undefined ? {} : { lsn }),
  });
}

/** Builds a request from the server to the client (service ClientRoot). */
export function buildServerRpcRequest<M extends ServerRpcMethod>(
  method: M,
  requestId: number,
  request: MessageInitShape<ClientRootMethods[M]['input']>,
): SatRpcRequest {
  const descriptor = clientRootByName.get(method);
  if (descriptor === undefined) throw new TypeError(`${method} is not a method of service ClientRoot`);
  return create(SatRpcRequestSchema, { method, requestId, message: encodeMessage(descriptor.input, request) });
}

/**
 * The server's `startReplication` call that lets the client start sending its local writes. `clientLsn` is the
 * client's own LSN to resume after, exactly as the client sent it (the 4-byte `lsn` of the newest client transaction
 * the server has applied), or empty when the server has none: the client then sends every write in its oplog.
 */
export function buildStartReplicationRequest(requestId: number, clientLsn: Uint8Array): SatRpcRequest {
  const request: SatInStartReplicationReq = create(SatInStartReplicationReqSchema, { lsn: clientLsn });
  return buildServerRpcRequest('startReplication', requestId, request);
}

/** The server's `stopReplication` call: the client stops sending its local writes. */
export function buildStopReplicationRequest(requestId: number): SatRpcRequest {
  return buildServerRpcRequest('stopReplication', requestId, create(SatInStopReplicationReqSchema));
}

/** The client's answer to a server call: its response message, or the SatErrorResp it failed with. */
export type ServerRpcResult = {
  [M in ServerRpcMethod]:
    | {
        readonly kind: 'response';
        readonly method: M;
        readonly requestId: number;
        readonly response: ServerRpcResponse<M>;
      }
    | { readonly kind: 'error'; readonly method: M; readonly requestId: number; readonly error: SatErrorResp };
}[ServerRpcMethod];

/** An answer from the client that names a method the server never calls, has no result, or does not decode. */
export interface RejectedRpcResponse {
  readonly kind: 'rejected';
  readonly method: string;
  readonly requestId: number;
  readonly error: ClientProtocolError;
}

/**
 * Decodes a SatRpcResponse from the client (the answer to buildServerRpcRequest). Matching it to the pending request
 * by method and request id is the caller's job. Never throws for bad input: see RejectedRpcResponse.
 */
export function parseRpcResponse(envelope: SatRpcResponse): ServerRpcResult | RejectedRpcResponse {
  const { method, requestId, result } = envelope;
  const descriptor = clientRootByName.get(method);
  if (descriptor === undefined) {
    const error = new ClientProtocolError(
      'CP_UNKNOWN_RPC_METHOD',
      `response for a method the server never calls: ${JSON.stringify(method)}`,
    );
    return { kind: 'rejected', method, requestId, error };
  }
  switch (result.case) {
    case 'error':
      return { kind: 'error', method, requestId, error: result.value } as ServerRpcResult;
    case 'message':
      try {
        const response = decodeBody(descriptor.output, result.value, `${method} response ${descriptor.output.name}`);
        return { kind: 'response', method, requestId, response } as ServerRpcResult;
      } catch (error) {
        if (!(error instanceof ClientProtocolError)) throw error;
        return { kind: 'rejected', method, requestId, error };
      }
    default: {
      const error = new ClientProtocolError('CP_MALFORMED_MESSAGE', `${method} response has neither message nor error`);
      return { kind: 'rejected', method, requestId, error };
    }
  }
}

function encodeMessage(schema: DescMessage, init: unknown): Uint8Array {
  return toBinary(schema, create(schema, init as MessageInitShape<DescMessage>));
}
