// The harness for issue 4's acceptance tests, proven without our server: the PUBLISHED electric-sql@0.12.1 client
// (test/electric-client/node_modules, installed by install.sh) runs in this Node over node:sqlite with an empty
// DbSchema, and speaks Satellite to a scripted `ws` server on 127.0.0.1 (`startFakeSatellite`, which decodes frames
// with the client's own codec).
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
// Only node: builtins and ../support here: a bare specifier in this folder (ws, jose, ...) would resolve to the
// client's own copies in ./node_modules first.
import {
  ELECTRIC_CLIENT_VERSION,
  clientSafePayloadJson,
  electricClientDir,
  hs256Token,
  insecureToken,
  loadElectricClient,
  startElectricClient,
  startFakeSatellite,
} from '../support/electric-client.ts';

const segment = (token: string, i: number) => JSON.parse(Buffer.from(token.split('.')[i]!, 'base64url').toString('utf8'));

const electricTables = [
  '_electric_meta',
  '_electric_migrations',
  '_electric_oplog',
  '_electric_shadow',
  '_electric_trigger_settings',
];

test('the published electric-sql@0.12.1 is installed in test/electric-client and loads through its exports', async () => {
  const modules = await loadElectricClient();
  assert.equal(realpathSync(modules.packageDir), realpathSync(join(electricClientDir, 'node_modules', 'electric-sql')));
  const manifest = JSON.parse(readFileSync(join(modules.packageDir, 'package.json'), 'utf8'));
  assert.equal(manifest.version, ELECTRIC_CLIENT_VERSION);
  // The entry points we use are public `exports` of the package (resolved from the harness folder).
  const require = createRequire(join(electricClientDir, 'package.json'));
  for (const specifier of [
    'electric-sql/electric',
    'electric-sql/client/model',
    'electric-sql/sockets/node',
    'electric-sql/generic',
    'electric-sql/notifiers',
  ]) {
    assert.ok(realpathSync(require.resolve(specifier)).startsWith(realpathSync(modules.packageDir)), specifier);
  }
  assert.equal(typeof modules.electrify, 'function');
  assert.equal(typeof modules.DbSchema, 'function');
  assert.equal(typeof modules.WebSocketNode, 'function');
  assert.equal(Object.getPrototypeOf(modules.NodeSqliteAdapter), modules.BatchDatabaseAdapter);
  assert.equal(typeof modules.protocol.SatRpcRequest?.decode, 'function');
});

test('node:sqlite adapter: value mapping, named parameters, batches, one statement per string', async () => {
  const { NodeSqliteAdapter } = await loadElectricClient();
  const db = new DatabaseSync(':memory:');
  try {
    const adapter = new NodeSqliteAdapter(db) as any;
    assert.equal(adapter.defaultNamespace, 'main');
    await adapter.run({ sql: 'CREATE TABLE v (id INTEGER PRIMARY KEY, i INT8, b INTEGER, x BLOB, r REAL, s TEXT)' });
    const insert = 'INSERT INTO v (id, i, b, x, r, s) VALUES (?, ?, ?, ?, ?, ?)';
    assert.deepEqual(await adapter.run({ sql: insert, args: [1, 2n ** 63n - 1n, true, new Uint8Array([7]), 0.1, 'ü'] }), {
      rowsAffected: 1,
    });
    await adapter.run({ sql: insert, args: [2, -(2n ** 63n), false, null, -1e300, undefined] });
    await adapter.run({ sql: 'INSERT INTO v (id, i, s) VALUES ($id, :i, @s)', args: { id: 3, i: 42, s: 'named' } });
    assert.deepEqual(await adapter.query({ sql: 'SELECT * FROM v ORDER BY id' }), [
      { id: 1, i: 9223372036854775807n, b: 1, x: new Uint8Array([7]), r: 0.1, s: 'ü' },
      { id: 2, i: -9223372036854775808n, b: 0, x: null, r: -1e300, s: null },
      { id: 3, i: 42, b: null, x: null, r: null, s: 'named' },
    ]);
    // Safe integers are numbers, so the client's own arithmetic on rowids/counters keeps working.
    assert.deepEqual(await adapter.query({ sql: 'SELECT count(*) AS n, max(id) AS m FROM v' }), [{ n: 3, m: 3 }]);
    const [row] = await adapter.query({ sql: 'SELECT 1 AS one' });
    assert.equal(Object.getPrototypeOf(row), Object.prototype);

    // runInTransaction = execBatch: all or nothing.
    await assert.rejects(
      adapter.runInTransaction({ sql: 'DELETE FROM v WHERE id = 1' }, { sql: 'INSERT INTO v (id) VALUES (2)' }),
      /UNIQUE constraint failed/,
    );
    assert.equal((await adapter.query({ sql: 'SELECT count(*) AS n FROM v' }))[0].n, 3);
    assert.equal(db.isTransaction, false);
    assert.deepEqual(
      await adapter.runInTransaction({ sql: 'DELETE FROM v WHERE id = 1' }, { sql: 'UPDATE v SET s = ? WHERE id > ?', args: ['u', 1] }),
      { rowsAffected: 3 },
    );
    // Nested (inside an open transaction): a savepoint.
    db.exec('BEGIN');
    await adapter.runInTransaction({ sql: 'DELETE FROM v WHERE id = 2' });
    await assert.rejects(adapter.runInTransaction({ sql: 'DELETE FROM v' }, { sql: 'SELECT * FROM nope' }), /no such table/);
    db.exec('COMMIT');
    assert.deepEqual(await adapter.query({ sql: 'SELECT id FROM v' }), [{ id: 3 }]);

    // node:sqlite would silently run only the first statement; like better-sqlite3 we refuse.
    await assert.rejects(adapter.run({ sql: 'DELETE FROM v; DROP TABLE v' }), /more than one statement/);
    await adapter.run({ sql: 'SELECT 1; -- trailing comment\n ;' });
    assert.deepEqual(await adapter.query({ sql: 'SELECT id FROM v' }), [{ id: 3 }]);
    await assert.rejects(adapter.run({ sql: 'SELECT ?', args: [new Date()] }), /cannot bind \[object Date\]/);
  } finally {
    db.close();
  }
});

test('electrify over node:sqlite runs migration 0, then connect() opens /ws with electric.0.12 and authenticates', async (t) => {
  const { protocol } = await loadElectricClient();
  const server = await startFakeSatellite(protocol);
  const token = insecureToken({ sub: 'user-1' });
  const client = await startElectricClient({ url: server.url, token }).catch(async (error) => {
    await server.close();
    throw error;
  });
  t.after(async () => {
    await client.close();
    await server.close();
  });

  // The client's internal migration '0' ran through our adapter.
  const tables = await client.query<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '\\_electric\\_%' ESCAPE '\\' ORDER BY name",
  );
  assert.deepEqual(
    tables.map((row) => row.name),
    electricTables,
  );
  assert.deepEqual(await client.query('SELECT version FROM _electric_migrations'), [{ version: '0' }]);

  const connecting = client.connect();
  connecting.catch(() => {}); // asserted below
  const first = await server.take('SatRpcRequest');
  assert.deepEqual(server.upgrades, [{ path: '/ws', offered: 'electric.0.12', accepted: 'electric.0.12' }]);
  assert.equal(first.binary, true);
  assert.equal(first.raw[0], 21, 'first frame is a SatRpcRequest');
  assert.equal(first.message.method, 'authenticate');
  assert.equal(first.message.requestId, 1);
  assert.equal(first.inner.token, token);
  assert.equal(first.inner.id, client.clientId());
  assert.match(first.inner.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

  // Refuse it: AUTH_REQUIRED inside the RPC response. The client gives up (no retry) and connect() rejects.
  server.reply(first, { error: { errorType: protocol.SatErrorResp_ErrorCode.AUTH_REQUIRED, message: 'no' } });
  await assert.rejects(connecting, (error: any) => error?.errorType === protocol.SatErrorResp_ErrorCode.AUTH_REQUIRED);
  assert.equal(server.upgrades.length, 1);
  assert.equal(client.electric.isConnected, false);
});

test('full round trip against the scripted server: migration, subscription data, outbound write, live txn, resume', async (t) => {
  const { protocol } = await loadElectricClient();
  const server = await startFakeSatellite(protocol);
  const client = await startElectricClient({ url: server.url, token: insecureToken({ sub: 'user-1' }) }).catch(
    async (error) => {
      await server.close();
      throw error;
    },
  );
  t.after(async () => {
    await client.close();
    await server.close();
  });
  const text = (s: string) => new TextEncoder().encode(s);

  // connect: authenticate, the client's startReplication, and the server's startReplication for the client's writes.
  const connecting = client.connect();
  const auth = await server.take('SatRpcRequest', (m) => m.message.method === 'authenticate');
  server.reply(auth, { message: { id: 'fake-server', headers: [] } });
  const start = await server.take('SatRpcRequest', (m) => m.message.method === 'startReplication');
  assert.equal(start.inner.lsn.length, 0, 'first connect: empty LSN');
  assert.equal(start.inner.sqlDialect, protocol.SatInStartReplicationReq_Dialect.SQLITE);
  server.reply(start, { message: { unackedWindowSize: 30 } });
  server.request(start.connection, 'startReplication', 1, { lsn: new Uint8Array() });
  await connecting;
  assert.equal(client.electric.isConnected, true);
  await server.take('SatRpcResponse', (m) => m.message.method === 'startReplication');

  // Migration: one table with every column kind the adapter has to map.
  const columns: [string, string, string][] = [
    ['id', 'text', 'TEXT NOT NULL'],
    ['n', 'int8', 'INTEGER'],
    ['flag', 'bool', 'INTEGER'],
    ['data', 'bytea', 'BLOB'],
    ['f', 'float8', 'REAL'],
    ['j', 'jsonb', 'TEXT_JSON'],
    ['t', 'text', 'TEXT'],
  ];
  const ddl =
    `CREATE TABLE "items" (\n${columns.map(([name, , sqlite]) => `  "${name}" ${sqlite},`).join('\n')}\n` +
    `  CONSTRAINT "items_pkey" PRIMARY KEY ("id")\n) WITHOUT ROWID;\n`;
  const ts = Date.now();
  server.send(start.connection, 'SatOpLog', {
    ops: [
      { begin: { commitTimestamp: ts, lsn: text('1'), isMigration: true, transactionId: 1 } },
      {
        migrate: {
          version: '20240101000000',
          stmts: [{ type: protocol.SatOpMigrate_Type.CREATE_TABLE, sql: ddl }],
          table: {
            name: 'items',
            columns: columns.map(([name, pg]) => ({ name, sqliteType: '', pgType: { name: pg, array: [], size: [] } })),
            fks: [],
            pks: ['id'],
          },
        },
      },
      { commit: { commitTimestamp: ts, lsn: text('1'), transactionId: 1 } },
    ],
  });
  const relationId = 16384;
  const relation = {
    schemaName: 'public',
    tableType: protocol.SatRelation_RelationType.TABLE,
    tableName: 'items',
    relationId,
    columns: columns.map(([name, pg]) => ({ name, type: pg, primaryKey: name === 'id', isNullable: name !== 'id' })),
  };
  // Row values in column order; null → empty value + bitmask bit (MSB first).
  const row = (values: (Uint8Array | null)[]) => {
    const mask = new Uint8Array(Math.ceil(values.length / 8));
    values.forEach((v, i) => {
      if (v === null) mask[i >> 3]! |= 0x80 >> (i & 7);
    });
    return { nullsBitmask: mask, values: values.map((v) => v ?? new Uint8Array()) };
  };

  // Subscribe; serve the shape data.
  const subscribed = client.subscribe({ tablename: 'items' });
  const subscribe = await server.take('SatRpcRequest', (m) => m.message.method === 'subscribe');
  const { subscriptionId, shapeRequests } = subscribe.inner;
  assert.equal(shapeRequests.length, 1);
  assert.deepEqual(shapeRequests[0].shapeDefinition.selects[0].tablename, 'items');
  server.reply(subscribe, { message: { subscriptionId } });
  server.send(start.connection, 'SatRelation', relation);
  server.send(start.connection, 'SatSubsDataBegin', { subscriptionId, lsn: text('1') });
  server.send(start.connection, 'SatShapeDataBegin', { requestId: shapeRequests[0].requestId, uuid: shapeRequests[0].requestId });
  server.send(start.connection, 'SatOpLog', {
    ops: [
      {
        insert: {
          relationId,
          rowData: row([
            text('a'),
            text('9223372036854775807'),
            text('t'),
            new Uint8Array([0, 1, 2, 255]),
            text('3.25'),
            text('{"k": [1, 2]}'),
            null,
          ]),
          tags: [`postgres_1@${ts}`],
        },
      },
    ],
  });
  server.send(start.connection, 'SatShapeDataEnd', {});
  server.send(start.connection, 'SatSubsDataEnd', {});
  await subscribed;

  const selectAll =
    'SELECT id, n, CAST(n AS TEXT) AS n_text, typeof(n) AS n_type, flag, data, f, j, t FROM items ORDER BY id';
  const [a] = await client.query<Record<string, unknown>>(selectAll);
  assert.deepEqual(a, {
    id: 'a',
    n: 9223372036854775807n, // int8 beyond 2^53 comes back exact, as a bigint
    n_text: '9223372036854775807',
    n_type: 'integer',
    flag: 1,
    data: new Uint8Array([0, 1, 2, 255]),
    f: 3.25,
    j: '{"k": [1, 2]}',
    t: null,
  });

  // A local write through unsafeExec: the triggers capture it, the client replicates it to the server.
  await client.exec('INSERT INTO items (id, n, flag, data, f, j, t) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    'b',
    9007199254740993n,
    true,
    new Uint8Array([0, 255]),
    1.5,
    '{"a":1}',
    null,
  ]);
  const sentRelation = await server.take('SatRelation');
  assert.equal(sentRelation.message.tableName, 'items');
  const sentTx = await server.take('SatOpLog');
  const ops = sentTx.message.ops;
  assert.ok(ops[0].begin && ops.at(-1).commit, 'begin ... commit');
  const insert = ops.find((op: any) => op.insert)?.insert;
  assert.equal(insert.relationId, sentRelation.message.relationId);
  const names: string[] = sentRelation.message.columns.map((c: any) => c.name);
  const decoded = Object.fromEntries(
    names.map((name, i) => {
      const isNull = (insert.rowData.nullsBitmask[i >> 3] & (0x80 >> (i & 7))) !== 0;
      const value: Uint8Array = insert.rowData.values[i];
      return [name, isNull ? null : name === 'data' ? [...value] : new TextDecoder().decode(value)];
    }),
  );
  assert.deepEqual(decoded, {
    id: 'b',
    n: '9007199254740993', // 2^53 + 1: exact (bound as bigint)
    flag: 't', // bound as 1, sent as the bool 't'
    data: [0, 255],
    f: '1.5',
    j: '{"a":1}',
    t: null,
  });

  // A live server transaction arrives and is applied.
  server.send(start.connection, 'SatOpLog', {
    ops: [
      { begin: { commitTimestamp: ts + 1, lsn: text('2'), origin: 'postgres_1', isMigration: false, transactionId: 2 } },
      {
        insert: {
          relationId,
          rowData: row([text('c'), text('-9223372036854775808'), text('f'), null, text('-0.5'), text('null'), text('héllo')]),
          tags: [`postgres_1@${ts + 1}`],
        },
      },
      { commit: { commitTimestamp: ts + 1, lsn: text('2'), transactionId: 2 } },
    ],
  });
  const rows = await client.waitForQuery<Record<string, unknown>>(selectAll, undefined, (r) => r.length === 3);
  assert.deepEqual(rows[2], {
    id: 'c',
    n: -9223372036854775808n,
    n_text: '-9223372036854775808',
    n_type: 'integer',
    flag: 0,
    data: null,
    f: -0.5,
    j: 'null',
    t: 'héllo',
  });
  assert.deepEqual(rows[1]!.n, 9007199254740993n);
  assert.equal(rows[1]!.flag, 1);

  // Disconnect and reconnect: the client resumes from the last LSN it applied, with its subscription.
  await client.disconnect();
  assert.equal(client.electric.isConnected, false);
  const reconnecting = client.connect();
  const auth2 = await server.take('SatRpcRequest', (m) => m.message.method === 'authenticate');
  assert.notEqual(auth2.connection, start.connection);
  assert.equal(auth2.inner.id, auth.inner.id, 'same client id');
  server.reply(auth2, { message: { id: 'fake-server', headers: [] } });
  const resume = await server.take('SatRpcRequest', (m) => m.message.method === 'startReplication');
  assert.equal(new TextDecoder().decode(resume.inner.lsn), '2');
  assert.deepEqual(resume.inner.subscriptionIds, [subscriptionId]);
  assert.equal(resume.inner.schemaVersion, undefined, 'a resuming client does not send schema_version');
  server.reply(resume, { message: { unackedWindowSize: 30 } });
  await reconnecting;
  assert.equal(client.electric.isConnected, true);
  assert.equal(server.upgrades.length, 2);
});

test('tokens: the published client can decode their payload; hs256Token signs HS256', async () => {
  // The client decodes the payload with a standard (non-url) base64 decoder, so '-' and '_' must not appear there.
  for (let i = 0; i < 200; i++) {
    const claims = { sub: `user-${i}~`, iss: `https://example.test/?q=${i}`, user_id: 'ü'.repeat(i % 7), n: i };
    const payload = insecureToken(claims).split('.')[1]!;
    assert.doesNotMatch(payload, /[-_]/);
    assert.deepEqual(JSON.parse(Buffer.from(payload, 'base64').toString('utf8')), claims);
    assert.deepEqual(JSON.parse(clientSafePayloadJson(claims)), claims);
  }
  // What goes wrong otherwise: a plain base64url payload with '_' makes the published client's connect() throw.
  const naive = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"user-1?"}').toString('base64url')}.`;
  assert.match(naive.split('.')[1]!, /_/);
  const client = await startElectricClient({ url: 'http://127.0.0.1:9', token: naive });
  try {
    await assert.rejects(client.connect(), /Invalid token specified: invalid base64 for part #2/);
    assert.equal(segment(insecureToken({ sub: 'user-1?' }), 1).sub, 'user-1?');
  } finally {
    await client.close();
  }

  const insecure = insecureToken({ sub: 'user-1' });
  assert.equal(segment(insecure, 0).alg, 'none');
  assert.ok(insecure.endsWith('.'));

  // HS256 (signed with jose in the support file), checked here independently with node:crypto.
  const key = 'integration-tests-signing-key-example';
  const signed = await hs256Token(key, { sub: 'user-1' });
  const [header, payload, signature] = signed.split('.') as [string, string, string];
  assert.doesNotMatch(payload, /[-_]/);
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  assert.ok(timingSafeEqual(Buffer.from(signature, 'base64url'), expected), 'HS256 signature');
  assert.deepEqual(segment(signed, 0), { typ: 'JWT', alg: 'HS256' });
  const claims = segment(signed, 1);
  assert.equal(claims.sub, 'user-1');
  assert.equal(typeof claims.iat, 'number');
  assert.ok(Math.abs(claims.iat - Date.now() / 1000) < 60);
  assert.equal(claims.exp, claims.iat + 3600);
  assert.equal(segment(await hs256Token(key, { sub: 'u', exp: undefined }), 1).exp, undefined);
});
