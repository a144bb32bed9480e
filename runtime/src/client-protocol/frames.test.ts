import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { create, equals } from '@bufbuild/protobuf';
import type { DescMessage } from '@bufbuild/protobuf';
import { isClientProtocolError } from './errors.ts';
import {
  CLIENT_FRAME_NAMES,
  MAX_FRAME_BYTES,
  MessageType,
  RETIRED_MESSAGE_TYPES,
  decodeFrame,
  encodeFrame,
  frameNameOf,
} from './frames.ts';
import type { FrameMessage, FrameName } from './frames.ts';
import {
  SatAuthReqSchema,
  SatErrorRespSchema,
  SatErrorResp_ErrorCode,
  SatOpLogAckSchema,
  SatOpLogSchema,
  SatRelationSchema,
  SatRelation_RelationType,
  SatRpcRequestSchema,
  SatRpcResponseSchema,
  SatShapeDataBeginSchema,
  SatShapeDataEndSchema,
  SatSubsDataBeginSchema,
  SatSubsDataEndSchema,
  SatSubsDataErrorSchema,
  SatSubsDataError_Code,
  SatUnsubsDataBeginSchema,
  SatUnsubsDataEndSchema,
} from './gen/satellite_pb.ts';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** Bytes from [hex, what they are] lines, so a fixture reads like an annotated protocol dump. */
const wire = (lines: readonly (readonly [bytes: string, meaning: string])[]) =>
  hex(lines.map(([bytes]) => bytes).join(''));

describe('MessageType', () => {
  test('is exactly the type-byte table of electric-sql@0.12.1 (dist/util/proto.js msgtypetuples)', () => {
    // Copied by hand from the published tarball, not from our code.
    assert.deepEqual(MessageType, {
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
    });
  });

  test('uses no retired byte and no byte twice', () => {
    const bytes = Object.values(MessageType);
    assert.equal(new Set(bytes).size, bytes.length);
    for (const byte of bytes) assert.ok(!RETIRED_MESSAGE_TYPES.includes(byte), `${byte} is retired`);
  });

  test('frameNameOf maps every byte of the table back, and nothing else', () => {
    for (const [name, byte] of Object.entries(MessageType)) assert.equal(frameNameOf(byte), name);
    const known = new Set<number>(Object.values(MessageType));
    for (let byte = 0; byte < 256; byte++) if (!known.has(byte)) assert.equal(frameNameOf(byte), undefined);
  });

  test('the client sends only RPCs, relations, transactions and acks', () => {
    assert.deepEqual([...CLIENT_FRAME_NAMES].sort(), [
      'SatOpLog',
      'SatOpLogAck',
      'SatRelation',
      'SatRpcRequest',
      'SatRpcResponse',
    ]);
  });
});

// One non-trivial example of every framed message.
const examples: { readonly [K in FrameName]: FrameMessage } = {
  SatErrorResp: create(SatErrorRespSchema, {
    errorType: SatErrorResp_ErrorCode.INVALID_REQUEST,
    message: 'nope',
    lsn: Buffer.from('17'),
  }),
  SatOpLog: create(SatOpLogSchema, {
    ops: [
      {
        op: {
          case: 'begin',
          value: {
            commitTimestamp: 1_718_800_000_123n,
            lsn: Buffer.from('99'),
            origin: 'o',
            transactionId: 2n ** 64n - 1n,
          },
        },
      },
      {
        op: {
          case: 'insert',
          value: {
            relationId: 16_384,
            rowData: { nullsBitmask: Uint8Array.of(0x40), values: [Buffer.from('1'), new Uint8Array()] },
            tags: ['o@1'],
          },
        },
      },
      { op: { case: 'commit', value: { commitTimestamp: 1_718_800_000_123n, lsn: Buffer.from('99') } } },
    ],
  }),
  SatRelation: create(SatRelationSchema, {
    schemaName: 'public',
    tableType: SatRelation_RelationType.TABLE,
    tableName: 'items',
    relationId: 16_384,
    columns: [
      { name: 'id', type: 'uuid', primaryKey: true, isNullable: false },
      { name: 'title', type: 'text', isNullable: true },
    ],
  }),
  SatSubsDataError: create(SatSubsDataErrorSchema, {
    code: SatSubsDataError_Code.SHAPE_DELIVERY_ERROR,
    message: 'too big',
    subscriptionId: 's',
    shapeRequestError: [{ code: 1, message: 'm', requestId: 'r' }],
  }),
  SatSubsDataBegin: create(SatSubsDataBeginSchema, { subscriptionId: 's', lsn: Buffer.from('123') }),
  SatSubsDataEnd: create(SatSubsDataEndSchema),
  SatShapeDataBegin: create(SatShapeDataBeginSchema, { requestId: 'r', uuid: 'u' }),
  SatShapeDataEnd: create(SatShapeDataEndSchema),
  SatRpcRequest: create(SatRpcRequestSchema, { method: 'subscribe', requestId: 4, message: Uint8Array.of(1, 2, 3) }),
  SatRpcResponse: create(SatRpcResponseSchema, {
    method: 'authenticate',
    requestId: 1,
    result: { case: 'error', value: { errorType: SatErrorResp_ErrorCode.AUTH_FAILED } },
  }),
  SatOpLogAck: create(SatOpLogAckSchema, {
    ackTimestamp: 1n,
    lsn: Buffer.from('5'),
    transactionId: 9n,
    subscriptionIds: ['a'],
    additionalDataSourceIds: [3n],
    goneSubscriptionIds: ['b'],
  }),
  SatUnsubsDataBegin: create(SatUnsubsDataBeginSchema, { subscriptionIds: ['a', 'b'], lsn: Buffer.from('8') }),
  SatUnsubsDataEnd: create(SatUnsubsDataEndSchema),
};

const schemas: { readonly [K in FrameName]: DescMessage } = {
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
};

describe('encodeFrame and decodeFrame', () => {
  for (const name of Object.keys(examples) as FrameName[]) {
    test(`round-trips ${name} behind type byte ${MessageType[name]}`, () => {
      const frame = encodeFrame(examples[name]);
      assert.equal(frame[0], MessageType[name]);
      const decoded = decodeFrame(frame);
      assert.equal(decoded.name, name);
      assert.ok(equals(schemas[name], decoded.message, examples[name]), `${name} changed in the round trip`);
    });
  }

  test('writes an empty message as its type byte alone', () => {
    assert.deepEqual(encodeFrame(create(SatSubsDataEndSchema)), Buffer.of(16));
    assert.deepEqual(encodeFrame(create(SatShapeDataEndSchema)), Buffer.of(18));
  });

  test('encodes a SatOpLog with one begin byte for byte as the proto wire format says', () => {
    const log = create(SatOpLogSchema, {
      ops: [{ op: { case: 'begin', value: { commitTimestamp: 300n, lsn: Buffer.from('42'), transactionId: 7n } } }],
    });
    const expected = wire([
      ['09', 'type byte: SatOpLog'],
      ['0a 0b', 'SatOpLog.ops (field 1, length-delimited), 11 bytes'],
      ['0a 09', '  SatTransOp.begin (field 1, length-delimited), 9 bytes'],
      ['08 ac 02', '    SatOpBegin.commit_timestamp (field 1, varint) = 300 = 0b10_0101100 -> 1_0101100 0_0000010'],
      ['1a 02 34 32', '    SatOpBegin.lsn (field 3, length-delimited) = "42"'],
      ['38 07', '    SatOpBegin.transaction_id (field 7, varint) = 7; unset origin and zero fields are not written'],
    ]);
    assert.deepEqual(encodeFrame(log), expected);
    const decoded = decodeFrame(expected);
    assert.equal(decoded.name, 'SatOpLog');
    assert.ok(decoded.name === 'SatOpLog');
    const op = decoded.message.ops[0]?.op;
    assert.equal(op?.case, 'begin');
    assert.ok(op?.case === 'begin');
    assert.equal(op.value.commitTimestamp, 300n);
    assert.equal(Buffer.from(op.value.lsn).toString(), '42');
    assert.equal(op.value.transactionId, 7n);
    assert.equal(op.value.origin, undefined);
    assert.equal(op.value.isMigration, false);
  });

  test('decodes a client authenticate request built byte by byte', () => {
    const frame = wire([
      ['15', 'type byte 21: SatRpcRequest'],
      ['0a 0c 61 75 74 68 65 6e 74 69 63 61 74 65', 'method (field 1) = "authenticate"'],
      ['10 01', 'request_id (field 2, varint) = 1'],
      ['1a 07', 'message (field 3), 7 bytes: a SatAuthReq'],
      ['0a 02 63 31', '  id (field 1) = "c1"'],
      ['12 01 74', '  token (field 2) = "t"'],
    ]);
    const decoded = decodeFrame(frame);
    assert.ok(decoded.name === 'SatRpcRequest');
    assert.equal(decoded.message.method, 'authenticate');
    assert.equal(decoded.message.requestId, 1);
    const authReq = hex('0a02 6331 1201 74');
    assert.deepEqual(Buffer.from(decoded.message.message), authReq);
    const envelope = create(SatRpcRequestSchema, { method: 'authenticate', requestId: 1, message: authReq });
    assert.deepEqual(encodeFrame(envelope), frame);
  });

  test('skips unknown fields instead of failing (forward compatibility)', () => {
    // SatSubsDataBegin with subscription_id "s" and an unknown field 9 (varint 1).
    const decoded = decodeFrame(hex('0f 0a 01 73 48 01'));
    assert.ok(decoded.name === 'SatSubsDataBegin');
    assert.equal(decoded.message.subscriptionId, 's');
  });

  test('refuses to frame a message that only travels inside an RPC', () => {
    const bare = create(SatAuthReqSchema, { id: 'c', token: 't' }) as unknown as FrameMessage;
    assert.throws(() => encodeFrame(bare), TypeError);
  });
});

describe('decodeFrame errors', () => {
  const code = (expected: string) => (error: unknown) => isClientProtocolError(error) && error.code === expected;

  test('an empty message is CP_EMPTY_FRAME', () => {
    assert.throws(() => decodeFrame(new Uint8Array()), code('CP_EMPTY_FRAME'));
  });

  for (const byte of [1, 3, 12, 19, 20, 26, 99, 255]) {
    test(`type byte ${byte} is CP_UNKNOWN_MESSAGE_TYPE`, () => {
      assert.throws(() => decodeFrame(Uint8Array.of(byte, 0x0a, 0x00)), code('CP_UNKNOWN_MESSAGE_TYPE'));
    });
  }

  const malformed: [string, string][] = [
    ['a length running past the end', '0a 0a 05 61'], // SatOpLog.ops claims 5 bytes, 1 present
    ['a truncated varint', '15 10 ff'], // SatRpcRequest.request_id varint never ends
    ['a field number 0', '09 00 00'],
    ['an end-group tag without a start', '09 0c'],
    ['a nested message with a bad length', '09 0a 02 0a 7f'],
    ['wire type 7, which does not exist', '0a 0f'],
  ];
  for (const [what, bytes] of malformed) {
    test(`a body with ${what} is CP_MALFORMED_MESSAGE`, () => {
      assert.throws(() => decodeFrame(hex(bytes)), code('CP_MALFORMED_MESSAGE'));
    });
  }

  test('a frame over MAX_FRAME_BYTES is CP_FRAME_TOO_LARGE, and the limit can be lowered', () => {
    const big = Buffer.alloc(MAX_FRAME_BYTES + 1);
    big[0] = MessageType.SatOpLog;
    assert.throws(() => decodeFrame(big), code('CP_FRAME_TOO_LARGE'));
    const frame = encodeFrame(examples.SatRelation);
    assert.throws(() => decodeFrame(frame, { maxBytes: frame.length - 1 }), code('CP_FRAME_TOO_LARGE'));
    assert.equal(decodeFrame(frame, { maxBytes: frame.length }).name, 'SatRelation');
  });

  test('never throws anything but ClientProtocolError for random bytes', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) & 0x7fff_ffff) >>> 16) & 0xff;
    const types = Object.values(MessageType);
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: 1 + (random() % 24) }, random);
      bytes[0] = types[random() % types.length]!;
      try {
        decodeFrame(bytes);
      } catch (error) {
        const input = Buffer.from(bytes).toString('hex');
        assert.ok(isClientProtocolError(error), `unexpected ${String(error)} for ${input}`);
      }
    }
  });
});
