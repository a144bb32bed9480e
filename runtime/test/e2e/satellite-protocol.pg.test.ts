// Black-box: the Satellite replication protocol on /ws, spoken by a raw client (our codec over `ws`) against the
// runtime process and a real PostgreSQL (protocol notes §3.6–§3.8, issue 4 items 4–6): startReplication and its
// errors, the initial sync of migrations and relations, subscriptions (errors, the data block, unsubscribe), rows
// moving in and out of a where clause, the per-user `electric_user_id` filter, the unacked window of 30, and the fields
// of live transactions, whose LSN the server accepts back to resume.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import {
  SatErrorResp_ErrorCode,
  SatInStartReplicationResp_ReplicationError_Code as ReplicationError,
  SatOpMigrate_Type,
  SatSubsResp_SatSubsError_Code as SubsError,
  SatSubsResp_SatSubsError_ShapeReqError_Code as ShapeError,
  type SatOpMigrate,
  type SatTransOp,
} from '../../src/client-protocol/index.ts';
import { connectTestClient, startTestPostgres } from '../../../test/support/postgres.ts';
import { startRuntimeProcess, type RuntimeProcess } from '../../../test/support/runtime-process.ts';
import {
  cleanupScope,
  insecureToken,
  openSatellite,
  splitTransaction,
  waitForTables,
  type SatelliteClient,
  type Transaction,
} from '../../../test/support/satellite-client.ts';

const insecure = { AUTH_MODE: 'insecure', ELECTRIC_WRITE_TO_PG_MODE: 'direct_writes', LOG_LEVEL: 'info' };
const tables = ['items', 'tasks', 'owned', 'counter', 'events', 'stream', 'scratch'] as const;

/** A decoded row operation: its kind, table and values as text. */
interface RowOp {
  readonly kind: SatTransOp['op']['case'];
  readonly table: string | undefined;
  readonly row: Record<string, string | null>;
  readonly tags: readonly string[];
}

function rowOps(client: SatelliteClient, ops: readonly SatTransOp[]): RowOp[] {
  return ops.map(({ op }) => {
    switch (op.case) {
      case 'insert':
        return { kind: op.case, table: client.tableOf(op.value.relationId), row: client.decodeRow(op.value.relationId, op.value.rowData), tags: op.value.tags };
      case 'update':
        return { kind: op.case, table: client.tableOf(op.value.relationId), row: client.decodeRow(op.value.relationId, op.value.rowData), tags: op.value.tags };
      case 'delete':
        return { kind: op.case, table: client.tableOf(op.value.relationId), row: client.decodeRow(op.value.relationId, op.value.oldRowData), tags: op.value.tags };
      case 'gone':
        return { kind: op.case, table: client.tableOf(op.value.relationId), row: client.decodeRow(op.value.relationId, op.value.pkData), tags: [] };
      default:
        return { kind: op.case, table: undefined, row: {}, tags: [] };
    }
  });
}

/** Postgres' `X/Y` LSN text as a number. */
function pgLsn(text: string): bigint {
  const [high, low] = text.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

const isDecimalLsn = (lsn: Uint8Array) => /^(0|[1-9]\d*)$/.test(Buffer.from(lsn).toString('latin1'));

describe('the Satellite protocol against the runtime and PostgreSQL', () => {
  let runtime: RuntimeProcess;
  let sql: pg.Client;
  let versions: string[];
  const scope = cleanupScope({ after });

  before(async () => {
    const server = await startTestPostgres(scope);
    runtime = await startRuntimeProcess(scope, { ...insecure, DATABASE_URL: server.url() });
    await runtime.waitForStatus(200);
    sql = await connectTestClient(scope, server.url());
    await sql.query(`
      create table items (id text primary key, v text);
      create table tasks (id text primary key, status text not null, title text);
      create table owned (id text primary key, electric_user_id text, v text);
      create table counter (id int4 primary key, v text);
      create table events (id text primary key, v text, n int8);
      create table stream (id int4 primary key);
      create table scratch (id int4 primary key, v text not null);
    `);
    // One migration per table: each electrify in its own transaction.
    for (const table of tables) await sql.query(`call electric.electrify('${table}')`);
    await sql.query(`
      insert into items values ('i1', 'one'), ('i2', 'two'), ('i3', null);
      insert into tasks values ('t1', 'open', 'first'), ('t2', 'closed', 'second'), ('t3', 'open', 'third');
      insert into owned values ('o1', 'alice', 'mine'), ('o2', 'bob', 'his'), ('o3', null, 'nobody''s');
      insert into stream select generate_series(1, 50);
      insert into scratch select i, 'v' || i from generate_series(1, 5) as i;
    `);
    const { rows } = await sql.query<{ version: string }>(`select version from electric.ddl_commands group by version order by min(id)`);
    versions = rows.map((r) => r.version);
    assert.equal(versions.length, tables.length);
    await waitForTables(runtime.baseUrl, tables);
  });

  after(() => {
    if (process.env.DEBUG_RUNTIME_OUTPUT) console.log(runtime.output());
  });

  /** A connection, authenticated as `user`. */
  async function authenticated(user = 'alice', clientId = `client-${randomUUID()}`): Promise<SatelliteClient> {
    const client = await openSatellite(scope, runtime.baseUrl);
    await client.authenticate(clientId, insecureToken(user));
    return client;
  }

  /** A connection that has started replication from scratch (initial sync). */
  async function started(user = 'alice', clientId?: string): Promise<SatelliteClient> {
    const client = await authenticated(user, clientId);
    await client.startReplication();
    return client;
  }

  /** Authenticates as an existing client id once its previous connection is gone (the server frees the id on close). */
  async function reconnect(clientId: string, user: string): Promise<SatelliteClient> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const client = await openSatellite(scope, runtime.baseUrl);
      const outcome = await client.call('authenticate', { id: clientId, token: insecureToken(user) });
      if (outcome.ok) return client;
      assert.equal(outcome.error.errorType, SatErrorResp_ErrorCode.INVALID_REQUEST);
      assert.ok(Date.now() < deadline, 'the client id was never released');
      await sleep(50);
    }
  }

  /** Inserts a marker row into `events` and returns the next transaction, which must be the marker's. */
  async function expectOnlyMarkerNext(client: SatelliteClient, why: string): Promise<void> {
    const id = `marker-${randomUUID()}`;
    await sql.query(`insert into events (id, v) values ($1, 'marker')`, [id]);
    const tx = await client.nextTransaction();
    assert.deepEqual(
      rowOps(client, tx.ops).map((op) => [op.kind, op.table, op.row.id]),
      [['insert', 'events', id]],
      `${why}: nothing else arrived before the marker`,
    );
    client.ack(tx);
  }

  describe('token renewal', () => {
    test('a new token for the same user renews a live connection; another user’s token is refused', async () => {
      const clientId = `client-${randomUUID()}`;
      const client = await authenticated('alice', clientId);
      const renewed = await client.call('authenticate', { id: clientId, token: insecureToken('alice', { iat: Math.floor(Date.now() / 1000) }) });
      assert.equal(renewed.ok, true, 'same user: renewed');
      const other = await client.call('authenticate', { id: clientId, token: insecureToken('mallory') });
      assert.equal(other.ok, false);
      assert.equal(!other.ok && other.error.errorType, SatErrorResp_ErrorCode.INVALID_REQUEST);
      assert.equal((await client.waitForClose()).code, 1008);
    });
  });

  describe('startReplication', () => {
    test('a non-empty LSN that is not one the server sends gets MALFORMED_LSN', async () => {
      for (const lsn of ['abc', '0/16B3748', '-1', '01', ' 1', '1.5', '99999999999999999999999', '\u0000']) {
        const client = await authenticated();
        const response = await client.callOk('startReplication', { lsn: Buffer.from(lsn, 'latin1') });
        assert.equal(response.err?.code, ReplicationError.MALFORMED_LSN, JSON.stringify(lsn));
      }
    });

    test('an unknown schema_version gets UNKNOWN_SCHEMA_VSN', async () => {
      const client = await authenticated();
      const response = await client.callOk('startReplication', { schemaVersion: '20990101000000_000' });
      assert.equal(response.err?.code, ReplicationError.UNKNOWN_SCHEMA_VSN);
    });

    test('an empty LSN with subscription ids gets INVALID_POSITION', async () => {
      const client = await authenticated();
      const response = await client.callOk('startReplication', { subscriptionIds: [randomUUID()] });
      assert.equal(response.err?.code, ReplicationError.INVALID_POSITION);
    });

    test('a valid LSN with a subscription the server does not know gets SUBSCRIPTION_NOT_FOUND', async () => {
      const client = await authenticated();
      const response = await client.callOk('startReplication', { lsn: Buffer.from('1'), subscriptionIds: [randomUUID()] });
      assert.equal(response.err?.code, ReplicationError.SUBSCRIPTION_NOT_FOUND);
    });

    test('initial sync: the response, a SatRelation for every synced table, and every migration as a migration transaction with SQLite DDL and table metadata', async () => {
      const client = await authenticated();
      const response = await client.startReplication();
      assert.equal(response.unackedWindowSize, 30);
      assert.equal(response.err, undefined);

      const migrations: Transaction[] = [];
      const relations: string[] = [];
      while (migrations.length < versions.length || relations.length < tables.length) {
        const frame = await client.next();
        if (frame.name === 'SatRelation') relations.push(frame.message.tableName);
        else if (frame.name === 'SatOpLog') migrations.push(splitTransaction(frame.message.ops));
        else assert.fail(`unexpected ${frame.name} during the initial sync`);
      }
      assert.deepEqual([...relations].sort(), [...tables].sort(), 'one SatRelation per synced table');
      const items = [...client.relations.values()].find((r) => r.tableName === 'items');
      assert.deepEqual(
        items?.columns.map((c) => ({ name: c.name, type: c.type, primaryKey: c.primaryKey, isNullable: c.isNullable })),
        [
          { name: 'id', type: 'text', primaryKey: true, isNullable: false },
          { name: 'v', type: 'text', primaryKey: false, isNullable: true },
        ],
      );
      assert.equal(items?.schemaName, 'public');
      assert.equal(new Set([...client.relations.values()].map((r) => r.relationId)).size, tables.length, 'distinct relation ids');

      // Migrations in order, one transaction each: begin{is_migration} migrate… commit.
      assert.equal(migrations.length, versions.length);
      migrations.forEach((tx, i) => {
        const table = tables[i];
        assert.equal(tx.begin.isMigration, true);
        assert.ok(tx.begin.lsn.length > 0, 'the begin carries an LSN');
        assert.ok(tx.ops.length >= 1 && tx.ops.every((op) => op.op.case === 'migrate'), 'only migrate ops');
        const migrate = tx.ops[0]?.op.value as SatOpMigrate;
        assert.equal(migrate.version, versions[i]);
        assert.equal(migrate.stmts[0]?.type, SatOpMigrate_Type.CREATE_TABLE);
        assert.match(migrate.stmts[0]?.sql ?? '', new RegExp(`^CREATE TABLE "${table}" \\(`));
        assert.doesNotMatch(migrate.stmts[0]?.sql ?? '', /public\./);
        assert.equal(migrate.affectedEntity.case, 'table');
        assert.ok(migrate.affectedEntity.case === 'table');
        assert.equal(migrate.affectedEntity.value.name, table);
        assert.deepEqual(migrate.affectedEntity.value.pks, ['id']);
      });
      const events = migrations[4]?.ops[0]?.op.value as SatOpMigrate;
      assert.ok(events.affectedEntity.case === 'table');
      assert.deepEqual(events.affectedEntity.value.columns.map((c) => [c.name, c.pgType?.name]), [['id', 'text'], ['v', 'text'], ['n', 'int8']]);
    });

    test('with a known schema_version, only the later migrations are sent', async () => {
      const client = await authenticated();
      await client.startReplication({ schemaVersion: versions[2] });
      await client.waitUntil(() => (client.received.filter((f) => f.name === 'SatOpLog').length >= 2 ? true : undefined), 'two migrations');
      await sleep(300);
      const sent = client.received.flatMap((f) => (f.name === 'SatOpLog' ? [(splitTransaction(f.message.ops).ops[0]?.op.value as SatOpMigrate).version] : []));
      assert.deepEqual(sent, versions.slice(3));
    });
  });

  describe('subscriptions', () => {
    test('an unknown table gets SHAPE_REQUEST_ERROR with TABLE_NOT_FOUND for that request id', async () => {
      const client = await started();
      const subscriptionId = randomUUID();
      const response = await client.callOk('subscribe', {
        subscriptionId,
        shapeRequests: [
          { requestId: 'good', shapeDefinition: { selects: [{ tablename: 'items' }] } },
          { requestId: 'bad', shapeDefinition: { selects: [{ tablename: 'no_such_table' }] } },
        ],
      });
      assert.equal(response.subscriptionId, subscriptionId);
      assert.equal(response.err?.code, SubsError.SHAPE_REQUEST_ERROR);
      assert.deepEqual(
        response.err?.shapeRequestError.map((e) => [e.requestId, e.code]),
        [['bad', ShapeError.TABLE_NOT_FOUND]],
      );
      await expectNoDataBlock(client, subscriptionId);
    });

    test('a where clause outside the safe subset gets INVALID_WHERE_CLAUSE', async () => {
      const client = await started();
      const clauses = [
        'this.id IN (SELECT id FROM tasks)',
        "this.v = (select 'one')",
        'exists (select 1 from items)',
        "this.v = 'one'; drop table items",
        'pg_sleep(10) IS NULL',
        'this.no_such_column = 1',
        'id = 1',
      ];
      for (const where of clauses) {
        const response = await client.callOk('subscribe', {
          subscriptionId: randomUUID(),
          shapeRequests: [{ requestId: 'r', shapeDefinition: { selects: [{ tablename: 'items', where }] } }],
        });
        assert.equal(response.err?.code, SubsError.SHAPE_REQUEST_ERROR, where);
        assert.deepEqual(response.err?.shapeRequestError.map((e) => e.code), [ShapeError.INVALID_WHERE_CLAUSE], where);
      }
      const { rows } = await sql.query(`select count(*)::int as n from items`);
      assert.ok((rows[0] as { n: number }).n >= 3, 'items is still there');
    });

    test('a subscription id that is already in use gets SUBSCRIPTION_ID_ALREADY_EXISTS', async () => {
      const client = await started();
      const { subscriptionId } = await client.subscribe([{ tablename: 'items' }]);
      const again = await client.callOk('subscribe', {
        subscriptionId,
        shapeRequests: [{ requestId: 'r', shapeDefinition: { selects: [{ tablename: 'tasks' }] } }],
      });
      assert.equal(again.err?.code, SubsError.SUBSCRIPTION_ID_ALREADY_EXISTS);
    });

    test(
      'a subscription id reused while the first subscription’s data is still being read gets SUBSCRIPTION_ID_ALREADY_EXISTS',
      async () => {
        const client = await started();
        const subscriptionId = randomUUID();
        const request = (tablename: string) => ({ subscriptionId, shapeRequests: [{ requestId: randomUUID(), shapeDefinition: { selects: [{ tablename }] } }] });
        // Both requests go out before the first data block can be read from PostgreSQL.
        // The first shape is `events`, where expectOnlyMarkerNext's marker lands.
        const [first, second] = await Promise.all([client.callOk('subscribe', request('events')), client.callOk('subscribe', request('tasks'))]);
        assert.equal(first.err, undefined);
        assert.equal(second.err?.code, SubsError.SUBSCRIPTION_ID_ALREADY_EXISTS);
        await client.nextOf('SatSubsDataEnd');
        await expectOnlyMarkerNext(client, 'after the data block');
        assert.equal(client.received.filter((f) => f.name === 'SatSubsDataBegin').length, 1, 'one data block for the id');
      },
    );

    test('data arrives as SatSubsDataBegin, then per shape ShapeDataBegin / insert-only SatOpLog with tags / ShapeDataEnd, then SatSubsDataEnd', async () => {
      const client = await started();
      const subscriptionId = randomUUID();
      const requestIds = [randomUUID(), randomUUID()];
      const response = await client.callOk('subscribe', {
        subscriptionId,
        shapeRequests: [
          { requestId: requestIds[0], shapeDefinition: { selects: [{ tablename: 'items' }] } },
          { requestId: requestIds[1], shapeDefinition: { selects: [{ tablename: 'tasks', where: "this.status = 'open'" }] } },
        ],
      });
      assert.equal(response.err, undefined);

      let frame = await client.next();
      while (frame.name === 'SatRelation') frame = await client.next(); // relations not sent yet may come first
      assert.equal(frame.name, 'SatSubsDataBegin');
      assert.ok(frame.name === 'SatSubsDataBegin');
      assert.equal(frame.message.subscriptionId, subscriptionId);
      assert.ok(isDecimalLsn(frame.message.lsn) && frame.message.lsn.length > 0, 'SatSubsDataBegin carries a server LSN');

      const shapes: { requestId: string; rows: RowOp[] }[] = [];
      for (;;) {
        const next = await client.next();
        if (next.name === 'SatSubsDataEnd') break;
        assert.equal(next.name, 'SatShapeDataBegin');
        assert.ok(next.name === 'SatShapeDataBegin');
        const shape = { requestId: next.message.requestId, rows: [] as RowOp[] };
        for (let inner = await client.next(); inner.name !== 'SatShapeDataEnd'; inner = await client.next()) {
          assert.equal(inner.name, 'SatOpLog', 'only SatOpLogs inside a shape');
          assert.ok(inner.name === 'SatOpLog');
          assert.ok(inner.message.ops.every((op) => op.op.case === 'insert'), 'insert ops only: no begin, commit, update or delete');
          shape.rows.push(...rowOps(client, inner.message.ops));
        }
        shapes.push(shape);
      }
      assert.deepEqual(shapes.map((s) => s.requestId), requestIds, 'every shape request, in order');
      assert.ok(shapes.every((s) => s.rows.every((r) => r.tags.length > 0 && r.tags.every((tag) => /^.+@\d+$/.test(tag)))), 'every insert has origin@timestamp tags');
      const byId = (a: RowOp, b: RowOp) => String(a.row.id).localeCompare(String(b.row.id));
      const { rows: items } = await sql.query<{ id: string; v: string | null }>(`select id, v from items order by id`);
      assert.deepEqual([...(shapes[0]?.rows ?? [])].sort(byId).map((r) => [r.table, r.row]), items.map((row) => ['items', { ...row }]));
      const { rows: open } = await sql.query<{ id: string }>(`select id, status, title from tasks where status = 'open' order by id`);
      assert.deepEqual([...(shapes[1]?.rows ?? [])].sort(byId).map((r) => r.row), open.map((row) => ({ ...row })));
    });

    test('unsubscribe answers SatUnsubsResp, then SatUnsubsDataBegin / SatOpLog of gone ops / SatUnsubsDataEnd, and the rows stop coming', async () => {
      const client = await started();
      const kept = await client.subscribe([{ tablename: 'events', where: "this.v = 'marker'" }]);
      const dropped = await client.subscribe([{ tablename: 'items', where: "this.id IN ('i1', 'i2')" }]);

      await client.callOk('unsubscribe', { subscriptionIds: [dropped.subscriptionId] });
      const begin = await client.expectNext('SatUnsubsDataBegin');
      assert.deepEqual(begin.subscriptionIds, [dropped.subscriptionId]);
      assert.ok(begin.lsn.length > 0 && isDecimalLsn(begin.lsn), 'SatUnsubsDataBegin carries a server LSN');
      const gone = await client.expectNext('SatOpLog');
      const ops = rowOps(client, gone.ops);
      assert.ok(ops.every((op) => op.kind === 'gone'), 'only gone ops');
      assert.deepEqual(ops.map((op) => [op.table, op.row.id]).sort(), [['items', 'i1'], ['items', 'i2']]);
      await client.expectNext('SatUnsubsDataEnd');
      assert.ok(kept.subscriptionId);

      await sql.query(`update items set v = 'changed' where id = 'i1'`);
      await expectOnlyMarkerNext(client, 'an unsubscribed row changed');
    });

    test('unsubscribing one of two overlapping subscriptions sends gone only for rows no other subscription holds', async () => {
      const client = await started();
      const a = await client.subscribe([{ tablename: 'items', where: "this.id IN ('i1', 'i2')" }]);
      await client.subscribe([{ tablename: 'items', where: "this.id IN ('i2', 'i3')" }]);
      await client.callOk('unsubscribe', { subscriptionIds: [a.subscriptionId] });
      await client.expectNext('SatUnsubsDataBegin');
      const gone = await client.expectNext('SatOpLog');
      assert.deepEqual(rowOps(client, gone.ops).map((op) => [op.kind, op.row.id]), [['gone', 'i1']]);
      await client.expectNext('SatUnsubsDataEnd');
      // i2 is still held: its changes still come.
      await sql.query(`update items set v = 'two!' where id = 'i2'`);
      const tx = await client.nextTransaction();
      assert.deepEqual(rowOps(client, tx.ops).map((op) => [op.kind, op.row.id, op.row.v]), [['update', 'i2', 'two!']]);
    });

    test(
      'a subscription cancelled before its data arrives sends no live changes afterwards',
      async () => {
        const client = await started();
        await client.subscribe([{ tablename: 'events', where: "this.v = 'marker'" }]);
        const subscriptionId = randomUUID();
        // subscribe and unsubscribe back to back: the unsubscribe is handled while the data is being read.
        const [subscribed] = await Promise.all([
          client.callOk('subscribe', { subscriptionId, shapeRequests: [{ requestId: 'r', shapeDefinition: { selects: [{ tablename: 'tasks' }] } }] }),
          client.callOk('unsubscribe', { subscriptionIds: [subscriptionId] }),
        ]);
        assert.equal(subscribed.err, undefined);
        await sleep(500);
        await sql.query(`update tasks set title = title || '!' where id = 't1'`);
        await expectOnlyMarkerNext(client, 'a row of a cancelled subscription changed');
      },
    );
  });

  describe('the live stream', () => {
    test('UPDATEs that move a row into or out of a where-clause shape arrive as insert and delete; changes inside as update', async () => {
      const client = await started();
      await client.subscribe([{ tablename: 'tasks', where: "this.status = 'open'" }, { tablename: 'events', where: "this.v = 'marker'" }]);

      await sql.query(`update tasks set status = 'open' where id = 't2'`);
      let tx = await client.nextTransaction();
      assert.deepEqual(rowOps(client, tx.ops).map((op) => [op.kind, op.table, op.row]), [['insert', 'tasks', { id: 't2', status: 'open', title: 'second' }]]);
      client.ack(tx);

      await sql.query(`update tasks set title = 'SECOND' where id = 't2'`);
      tx = await client.nextTransaction();
      assert.deepEqual(rowOps(client, tx.ops).map((op) => [op.kind, op.table, op.row]), [['update', 'tasks', { id: 't2', status: 'open', title: 'SECOND' }]]);
      client.ack(tx);

      await sql.query(`update tasks set status = 'done' where id = 't2'`);
      tx = await client.nextTransaction();
      const [moved] = rowOps(client, tx.ops);
      assert.deepEqual([moved?.kind, moved?.table, moved?.row.id], ['delete', 'tasks', 't2']);
      client.ack(tx);

      // A row outside the shape that stays outside sends nothing.
      await sql.query(`insert into tasks values ('t9', 'closed', 'outside')`);
      await sql.query(`update tasks set title = 'still outside' where id = 't9'`);
      await sql.query(`delete from tasks where id = 't9'`);
      await expectOnlyMarkerNext(client, 'changes outside the shape');

      // A DELETE of a row inside the shape.
      await sql.query(`insert into tasks values ('t10', 'open', 'short-lived')`);
      client.ack(await client.nextTransaction());
      await sql.query(`delete from tasks where id = 't10'`);
      tx = await client.nextTransaction();
      assert.deepEqual(rowOps(client, tx.ops).map((op) => [op.kind, op.table, op.row.id]), [['delete', 'tasks', 't10']]);
      client.ack(tx);
    });

    test('an UPDATE that leaves a large (TOASTed) value unchanged still sends the whole row', async () => {
      const client = await started();
      await client.subscribe([{ tablename: 'events', where: "this.id = 'toasted' OR this.v = 'marker'" }]);
      // 64 KiB of hex digits that do not compress: stored out of line, sent as "unchanged" by pgoutput on UPDATE.
      await sql.query(`insert into events (id, v) select 'toasted', string_agg(md5(random()::text), '') from generate_series(1, 2000)`);
      const inserted = await client.nextTransaction();
      const [insert] = rowOps(client, inserted.ops);
      assert.equal(insert?.row.v?.length, 64_000);
      client.ack(inserted);
      await sql.query(`update events set n = 7 where id = 'toasted'`);
      const updated = await client.nextTransaction();
      const [update] = rowOps(client, updated.ops);
      assert.equal(update?.kind, 'update');
      assert.equal(update?.row.n, '7');
      assert.equal(update?.row.v, insert?.row.v, 'the unchanged value is sent in full');
      client.ack(updated);
    });

    test('a TRUNCATE removes every row the client holds from that table', async () => {
      const client = await started();
      await client.subscribe([{ tablename: 'scratch', where: 'this.id <= 3' }]);
      await sql.query(`truncate scratch`);
      const tx = await client.nextTransaction();
      assert.deepEqual(
        rowOps(client, tx.ops).map((op) => [op.kind, op.table, op.row.id]).sort(),
        [['delete', 'scratch', '1'], ['delete', 'scratch', '2'], ['delete', 'scratch', '3']],
      );
    });

    test('initial data and the live stream join with no gap and no duplicate while PostgreSQL keeps committing', async () => {
      const client = await started();
      const seen = new Map<string, number>();
      // Inserts 51…400, one transaction each, while the client subscribes.
      const total = 400;
      const writer = (async () => {
        for (let i = 51; i <= total; i++) await sql.query(`insert into stream values ($1)`, [i]);
      })();
      await sleep(20);
      const { frames } = await client.subscribe([{ tablename: 'stream' }]);
      for (const frame of frames) {
        if (frame.name !== 'SatOpLog') continue;
        for (const op of rowOps(client, frame.message.ops)) seen.set(op.row.id ?? '', (seen.get(op.row.id ?? '') ?? 0) + 1);
      }
      const fromSnapshot = seen.size;
      while (seen.size < total) {
        const tx = await client.nextTransaction();
        for (const op of rowOps(client, tx.ops)) {
          assert.equal(op.kind, 'insert');
          seen.set(op.row.id ?? '', (seen.get(op.row.id ?? '') ?? 0) + 1);
        }
        client.ack(tx);
      }
      await writer;
      await sleep(300);
      const extra = client.received.slice(client.cursor).filter((f) => f.name === 'SatOpLog');
      assert.deepEqual(extra, [], 'nothing after the last row');
      assert.deepEqual([...seen.keys()].map(Number).sort((a, b) => a - b), Array.from({ length: total }, (_, i) => i + 1), 'every row');
      assert.deepEqual([...seen].filter(([, count]) => count > 1), [], 'no row twice');
      assert.ok(fromSnapshot >= 50 && fromSnapshot < total, `the subscription raced the writer (${fromSnapshot} rows in the initial data)`);
    });

    test('rows whose electric_user_id is another user’s are not streamed', async () => {
      const alice = await started('alice');
      await alice.subscribe([{ tablename: 'owned' }, { tablename: 'events', where: "this.v = 'marker'" }]);
      await sql.query(`insert into owned values ('o10', 'bob', 'his')`);
      await sql.query(`insert into owned values ('o11', null, 'nobody''s')`);
      await sql.query(`insert into owned values ('o12', 'alice', 'mine')`);
      const tx = await alice.nextTransaction();
      assert.deepEqual(rowOps(alice, tx.ops).map((op) => [op.kind, op.row.id]), [['insert', 'o12']]);
      alice.ack(tx);
      // Handing a row over to bob removes it from alice.
      await sql.query(`update owned set electric_user_id = 'bob' where id = 'o12'`);
      const handedOver = await alice.nextTransaction();
      assert.deepEqual(rowOps(alice, handedOver.ops).map((op) => [op.kind, op.row.id]), [['delete', 'o12']]);
      alice.ack(handedOver);
      await expectOnlyMarkerNext(alice, 'after the hand-over');
    });

    test(
      'the initial data of a table with electric_user_id holds only the token user’s rows',
      async () => {
        const alice = await started('alice');
        const { frames } = await alice.subscribe([{ tablename: 'owned' }]);
        const rows = frames.flatMap((f) => (f.name === 'SatOpLog' ? rowOps(alice, f.message.ops) : []));
        assert.deepEqual(rows.map((r) => [r.row.id, r.row.electric_user_id]).filter(([id]) => id === 'o1' || id === 'o2' || id === 'o3'), [['o1', 'alice']]);
      },
    );

    test('with 30 unacknowledged transactions the server stops sending until an ack arrives', async () => {
      const slow = await started('slow');
      const fast = await started('fast');
      await slow.subscribe([{ tablename: 'counter' }]);
      await fast.subscribe([{ tablename: 'counter' }]);

      for (let i = 1; i <= 35; i++) await sql.query(`insert into counter values ($1, 'x')`, [i]);

      // The fast client acknowledges as it goes, so it sees all 35: the runtime has them all.
      const fastIds: string[] = [];
      while (fastIds.length < 35) {
        const tx = await fast.nextTransaction();
        fastIds.push(...rowOps(fast, tx.ops).map((op) => op.row.id ?? ''));
        fast.ack(tx);
      }
      assert.deepEqual(fastIds, Array.from({ length: 35 }, (_, i) => String(i + 1)));

      const transactionsOf = (client: SatelliteClient) =>
        client.received.flatMap((f) => (f.name === 'SatOpLog' && f.message.ops[0]?.op.case === 'begin' && !f.message.ops[0].op.value.isMigration ? [splitTransaction(f.message.ops)] : []));
      await slow.waitUntil(() => (transactionsOf(slow).length >= 30 ? true : undefined), '30 transactions');
      await sleep(1_000);
      const window = transactionsOf(slow);
      assert.equal(window.length, 30, 'no more than the window before an ack');

      slow.ack(window[29]!);
      await slow.waitUntil(() => (transactionsOf(slow).length >= 35 ? true : undefined), 'the rest after the ack');
      const all = transactionsOf(slow);
      assert.deepEqual(all.flatMap((tx) => rowOps(slow, tx.ops).map((op) => op.row.id)), fastIds, 'every transaction once, in order');
      assert.equal(new Set(all.map((tx) => tx.begin.transactionId)).size, 35, 'distinct transaction ids');
    });

    test('live transactions carry the commit time in ms, the transaction id, the origin and an LSN the server accepts back on resume', async () => {
      const clientId = `client-${randomUUID()}`;
      const first = await started('erin', clientId);
      const { subscriptionId } = await first.subscribe([{ tablename: 'events', where: "this.v <> 'marker'" }]);

      const before = await sql.query<{ lsn: string }>(`select pg_current_wal_lsn()::text as lsn`);
      await sql.query('begin');
      const inTx = await sql.query<{ xid: string; ms: string }>(
        `insert into events values ('e1', 'live', 9007199254740993) returning pg_current_xact_id()::text as xid, (extract(epoch from clock_timestamp()) * 1000)::bigint::text as ms`,
      );
      await sql.query('commit');
      const afterCommit = await sql.query<{ lsn: string }>(`select pg_current_wal_lsn()::text as lsn`);
      const tx = await first.nextTransaction();
      const receivedAt = Date.now();

      const { begin, commit } = tx;
      const xid = BigInt(inTx.rows[0]!.xid) & 0xffff_ffffn;
      assert.equal(begin.transactionId, xid, 'transaction_id is the PostgreSQL xid');
      assert.equal(commit.transactionId ?? begin.transactionId, xid);
      const ms = Number(begin.commitTimestamp);
      assert.ok(ms >= Number(inTx.rows[0]!.ms) - 1 && ms <= receivedAt + 1, `commit_timestamp ${ms} is in milliseconds, at the commit`);
      assert.equal(commit.commitTimestamp, begin.commitTimestamp);
      assert.equal(begin.isMigration, false);
      assert.ok(begin.origin, 'an origin');
      const ops = rowOps(first, tx.ops);
      assert.deepEqual(ops.map((op) => [op.kind, op.row]), [['insert', { id: 'e1', v: 'live', n: '9007199254740993' }]]);
      assert.deepEqual(ops[0]?.tags, [`${begin.origin}@${ms}`], 'the tag is origin@commit_timestamp');
      assert.ok(isDecimalLsn(begin.lsn), 'the LSN is ASCII decimal');
      assert.deepEqual(Buffer.from(commit.lsn), Buffer.from(begin.lsn));
      const lsn = BigInt(Buffer.from(begin.lsn).toString('latin1'));
      assert.ok(lsn > pgLsn(before.rows[0]!.lsn) && lsn <= pgLsn(afterCommit.rows[0]!.lsn), 'the LSN is the transaction’s WAL position');
      first.ack(tx);

      // Disconnect, miss a change, and resume from that LSN with the subscription: no new data block, the change arrives.
      first.close();
      await first.waitForClose();
      await sql.query(`insert into events values ('e2', 'missed', null)`);
      const second = await reconnect(clientId, 'erin');
      const resumed = await second.callOk('startReplication', { lsn: begin.lsn, subscriptionIds: [subscriptionId] });
      assert.equal(resumed.err, undefined, `resume refused: ${resumed.err?.message}`);
      const missed = await second.nextTransaction();
      assert.deepEqual(rowOps(second, missed.ops).map((op) => [op.kind, op.row.id]), [['insert', 'e2']]);
      second.ack(missed);
      await sql.query(`insert into events values ('e3', 'after', null)`);
      const later = await second.nextTransaction();
      assert.deepEqual(rowOps(second, later.ops).map((op) => [op.kind, op.row.id]), [['insert', 'e3']]);
      assert.ok(!second.received.some((f) => f.name === 'SatSubsDataBegin'), 'no subscription data was resent');
      assert.ok(!second.received.some((f) => f.name === 'SatOpLog' && f.message.ops[0]?.op.case === 'begin' && f.message.ops[0].op.value.isMigration), 'no migrations were resent');
    });
  });

  describe('schema changes', () => {
    test('a table electrified while a client is connected arrives as a live migration transaction, and can then be subscribed to', async () => {
      const client = await started('frank');
      await client.subscribe([{ tablename: 'events', where: "this.v = 'marker'" }]);
      await sql.query(`create table late (id text primary key, note text)`);
      await sql.query(`call electric.electrify('late')`);
      const tx = await client.nextTransaction();
      assert.equal(tx.begin.isMigration, true);
      assert.ok(tx.begin.transactionId, 'a live migration has a transaction id');
      assert.ok(tx.ops.length >= 1 && tx.ops.every((op) => op.op.case === 'migrate'));
      const migrate = tx.ops[0]?.op.value as SatOpMigrate;
      assert.match(migrate.stmts[0]?.sql ?? '', /^CREATE TABLE "late" \(/);
      client.ack(tx);

      await sql.query(`insert into late values ('l1', 'first')`);
      const { frames } = await client.subscribe([{ tablename: 'late' }]);
      const relation = [...client.relations.values()].find((r) => r.tableName === 'late');
      assert.ok(relation, 'a SatRelation for the new table before its data');
      assert.deepEqual(
        frames.flatMap((f) => (f.name === 'SatOpLog' ? rowOps(client, f.message.ops).map((op) => op.row) : [])),
        [{ id: 'l1', note: 'first' }],
      );
      await sql.query(`insert into late values ('l2', 'second')`);
      const live = await client.nextTransaction();
      assert.deepEqual(rowOps(client, live.ops).map((op) => [op.kind, op.table, op.row.id]), [['insert', 'late', 'l2']]);
    });
  });

  /** No SatSubsDataBegin for `subscriptionId` arrives (checked after a later marker transaction). */
  async function expectNoDataBlock(client: SatelliteClient, subscriptionId: string): Promise<void> {
    await client.subscribe([{ tablename: 'events', where: "this.v = 'marker'" }]);
    await expectOnlyMarkerNext(client, 'after a refused subscription');
    assert.ok(!client.received.some((f) => f.name === 'SatSubsDataBegin' && f.message.subscriptionId === subscriptionId), 'no data block for a refused subscription');
  }
});

describe('resuming from an LSN the server no longer keeps', () => {
  test('gets BEHIND_WINDOW', async (t) => {
    const scope = cleanupScope(t);
    const server = await startTestPostgres(scope);
    // The smallest transaction cache: the log keeps only the newest transaction.
    const runtime = await startRuntimeProcess(scope, { ...insecure, DATABASE_URL: server.url(), ELECTRIC_TXN_CACHE_SIZE: '1' });
    await runtime.waitForStatus(200);
    const sql = await connectTestClient(scope, server.url());
    await sql.query(`create table events (id text primary key)`);
    await sql.query(`call electric.electrify('events')`);
    await waitForTables(runtime.baseUrl, ['events']);

    const connect = async (clientId: string) => {
      const client = await openSatellite(scope, runtime.baseUrl);
      await client.authenticate(clientId, insecureToken('gina'));
      return client;
    };
    const watcher = await connect(`watcher-${randomUUID()}`);
    await watcher.startReplication();
    await watcher.subscribe([{ tablename: 'events' }]);

    const clientId = `client-${randomUUID()}`;
    const client = await connect(clientId);
    await client.startReplication();
    const { subscriptionId } = await client.subscribe([{ tablename: 'events' }]);
    await sql.query(`insert into events values ('e1')`);
    const tx = await client.nextTransaction();
    client.ack(tx);
    watcher.ack(await watcher.nextTransaction());
    client.close();
    await client.waitForClose();

    for (const id of ['e2', 'e3']) {
      await sql.query(`insert into events values ($1)`, [id]);
      watcher.ack(await watcher.nextTransaction()); // the runtime has it
    }
    let again: SatelliteClient | undefined;
    const deadline = Date.now() + 5_000;
    for (;;) {
      again = await openSatellite(scope, runtime.baseUrl);
      if ((await again.call('authenticate', { id: clientId, token: insecureToken('gina') })).ok) break;
      assert.ok(Date.now() < deadline, 'the client id was never released');
      await sleep(50);
    }
    const response = await again.callOk('startReplication', { lsn: tx.begin.lsn, subscriptionIds: [subscriptionId] });
    assert.equal(response.err?.code, ReplicationError.BEHIND_WINDOW);
    // A client that starts over is served.
    await again.startReplication();
    await again.subscribe([{ tablename: 'events' }]);
  });
});
