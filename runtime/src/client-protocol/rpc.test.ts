import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { isClientProtocolError } from './errors.ts';
import type { ClientProtocolErrorCode } from './errors.ts';
import { decodeFrame, encodeFrame } from './frames.ts';
import {
  SatAuthReqSchema,
  SatAuthRespSchema,
  SatErrorResp_ErrorCode,
  SatInStartReplicationReqSchema,
  SatInStartReplicationReq_Dialect,
  SatInStartReplicationRespSchema,
  SatInStartReplicationResp_ReplicationError_Code,
  SatInStopReplicationReqSchema,
  SatRpcRequestSchema,
  SatRpcResponseSchema,
  SatSubsReqSchema,
  SatSubsRespSchema,
  SatUnsubsReqSchema,
  SatUnsubsRespSchema,
} from './gen/satellite_pb.ts';
import type { SatRpcResponse } from './gen/satellite_pb.ts';
import {
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

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

function request(method: string, requestId: number, message: Uint8Array) {
  return create(SatRpcRequestSchema, { method, requestId, message });
}

describe('RPC method tables', () => {
  test('the client calls exactly the five methods of service Root', () => {
    const expected = ['authenticate', 'startReplication', 'stopReplication', 'subscribe', 'unsubscribe'];
    assert.deepEqual(CLIENT_RPC_METHODS, expected);
  });

  test('the server calls exactly startReplication and stopReplication of service ClientRoot', () => {
    assert.deepEqual(SERVER_RPC_METHODS, ['startReplication', 'stopReplication']);
  });
});

describe('parseRpcRequest', () => {
  test('decodes authenticate into a SatAuthReq', () => {
    const inner = toBinary(SatAuthReqSchema, create(SatAuthReqSchema, { id: 'client-1', token: 'jwt' }));
    const call = parseRpcRequest(request('authenticate', 1, inner));
    assert.equal(call.kind, 'call');
    assert.ok(call.kind === 'call' && call.method === 'authenticate');
    assert.equal(call.requestId, 1);
    assert.equal(call.request.id, 'client-1');
    assert.equal(call.request.token, 'jwt');
    assert.deepEqual(call.request.headers, []);
  });

  test('decodes startReplication with every field the 0.12 client sets', () => {
    const inner = toBinary(
      SatInStartReplicationReqSchema,
      create(SatInStartReplicationReqSchema, {
        lsn: Buffer.from('1234'),
        subscriptionIds: ['s1'],
        schemaVersion: '20240619',
        observedTransactionData: [5n],
        sqlDialect: SatInStartReplicationReq_Dialect.SQLITE,
        observedGoneBatch: ['s0'],
      }),
    );
    const call = parseRpcRequest(request('startReplication', 2, inner));
    assert.ok(call.kind === 'call' && call.method === 'startReplication');
    assert.equal(Buffer.from(call.request.lsn).toString(), '1234');
    assert.deepEqual(call.request.subscriptionIds, ['s1']);
    assert.equal(call.request.schemaVersion, '20240619');
    assert.deepEqual(call.request.observedTransactionData, [5n]);
    assert.equal(call.request.sqlDialect, SatInStartReplicationReq_Dialect.SQLITE);
    assert.deepEqual(call.request.observedGoneBatch, ['s0']);
  });

  test('tells an unset schema_version and sql_dialect from set ones (proto3 optional)', () => {
    const call = parseRpcRequest(request('startReplication', 2, new Uint8Array()));
    assert.ok(call.kind === 'call' && call.method === 'startReplication');
    assert.equal(call.request.schemaVersion, undefined);
    assert.equal(call.request.sqlDialect, undefined);
    assert.equal(call.request.lsn.length, 0);
  });

  test('decodes subscribe with a shape tree', () => {
    const inner = toBinary(
      SatSubsReqSchema,
      create(SatSubsReqSchema, {
        subscriptionId: 'sub',
        shapeRequests: [
          {
            requestId: 'r1',
            shapeDefinition: {
              selects: [
                {
                  tablename: 'projects',
                  where: "this.status = 'open'",
                  include: [{ foreignKey: ['project_id'], select: { tablename: 'issues' } }],
                },
              ],
            },
          },
        ],
      }),
    );
    const call = parseRpcRequest(request('subscribe', 3, inner));
    assert.ok(call.kind === 'call' && call.method === 'subscribe');
    const select = call.request.shapeRequests[0]?.shapeDefinition?.selects[0];
    assert.equal(select?.tablename, 'projects');
    assert.equal(select?.where, "this.status = 'open'");
    assert.equal(select?.include[0]?.select?.tablename, 'issues');
    assert.deepEqual(select?.include[0]?.foreignKey, ['project_id']);
  });

  test('decodes stopReplication and unsubscribe', () => {
    const stop = parseRpcRequest(request('stopReplication', 4, new Uint8Array()));
    assert.ok(stop.kind === 'call' && stop.method === 'stopReplication');
    const inner = toBinary(SatUnsubsReqSchema, create(SatUnsubsReqSchema, { subscriptionIds: ['a', 'b'] }));
    const unsubscribe = parseRpcRequest(request('unsubscribe', 5, inner));
    assert.ok(unsubscribe.kind === 'call' && unsubscribe.method === 'unsubscribe');
    assert.deepEqual(unsubscribe.request.subscriptionIds, ['a', 'b']);
  });

  for (const method of ['ping', '', 'Authenticate', 'toString', '__proto__', 'constructor']) {
    test(`rejects method ${JSON.stringify(method)} with CP_UNKNOWN_RPC_METHOD, keeping the request id`, () => {
      const call = parseRpcRequest(request(method, 77, new Uint8Array()));
      assert.equal(call.kind, 'rejected');
      assert.ok(call.kind === 'rejected');
      assert.equal(call.method, method);
      assert.equal(call.requestId, 77);
      assert.ok(isClientProtocolError(call.error, 'CP_UNKNOWN_RPC_METHOD'));
    });
  }

  test('rejects an inner message that does not decode with CP_MALFORMED_MESSAGE', () => {
    const call = parseRpcRequest(request('subscribe', 9, hex('0a 05 61')));
    assert.ok(call.kind === 'rejected');
    assert.equal(call.method, 'subscribe');
    assert.equal(call.requestId, 9);
    assert.ok(isClientProtocolError(call.error, 'CP_MALFORMED_MESSAGE'));
  });
});

describe('building answers to client calls', () => {
  test('buildRpcResponse encodes the method’s response message, given as an init object', () => {
    const response = buildRpcResponse({ method: 'authenticate', requestId: 1 }, { id: 'electric-sync' });
    assert.equal(response.method, 'authenticate');
    assert.equal(response.requestId, 1);
    assert.ok(response.result.case === 'message');
    assert.equal(fromBinary(SatAuthRespSchema, response.result.value).id, 'electric-sync');
  });

  test('buildRpcResponse takes a ready message too, and the type follows the call', () => {
    const call = parseRpcRequest(request('startReplication', 6, new Uint8Array()));
    assert.ok(call.kind === 'call' && call.method === 'startReplication');
    const response = buildRpcResponse(
      call,
      create(SatInStartReplicationRespSchema, {
        err: { code: SatInStartReplicationResp_ReplicationError_Code.MALFORMED_LSN, message: 'bad lsn' },
      }),
    );
    assert.ok(response.result.case === 'message');
    const decoded = fromBinary(SatInStartReplicationRespSchema, response.result.value);
    assert.equal(decoded.err?.code, SatInStartReplicationResp_ReplicationError_Code.MALFORMED_LSN);
    assert.equal(decoded.unackedWindowSize, undefined);
  });

  test('the response type is checked against the method at compile time', () => {
    // @ts-expect-error: authenticate answers with SatAuthResp, which has no subscriptionId
    buildRpcResponse({ method: 'authenticate', requestId: 1 }, { subscriptionId: 'x' });
    // @ts-expect-error: SatAuthResp is not the answer to subscribe
    buildRpcResponse({ method: 'subscribe', requestId: 1 }, create(SatAuthRespSchema, { id: 'x' }));
  });

  test('an empty response still sets the `message` case, which the client needs (`if (rpc.message)`)', () => {
    // SatRpcResponse{method: "unsubscribe", request_id: 2, message: <SatUnsubsResp, 0 bytes>} as a frame:
    // 16 | 0a 0b "unsubscribe" | 10 02 | 1a 00
    const frame = encodeFrame(buildRpcResponse({ method: 'unsubscribe', requestId: 2 }, {}));
    assert.deepEqual(frame, hex('16 0a 0b 756e737562736372696265 10 02 1a 00'));
  });

  test('buildRpcResponse for subscribe carries validation errors inside SatSubsResp', () => {
    const response = buildRpcResponse(
      { method: 'subscribe', requestId: 3 },
      {
        subscriptionId: 'sub',
        err: { code: 2, message: 'bad', shapeRequestError: [{ code: 5, requestId: 'r1', message: 'where' }] },
      },
    );
    assert.ok(response.result.case === 'message');
    const decoded = fromBinary(SatSubsRespSchema, response.result.value);
    assert.equal(decoded.err?.shapeRequestError[0]?.code, 5);
  });

  test('buildRpcError answers a rejected call with INVALID_REQUEST under its method and id', () => {
    const rejected = parseRpcRequest(request('bogus', 12, new Uint8Array()));
    const response = buildRpcError(rejected, SatErrorResp_ErrorCode.INVALID_REQUEST, 'unknown method');
    assert.equal(response.method, 'bogus');
    assert.equal(response.requestId, 12);
    assert.ok(response.result.case === 'error');
    assert.equal(response.result.value.errorType, SatErrorResp_ErrorCode.INVALID_REQUEST);
    assert.equal(response.result.value.message, 'unknown method');
    // Byte for byte: 16 | 0a 05 "bogus" | 10 0c | 22 12 { 08 04 | 1a 0e "unknown method" }
    assert.deepEqual(encodeFrame(response), hex('16 0a05 626f677573 100c 2212 0804 1a0e 756e6b6e6f776e206d6574686f64'));
  });

  test('buildErrorResp leaves lsn and message unset unless given', () => {
    const bare = buildErrorResp(SatErrorResp_ErrorCode.AUTH_REQUIRED);
    assert.equal(bare.lsn, undefined);
    assert.equal(bare.message, undefined);
    assert.deepEqual(encodeFrame(bare), hex('00 0801'));
    const full = buildErrorResp(SatErrorResp_ErrorCode.REPLICATION_FAILED, 'x', Buffer.from('5'));
    assert.deepEqual(encodeFrame(full), hex('00 0803 1201 35 1a01 78'));
    // INTERNAL (0) with nothing else is an empty body: what Electric sends before closing with 1007.
    assert.deepEqual(encodeFrame(buildErrorResp(SatErrorResp_ErrorCode.INTERNAL)), Buffer.of(0));
  });
});

describe('server-initiated calls', () => {
  test('buildStartReplicationRequest carries the client’s own LSN bytes unchanged', () => {
    const clientLsn = Uint8Array.of(0, 0, 1, 2);
    const envelope = buildStartReplicationRequest(0, clientLsn);
    assert.equal(envelope.method, 'startReplication');
    assert.equal(envelope.requestId, 0);
    const inner = fromBinary(SatInStartReplicationReqSchema, envelope.message);
    assert.deepEqual(inner.lsn, clientLsn);
    // 15 | 0a 10 "startReplication" | 1a 06 { 0a 04 00 00 01 02 }   (request_id 0 is not written)
    assert.deepEqual(encodeFrame(envelope), hex('15 0a10 73746172745265706c69636174696f6e 1a06 0a04 00000102'));
  });

  test('buildStartReplicationRequest with an empty LSN sends an empty message', () => {
    const envelope = buildStartReplicationRequest(3, new Uint8Array());
    assert.equal(envelope.message.length, 0);
    assert.equal(fromBinary(SatInStartReplicationReqSchema, envelope.message).lsn.length, 0);
  });

  test('buildStopReplicationRequest and buildServerRpcRequest', () => {
    const stop = buildStopReplicationRequest(4);
    assert.equal(stop.method, 'stopReplication');
    assert.equal(stop.message.length, 0);
    const request = create(SatInStartReplicationReqSchema, { lsn: Uint8Array.of(9) });
    const start = buildServerRpcRequest('startReplication', 5, request);
    assert.deepEqual(fromBinary(SatInStartReplicationReqSchema, start.message).lsn, Uint8Array.of(9));
    const decoded = fromBinary(SatInStopReplicationReqSchema, stop.message);
    assert.equal(decoded.$typeName, 'Electric.Satellite.SatInStopReplicationReq');
  });
});

describe('parseRpcResponse (the client’s answers to server calls)', () => {
  test('decodes the client’s empty SatInStartReplicationResp, encoded as the client does (1a 00)', () => {
    // The client (ts-proto) writes the oneof member even when empty: 0a 10 "startReplication" 10 01 1a 00.
    const envelope = decodeFrame(hex('16 0a10 73746172745265706c69636174696f6e 1001 1a00'));
    assert.ok(envelope.name === 'SatRpcResponse');
    const result = parseRpcResponse(envelope.message);
    assert.ok(result.kind === 'response' && result.method === 'startReplication');
    assert.equal(result.requestId, 1);
    assert.equal(result.response.err, undefined);
  });

  test('passes on the SatErrorResp the client failed with', () => {
    const envelope = create(SatRpcResponseSchema, {
      method: 'startReplication',
      requestId: 2,
      result: { case: 'error', value: { errorType: SatErrorResp_ErrorCode.REPLICATION_FAILED } },
    });
    const result = parseRpcResponse(envelope);
    assert.ok(result.kind === 'error');
    assert.equal(result.error.errorType, SatErrorResp_ErrorCode.REPLICATION_FAILED);
  });

  test('decodes a stopReplication answer', () => {
    const envelope = create(SatRpcResponseSchema, {
      method: 'stopReplication',
      requestId: 3,
      result: { case: 'message', value: new Uint8Array() },
    });
    const result = parseRpcResponse(envelope);
    assert.ok(result.kind === 'response' && result.method === 'stopReplication');
  });

  const answer = (method: string, value?: Uint8Array) =>
    create(SatRpcResponseSchema, {
      method,
      requestId: 1,
      ...(value === undefined ? {} : { result: { case: 'message' as const, value } }),
    });
  const rejections: [string, SatRpcResponse, ClientProtocolErrorCode][] = [
    ['a method the server never calls', answer('authenticate', new Uint8Array()), 'CP_UNKNOWN_RPC_METHOD'],
    ['no result at all', answer('startReplication'), 'CP_MALFORMED_MESSAGE'],
    ['a message that does not decode', answer('startReplication', hex('0a 09')), 'CP_MALFORMED_MESSAGE'],
  ];
  for (const [what, envelope, code] of rejections) {
    test(`rejects ${what} with ${code}`, () => {
      const result = parseRpcResponse(envelope);
      assert.ok(result.kind === 'rejected');
      assert.ok(isClientProtocolError(result.error, code));
    });
  }

  test('the unsubscribe answer type is SatUnsubsResp', () => {
    const response = buildRpcResponse({ method: 'unsubscribe', requestId: 1 }, create(SatUnsubsRespSchema));
    assert.ok(response.result.case === 'message' && response.result.value.length === 0);
  });
});
