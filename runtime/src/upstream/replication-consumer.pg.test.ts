import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { startTestPostgres } from '../../../test/support/postgres.ts';
import { createLogger } from '../logging/logger.ts';
import { connectToDatabase } from './connect.ts';
import { startReplicationConsumer } from './replication-consumer.ts';
import { ensureReplicationSlot, getSlotPositionOrNull } from './replication-slot.ts';
import { startReplicationStream } from './replication-stream.ts';
import { getSlotActivity } from './testing/slot-activity.ts';
import { testRuntimeConfig } from './testing/test-config.ts';
import type { ReplicatedTransaction } from './transaction.ts';

const logger = createLogger({ level: 'error' });

async function setup(t: Parameters<typeof startTestPostgres>[0], ddl: string) {
  const server = await startTestPostgres(t);
  const sql = new pg.Client(server.url());
  sql.on('error', () => {}); // the server stops before this client at the end of the test
  await sql.connect();
  t.after(() => sql.end());
  await sql.query(ddl);
  const config = await testRuntimeConfig(server.url());
  return { server, sql, config };
}

function collect(t: { after(fn: () => unknown): void }, options: Omit<Parameters<typeof startReplicationConsumer>[0], 'handle' | 'logger'>) {
  const transactions: ReplicatedTransaction[] = [];
  const consumer = startReplicationConsumer({ ...options, logger, handle: async (txn) => void transactions.push(txn) });
  t.after(() => consumer.stop());
  return { transactions, consumer };
}

async function waitForSlot(sql: pg.Client, slotName: string) {
  const deadline = Date.now() + 20_000;
  while ((await getSlotActivity(sql, slotName)) !== 'streaming') {
    if (Date.now() > deadline) assert.fail(`slot ${slotName} never started streaming`);
    await sleep(20);
  }
}

async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

test('every supported type arrives decoded exactly: NULLs, extremes, unicode, large jsonb and bytea', async (t) => {
  const { sql, config } = await setup(
    t,
    `create type mood as enum ('happy', 'sad');
     create table items (
       id uuid primary key, b bool, by bytea, d date, f4 float4, f8 float8, i2 int2, i4 int4, i8 int8, j jsonb,
       tx text, tm time, ts timestamp, tz timestamptz, vc varchar, m mood);
     create publication electric_publication for table items;`,
  );
  const { transactions } = collect(t, { config, slotName: 'electric_replication_out_postgres', publicationName: 'electric_publication', statusIntervalMs: 200 });
  await waitForSlot(sql, 'electric_replication_out_postgres'); // the consumer creates it; write only once it streams

  const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const bigJson = { list: Array.from({ length: 20_000 }, (_, i) => ({ i, s: `ü${i}` })) };
  await sql.query(
    `insert into items values
      ('00000000-0000-4000-8000-000000000001', true, $1, '2024-02-29', 3.25, -1.5e300, -32768, 2147483647,
       9223372036854775807, $2, 'héllo 🌍 "quotes" \\ back', '23:59:59.999999', '2024-01-01 00:00:00.123456',
       '2024-06-01 12:00:00+02', '', 'sad'),
      ('00000000-0000-4000-8000-000000000002', false, '', '0001-01-01', 'NaN', '-Infinity', 0, -2147483648,
       -9223372036854775808, 'null', '', '00:00', '1970-01-01 00:00', '1970-01-01 00:00+00', 'x', 'happy'),
      ('00000000-0000-4000-8000-000000000003', null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)`,
    [allBytes, JSON.stringify(bigJson)],
  );

  const txn = await waitFor('the insert', () => transactions[0]);
  assert.equal(txn.changes.length, 3);
  const [first, second, third] = txn.changes.map((c) => (c.kind === 'insert' ? c.record : assert.fail('insert expected')));
  assert.deepEqual(
    { ...first, by: undefined, j: undefined },
    {
      id: '00000000-0000-4000-8000-000000000001', b: true, by: undefined, d: '2024-02-29', f4: 3.25, f8: -1.5e300,
      i2: -32768, i4: 2147483647, i8: 9223372036854775807n, j: undefined, tx: 'héllo 🌍 "quotes" \\ back',
      tm: '23:59:59.999999', ts: '2024-01-01 00:00:00.123456', tz: '2024-06-01 10:00:00+00', vc: '', m: 'sad',
    },
  );
  assert.deepEqual(Buffer.from(first?.by as Buffer), allBytes);
  assert.deepEqual(JSON.parse(first?.j as string), bigJson);
  assert.ok(Number.isNaN(second?.f4));
  assert.equal(second?.f8, -Infinity);
  assert.equal(second?.i8, -9223372036854775808n);
  assert.deepEqual(Buffer.from(second?.by as Buffer), Buffer.alloc(0));
  assert.equal(second?.j, 'null');
  assert.equal(second?.tx, '', 'an empty string is not NULL');
  for (const [column, value] of Object.entries(third ?? {})) if (column !== 'id') assert.equal(value, null, column);

  await sql.query(`update items set tx = 'changed', i8 = 1 where id = '00000000-0000-4000-8000-000000000002'`);
  await sql.query(`delete from items where id = '00000000-0000-4000-8000-000000000003'`);
  await waitFor('update and delete', () => transactions.length >= 3);
  const update = transactions[1]?.changes[0];
  assert.ok(update?.kind === 'update');
  assert.equal(update.record.tx, 'changed');
  assert.equal(update.record.i8, 1n);
  const del = transactions[2]?.changes[0];
  assert.ok(del?.kind === 'delete');
  assert.equal(del.oldRecord.id, '00000000-0000-4000-8000-000000000003');
});

test('transaction boundaries and commit order are preserved', async (t) => {
  const { server, sql, config } = await setup(t, 'create table t (id int primary key, v text); create publication electric_publication for table t;');
  const { transactions } = collect(t, { config, slotName: 'order_slot', publicationName: 'electric_publication' });
  await waitForSlot(sql, 'order_slot');
  // Two interleaved transactions: B commits first although A started first.
  const other = new pg.Client(server.url());
  other.on('error', () => {});
  await other.connect();
  t.after(() => other.end());
  await sql.query('begin');
  await sql.query(`insert into t values (1, 'a1')`);
  await other.query('begin');
  await other.query(`insert into t values (2, 'b1'), (3, 'b2')`);
  await sql.query(`insert into t values (4, 'a2')`);
  await other.query('commit');
  await sql.query('commit');
  await sql.query(`insert into t values (5, 'c1')`);
  await waitFor('three transactions', () => transactions.length === 3);
  const ids = transactions.map((txn) => txn.changes.map((c) => (c.kind === 'insert' ? c.record.id : -1)));
  assert.deepEqual(ids, [[2, 3], [1, 4], [5]]);
  for (let i = 1; i < transactions.length; i++) {
    assert.ok((transactions[i]?.endLsn ?? 0n) > (transactions[i - 1]?.endLsn ?? 0n), 'end LSNs increase');
  }
  assert.ok(Math.abs((transactions[2]?.commitTimeMs ?? 0) - Date.now()) < 60_000, 'commit time is in ms since the epoch');
});

test('a burst of writes to unpublished tables leaves the slot’s retained WAL bounded', async (t) => {
  const { sql, config } = await setup(
    t,
    'create table synced (id int primary key); create table other (id serial primary key, pad text); create publication electric_publication for table synced;',
  );
  const slotName = 'bounded_slot';
  collect(t, { config, slotName, publicationName: 'electric_publication', statusIntervalMs: 100 });
  await waitForSlot(sql, slotName);
  // ~40 MB of WAL in tables we do not sync.
  for (let i = 0; i < 20; i++) await sql.query(`insert into other (pad) select repeat('x', 1000) from generate_series(1, 2000)`);
  const { rows } = await sql.query<{ wal: string }>(`select (pg_current_wal_lsn() - '0/0')::text as wal`);
  const walAfterBurst = BigInt(rows[0]?.wal ?? '0');
  const deadline = Date.now() + 20_000;
  let slot = await getSlotPositionOrNull(sql, slotName);
  while (Date.now() < deadline && (slot?.confirmedFlushLsn ?? 0n) < walAfterBurst) {
    await sleep(100);
    slot = await getSlotPositionOrNull(sql, slotName);
  }
  assert.ok(slot, 'the slot exists');
  assert.ok(slot.confirmedFlushLsn >= walAfterBurst, `confirmed ${slot.confirmedFlushLsn} reached the end of the burst ${walAfterBurst}`);
  // restart_lsn (what the server must keep) follows confirmed_flush_lsn once decoding passes a running-xacts record,
  // which a checkpoint writes.
  const bound = 16n * 1024n * 1024n;
  while (Date.now() < deadline + 20_000 && (slot?.retainedWalBytes ?? bound) >= bound) {
    await sql.query('checkpoint');
    await sleep(200);
    slot = await getSlotPositionOrNull(sql, slotName);
  }
  assert.ok((slot?.retainedWalBytes ?? bound) < bound, `retained WAL ${slot?.retainedWalBytes} bytes is bounded`);
});

test('acknowledgements made together go out as one status update, and only acknowledged positions are confirmed', async (t) => {
  const { sql, config } = await setup(t, 'create table t (id int primary key); create publication electric_publication for table t;');
  const slotName = 'coalesce_slot';
  const client = await connectToDatabase(config, 'replication');
  await ensureReplicationSlot(client, slotName);
  // Count the standby status updates ('r') the stream sends.
  const connection = (client as unknown as { connection: { sendCopyFromChunk(chunk: Buffer): void } }).connection;
  const send = connection.sendCopyFromChunk.bind(connection);
  let statusUpdates = 0;
  connection.sendCopyFromChunk = (chunk) => {
    if (chunk[0] === 0x72) statusUpdates++;
    send(chunk);
  };
  // No periodic update within the test: the updates counted below come from acknowledge().
  const stream = startReplicationStream({ client, slotName, publicationName: 'electric_publication', startLsn: 0n, logger, statusIntervalMs: 600_000 });
  t.after(() => stream.close());
  await waitForSlot(sql, slotName);
  const confirmed = async (lsn: bigint) => {
    const deadline = Date.now() + 20_000;
    let slot = await getSlotPositionOrNull(sql, slotName);
    while ((slot?.confirmedFlushLsn ?? 0n) < lsn && Date.now() < deadline) {
      await sleep(20);
      slot = await getSlotPositionOrNull(sql, slotName);
    }
    return slot?.confirmedFlushLsn;
  };

  await sql.query(`do $$ begin for i in 1..200 loop insert into t values (i); commit; end loop; end $$`);
  const endLsns: bigint[] = [];
  for await (const transaction of stream) {
    endLsns.push(transaction.endLsn);
    if (endLsns.length === 200) break;
  }

  // Everything is delivered, half is acknowledged: the slot confirms exactly the acknowledged half.
  let before = statusUpdates;
  for (const lsn of endLsns.slice(0, 100)) stream.acknowledge(lsn);
  assert.equal(statusUpdates, before, 'acknowledge() itself sends nothing');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(statusUpdates, before + 1, 'one status update carries the 100 acknowledgements');
  assert.equal(await confirmed(endLsns[99]!), endLsns[99], 'confirmed what was acknowledged, not what was delivered');

  before = statusUpdates;
  for (const lsn of endLsns.slice(100)) stream.acknowledge(lsn);
  stream.acknowledge(endLsns[50]!); // an older position changes nothing
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(statusUpdates, before + 1);
  assert.ok(((await confirmed(endLsns[199]!)) ?? 0n) >= endLsns[199]!, 'the slot reaches the last acknowledged transaction');
});
