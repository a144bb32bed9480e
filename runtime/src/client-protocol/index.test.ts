import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { create, toBinary } from '@bufbuild/protobuf';
import * as generated from './gen/satellite_pb.ts';
import * as protocol from './index.ts';

describe('client-protocol public surface', () => {
  test('exports the documented hand-written names, and the generated module', () => {
    const generatedNames = new Set(Object.keys(generated));
    const handWritten = Object.keys(protocol).filter((name) => !generatedNames.has(name)).sort();
    assert.deepEqual(handWritten, [
      'CLIENT_FRAME_NAMES',
      'CLIENT_MAX_FRAME_BYTES',
      'CLIENT_RPC_METHODS',
      'ClientProtocolError',
      'MAX_FRAME_BYTES',
      'MessageType',
      'PROTOCOL_HISTORY',
      'PROTOCOL_VERSION',
      'RETIRED_MESSAGE_TYPES',
      'SERVER_RPC_METHODS',
      'bitmaskLength',
      'buildErrorResp',
      'buildRpcError',
      'buildRpcResponse',
      'buildServerRpcRequest',
      'buildStartReplicationRequest',
      'buildStopReplicationRequest',
      'clientProtocolErrorCodes',
      'decodeFrame',
      'encodeFrame',
      'fingerprintSchema',
      'frameNameOf',
      'isClientProtocolError',
      'isEmptyLsn',
      'parseClientLsn',
      'parseColumnValue',
      'parseRow',
      'parseRpcRequest',
      'parseRpcResponse',
      'parseServerLsn',
      'rowValueTypes',
      'serializeClientLsn',
      'serializeColumnValue',
      'serializeRow',
      'serializeServerLsn',
    ]);
    for (const name of generatedNames) assert.ok(name in protocol, name);
  });

  test('the header example works end to end: an authenticate call in, its answer and a row out', () => {
    // The client's first frame: SatRpcRequest{authenticate, 1, SatAuthReq{id, token}}.
    const authReq = create(protocol.SatAuthReqSchema, { id: 'client-1', token: 'jwt' });
    const inbound = protocol.encodeFrame(
      create(protocol.SatRpcRequestSchema, {
        method: 'authenticate',
        requestId: 1,
        message: toBinary(protocol.SatAuthReqSchema, authReq),
      }),
    );

    const frame = protocol.decodeFrame(inbound);
    assert.ok(frame.name === 'SatRpcRequest');
    const call = protocol.parseRpcRequest(frame.message);
    assert.ok(call.kind === 'call' && call.method === 'authenticate');
    assert.equal(call.request.token, 'jwt');
    const answer = protocol.decodeFrame(protocol.encodeFrame(protocol.buildRpcResponse(call, { id: 'electric-sync' })));
    assert.ok(answer.name === 'SatRpcResponse' && answer.message.result.case === 'message');

    const columns: protocol.RowColumn[] = [{ name: 'id', type: 'int8', nullable: false }];
    const log = create(protocol.SatOpLogSchema, {
      ops: [
        {
          op: {
            case: 'begin',
            value: { commitTimestamp: 1n, lsn: protocol.serializeServerLsn(5n), transactionId: 1n },
          },
        },
        { op: { case: 'insert', value: { relationId: 1, rowData: protocol.serializeRow({ id: 42n }, columns) } } },
        { op: { case: 'commit', value: { commitTimestamp: 1n, lsn: protocol.serializeServerLsn(5n) } } },
      ],
    });
    const back = protocol.decodeFrame(protocol.encodeFrame(log));
    assert.ok(back.name === 'SatOpLog');
    const insert = back.message.ops[1]?.op;
    assert.ok(insert?.case === 'insert');
    assert.equal(protocol.parseRow(insert.value.rowData, columns).id, 42n);
  });
});
