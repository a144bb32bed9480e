// Black-box: what a Satellite connection gets for bad input — undecodable frames, unknown RPC methods, calls before
// authentication, oversized frames, a second connection with the same client id (protocol notes §3.2, §3.3, §3.5) —
// while one well-behaved client, subscribed to a table, keeps receiving every live insert: one client's bad input
// never touches another client.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { create, toBinary } from '@bufbuild/protobuf';
import type pg from 'pg';
import {
  SatErrorResp_ErrorCode,
  SatInStartReplicationReqSchema,
  SatOpLogAckSchema,
  SatRelationSchema,
  SatSubsDataEndSchema,
} from '../../src/client-protocol/index.ts';
import { connectTestClient, startTestPostgres } from '../../../test/support/postgres.ts';
import { startRuntimeProcess, type RuntimeProcess } from '../../../test/support/runtime-process.ts';
import {
  cleanupScope,
  insecureToken,
  openSatellite,
  waitForTables,
  type SatelliteClient,
} from '../../../test/support/satellite-client.ts';

const insecure = { AUTH_MODE: 'insecure', ELECTRIC_WRITE_TO_PG_MODE: 'direct_writes', LOG_LEVEL: 'info' };
/** The server's limit (runtime/src/ws/websocket-server.ts maxClientFrameBytes, client-protocol MAX_FRAME_BYTES). */
const maxFrameBytes = 16 * 1024 * 1024;

describe('bad input on one Satellite connection', () => {
  let runtime: RuntimeProcess;
  let sql: pg.Client;
  let watcher: SatelliteClient;
  const watcherId = `watcher-${randomUUID()}`;
  const scope = cleanupScope({ after });
  let served = 0;

  before(async () => {
    const server = await startTestPostgres(scope);
    runtime = await startRuntimeProcess(scope, { ...insecure, DATABASE_URL: server.url() });
    await runtime.waitForStatus(200);
    sql = await connectTestClient(scope, server.url());
    await sql.query(`create table items (id text primary key, v text)`);
    await sql.query(`call electric.electrify('items')`);
    await waitForTables(runtime.baseUrl, ['items']);

    watcher = await openSatellite(scope, runtime.baseUrl);
    await watcher.authenticate(watcherId, insecureToken('watcher'));
    await watcher.startReplication();
    await watcher.subscribe([{ tablename: 'items' }]);
    await watcherReceivesInsert('before any bad input');
  });

  /** Inserts a row in PostgreSQL and waits until the watcher gets it (and acknowledges it). */
  async function watcherReceivesInsert(label: string): Promise<void> {
    const id = `row-${++served}`;
    await sql.query(`insert into items (id, v) values ($1, $2)`, [id, label]);
    const tx = await watcher.nextTransaction().catch((error: unknown) => {
      throw new Error(`the watcher was not served after: ${label}: ${String(error)}\n--- runtime output ---\n${runtime.output()}`);
    });
    const [op] = tx.ops;
    assert.equal(op?.op.case, 'insert', label);
    assert.deepEqual(watcher.decodeRow(op.op.value.relationId, op.op.value.rowData), { id, v: label });
    watcher.ack(tx);
    assert.ok(watcher.isOpen, `the watcher is still connected after: ${label}`);
  }

  /** A fresh connection, authenticated unless told otherwise. */
  async function connect(options: { authenticate?: boolean } = {}): Promise<SatelliteClient> {
    const client = await openSatellite(scope, runtime.baseUrl);
    if (options.authenticate ?? true) await client.authenticate(`client-${randomUUID()}`, insecureToken('someone'));
    return client;
  }

  test('an undecodable frame gets a SatErrorResp frame, then close 1007', async () => {
    const frames: Record<string, Uint8Array | string> = {
      'an unknown type byte': Buffer.from([0xff, 0x08, 0x01]),
      'a retired type byte (0.5 SatPingReq)': Buffer.from([3]),
      'a truncated SatRpcRequest': Buffer.from([21, 0x0a, 0x10, 0x61]),
      'an invalid wire type in SatOpLogAck': Buffer.from([23, 0x0f]),
      'an empty binary message': Buffer.alloc(0),
      'a text message': 'hello',
    };
    for (const [name, data] of Object.entries(frames)) {
      for (const authenticated of [false, true]) {
        const client = await connect({ authenticate: authenticated });
        const before = client.cursor;
        client.sendRaw(data);
        const closed = await client.waitForClose();
        assert.equal(closed.code, 1007, name);
        const after = client.received.slice(before);
        assert.deepEqual(after.map((f) => f.name), ['SatErrorResp'], `${name}: exactly one SatErrorResp before the close`);
        assert.ok(after[0]?.name === 'SatErrorResp');
        assert.equal(after[0].message.errorType, SatErrorResp_ErrorCode.INVALID_REQUEST, name);
      }
    }
    await watcherReceivesInsert('undecodable frames');
  });

  test('an unknown RPC method, or a request that does not decode, gets SatRpcResponse{error: INVALID_REQUEST} and the connection closes', async () => {
    const client = await connect();
    const response = await client.callRaw('dropAllTables', new Uint8Array());
    assert.equal(response.method, 'dropAllTables');
    assert.ok(response.result.case === 'error', 'an error result');
    assert.equal(response.result.value.errorType, SatErrorResp_ErrorCode.INVALID_REQUEST);
    assert.notEqual((await client.waitForClose()).code, 1000);

    const garbled = await connect();
    const answer = await garbled.callRaw('subscribe', Buffer.from([0x0a, 0xff, 0x01]));
    assert.ok(answer.result.case === 'error');
    assert.equal(answer.result.value.errorType, SatErrorResp_ErrorCode.INVALID_REQUEST);
    assert.notEqual((await garbled.waitForClose()).code, 1000);

    await watcherReceivesInsert('unknown RPC method');
  });

  test('every call before authenticate gets AUTH_REQUIRED, and the connection can still authenticate', async () => {
    const client = await connect({ authenticate: false });
    const calls = [
      client.call('startReplication', {}),
      client.call('stopReplication', {}),
      client.call('subscribe', { subscriptionId: randomUUID(), shapeRequests: [{ requestId: 'r', shapeDefinition: { selects: [{ tablename: 'items' }] } }] }),
      client.call('unsubscribe', { subscriptionIds: [randomUUID()] }),
    ];
    for (const outcome of await Promise.all(calls)) {
      assert.ok(!outcome.ok, 'refused');
      assert.equal(outcome.error.errorType, SatErrorResp_ErrorCode.AUTH_REQUIRED);
    }
    // A bare frame before authentication: SatErrorResp{AUTH_REQUIRED}.
    client.send(create(SatOpLogAckSchema, { transactionId: 1n }));
    const error = await client.nextOf('SatErrorResp');
    assert.equal(error.errorType, SatErrorResp_ErrorCode.AUTH_REQUIRED);
    assert.ok(client.isOpen);

    await client.authenticate(`client-${randomUUID()}`, insecureToken('late'));
    const started = await client.startReplication();
    assert.equal(started.unackedWindowSize, 30);
    await watcherReceivesInsert('calls before authenticate');
  });

  test('authenticate without an id or token gets INVALID_REQUEST; a refused token gets AUTH_REQUIRED; both close', async () => {
    const noToken = await connect({ authenticate: false });
    const empty = await noToken.call('authenticate', { id: 'x', token: '' });
    assert.ok(!empty.ok);
    assert.equal(empty.error.errorType, SatErrorResp_ErrorCode.INVALID_REQUEST);
    await noToken.waitForClose();

    const expired = await connect({ authenticate: false });
    const now = Math.floor(Date.now() / 1000);
    const refused = await expired.call('authenticate', { id: `client-${randomUUID()}`, token: insecureToken('late', { iat: now - 7200, exp: now - 3600 }) });
    assert.ok(!refused.ok);
    assert.equal(refused.error.errorType, SatErrorResp_ErrorCode.AUTH_REQUIRED);
    await expired.waitForClose();

    await watcherReceivesInsert('refused authentication');
  });

  test('a frame larger than the server’s maximum is refused with close 1009', async () => {
    const client = await connect();
    await client.startReplication();
    const huge = Buffer.alloc(maxFrameBytes + 1);
    huge[0] = 9; // SatOpLog
    client.sendRaw(huge);
    const closed = await client.waitForClose(30_000);
    assert.equal(closed.code, 1009);
    await watcherReceivesInsert('oversized frame');
  });

  test('a second connection with a client id that is already connected gets INVALID_REQUEST', async () => {
    const second = await connect({ authenticate: false });
    const outcome = await second.call('authenticate', { id: watcherId, token: insecureToken('watcher') });
    assert.ok(!outcome.ok, 'refused');
    assert.equal(outcome.error.errorType, SatErrorResp_ErrorCode.INVALID_REQUEST);
    await second.waitForClose();
    await watcherReceivesInsert('duplicate client id');

    // The id is free again once its connection is gone.
    const id = `client-${randomUUID()}`;
    const first = await connect({ authenticate: false });
    await first.authenticate(id, insecureToken('someone'));
    first.close();
    await first.waitForClose();
    const deadline = Date.now() + 5_000;
    for (;;) {
      const again = await connect({ authenticate: false });
      const retry = await again.call('authenticate', { id, token: insecureToken('someone') });
      if (retry.ok) break;
      assert.ok(Date.now() < deadline, 'the client id was never released after its connection closed');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  test('frames a client never sends, and acks of unknown transactions, get SatErrorResp{INVALID_REQUEST}', async () => {
    const client = await connect();
    await client.startReplication();
    client.send(create(SatSubsDataEndSchema, {}));
    assert.equal((await client.nextOf('SatErrorResp')).errorType, SatErrorResp_ErrorCode.INVALID_REQUEST);
    client.send(create(SatOpLogAckSchema, { transactionId: 987654321n, lsn: Buffer.from('1') }));
    const unknown = await client.nextOf('SatErrorResp');
    assert.equal(unknown.errorType, SatErrorResp_ErrorCode.INVALID_REQUEST);
    assert.match(unknown.message ?? '', /Acknowledged unknown txn/);
    // A relation for a table the server does not have (client writes are not accepted yet either way).
    client.send(create(SatRelationSchema, { schemaName: 'public', tableName: 'nope', relationId: 1 }));
    assert.equal((await client.nextOf('SatErrorResp')).errorType, SatErrorResp_ErrorCode.INVALID_REQUEST);
    await watcherReceivesInsert('unexpected frames');
  });

  test('a burst of bad connections at once leaves the watcher and the process running', async () => {
    const startReq = toBinary(SatInStartReplicationReqSchema, create(SatInStartReplicationReqSchema, { lsn: Buffer.from('not-a-number') }));
    const clients = await Promise.all(Array.from({ length: 20 }, () => connect()));
    clients.forEach((client, i) => {
      if (i % 4 === 0) client.sendRaw(Buffer.from([0xfe]));
      else if (i % 4 === 1) client.sendRaw('text');
      else if (i % 4 === 2) void client.callRaw('startReplication', startReq).catch(() => {});
      else client.terminate();
    });
    await watcherReceivesInsert('a burst of bad connections');
    assert.equal(runtime.child.exitCode, null, 'the runtime is still running');
    const status = await runtime.status();
    assert.equal(status.code, 200);
  });
});
