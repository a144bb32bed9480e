// Framing of the Satellite protocol. Every WebSocket binary message is one frame:
//
//   Frame => type:uint8 body:bytes
//     type => the message's entry in MessageType below
//     body => the protobuf encoding of that message (the rest of the WebSocket message; no length prefix)
//
// Only the thirteen messages of MessageType are ever framed; RPC requests and responses carry the other messages
// inside SatRpcRequest / SatRpcResponse (rpc.ts). The table is exactly the published client's
// (electric-sql@0.12.1 dist/util/proto.js `msgtypetuples`), which is also Electric 0.12.1's server table
// (components/electric/lib/electric/satellite/protobuf.ex `@mapping`).
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import { ClientProtocolError } from './errors.ts';
import {
  SatErrorRespSchema,
  SatOpLogAckSchema,
  SatOpLogSchema,
  SatRelationSchema,
  SatRpcRequestSchema,
  SatRpcResponseSchema,
  SatShapeDataBeginSchema,
  SatShapeDataEndSchema,
  SatSubsDataBeginSchema,
  SatSubsDataEndSchema,
  SatSubsDataErrorSchema,
  SatUnsubsDataBeginSchema,
  SatUnsubsDataEndSchema,
} from './gen/satellite_pb.ts';

/** The type byte of each framed message. */
export const MessageType = {
  SatErrorResp: 0,
  SatOpLog: 9,
  SatRelation: 10,
  SatSubsDataError: 14,
  SatSubsDataBegin: 15,
  SatSubsDataEnd: 16,
  SatShapeDataBegin: 17,
  SatShapeDataEnd: 18,
  SatRpcRequest: 21,
  SatRpcResponse: 22,
  SatOpLogAck: 23,
  SatUnsubsDataBegin: 24,
  SatUnsubsDataEnd: 25,
} as const;

export type FrameName = keyof typeof MessageType;

/**
 * Type bytes of messages that no longer exist (0.5.x: SatAuthReq = 1 … SatUnsubsResp = 20, and the ping pair 3/4).
 * Since 0.6 those calls travel as RPCs. Decoding treats them like any other unknown byte.
 */
export const RETIRED_MESSAGE_TYPES: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 19, 20];

/** The messages the client sends as frames; anything else arriving from a client is unexpected (INVALID_REQUEST). */
export const CLIENT_FRAME_NAMES: readonly FrameName[] = [
  'SatRpcRequest',
  'SatRpcResponse',
  'SatRelation',
  'SatOpLog',
  'SatOpLogAck',
];

/**
 * The largest frame we accept from a client, type byte included: 16 MiB. A client transaction is one SatOpLog frame,
 * so this bounds the size of one local transaction. Give the same number to the WebSocket server (`ws` maxPayload)
 * so oversized messages are refused before they are buffered; decodeFrame checks it again.
 */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/**
 * The largest frame the published client accepts: its `ws` WebSocket uses the default maxPayload of 100 MiB and
 * closes the connection (1009) on anything bigger. Split large data (shape data, migrations) over several SatOpLogs.
 */
export const CLIENT_MAX_FRAME_BYTES = 100 * 1024 * 1024;

const schemaByName = {
  SatErrorResp: SatErrorRespSchema,
  SatOpLog: SatOpLogSchema,
  SatRelation: SatRelationSchema,
  SatSubsDataError: SatSubsDataErrorSchema,
  SatSubsDataBegin: SatSubsDataBeginSchema,
  SatSubsDataEnd: SatSubsDataEndSchema,
  SatShapeDataBegin: SatShapeDataBeginSchema,
  SatShapeDataEnd: SatShapeDataEndSchema,
  SatRpcRequest: SatRpcRequestSchema,
  SatRpcResponse: SatRpcResponseSchema,
  SatOpLogAck: SatOpLogAckSchema,
  SatUnsubsDataBegin: SatUnsubsDataBeginSchema,
  SatUnsubsDataEnd: SatUnsubsDataEndSchema,
} as const satisfies Record<FrameName, DescMessage>;

type SchemaOf<K extends FrameName> = (typeof schemaByName)[K];

/** Any message that can be sent as a frame (a protobuf-es message, e.g. from `create(SatOpLogSchema, {...})`). */
export type FrameMessage = { [K in FrameName]: MessageShape<SchemaOf<K>> }[FrameName];

/** A decoded frame: `name` tells which message it is, so a `switch (frame.name)` narrows `message`. */
export type Frame = { [K in FrameName]: { readonly name: K; readonly message: MessageShape<SchemaOf<K>> } }[FrameName];

interface FrameEntry {
  readonly name: FrameName;
  readonly type: number;
  readonly schema: DescMessage;
}

const entries: readonly FrameEntry[] = (Object.keys(MessageType) as FrameName[]).map((name) => ({
  name,
  type: MessageType[name],
  schema: schemaByName[name],
}));
const entryByType: readonly (FrameEntry | undefined)[] = (() => {
  const table: (FrameEntry | undefined)[] = new Array<FrameEntry | undefined>(256).fill(undefined);
  for (const entry of entries) table[entry.type] = entry;
  return table;
})();
const entryByTypeName = new Map<string, FrameEntry>(entries.map((entry) => [entry.schema.typeName, entry]));

/** The framed message a type byte stands for, or undefined for a byte outside the table. */
export function frameNameOf(type: number): FrameName | undefined {
  return entryByType[type]?.name;
}

/**
 * Encodes one message as a frame: its type byte, then its protobuf bytes. Throws a TypeError for a message that is
 * not framed (e.g. a bare SatAuthReq, which only travels inside an RPC): that is a bug in the caller, not bad input.
 */
export function encodeFrame(message: FrameMessage): Buffer {
  const entry = entryByTypeName.get(message.$typeName);
  if (entry === undefined) {
    throw new TypeError(`${String(message.$typeName)} is not sent as a frame; wrap it in an RPC`);
  }
  const body = toBinary(entry.schema, message);
  const frame = Buffer.allocUnsafe(1 + body.length);
  frame[0] = entry.type;
  frame.set(body, 1);
  return frame;
}

/**
 * Decodes one frame (one whole WebSocket binary message). Throws ClientProtocolError:
 * CP_EMPTY_FRAME for zero bytes, CP_FRAME_TOO_LARGE above `maxBytes` (default MAX_FRAME_BYTES), CP_UNKNOWN_MESSAGE_TYPE
 * for a type byte outside MessageType, CP_MALFORMED_MESSAGE for a body that is not valid protobuf for that message.
 * Unknown fields are dropped. Bytes fields of the result (row values, RPC payloads) are views into `data`.
 */
export function decodeFrame(data: Uint8Array, options?: { readonly maxBytes?: number }): Frame {
  if (data.length === 0) throw new ClientProtocolError('CP_EMPTY_FRAME', 'empty frame: expected a type byte');
  const maxBytes = options?.maxBytes ?? MAX_FRAME_BYTES;
  if (data.length > maxBytes) {
    throw new ClientProtocolError('CP_FRAME_TOO_LARGE', `frame of ${data.length} bytes exceeds ${maxBytes} bytes`);
  }
  const type = data[0]!;
  const entry = entryByType[type];
  if (entry === undefined) {
    const retired = RETIRED_MESSAGE_TYPES.includes(type) ? ' (retired since protocol 0.6)' : '';
    throw new ClientProtocolError('CP_UNKNOWN_MESSAGE_TYPE', `unknown message type byte ${type}${retired}`);
  }
  return { name: entry.name, message: decodeBody(entry.schema, data.subarray(1), entry.name) } as Frame;
}

/**
 * Decodes protobuf bytes as one message of `schema`, or throws CP_MALFORMED_MESSAGE. Used for frame bodies and for
 * the messages inside RPC envelopes.
 */
export function decodeBody<Desc extends DescMessage>(
  schema: Desc,
  bytes: Uint8Array,
  what: string,
): MessageShape<Desc> {
  try {
    return fromBinary(schema, bytes, { readUnknownFields: false });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ClientProtocolError('CP_MALFORMED_MESSAGE', `cannot decode ${what}: ${reason}`, { cause });
  }
}
