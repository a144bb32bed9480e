import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import pg from 'pg';
import { startTestPostgres } from '../test/support/postgres.ts';
import { isPortInUse } from './free-port.ts';
import { startThrowawayPostgres } from './cluster.ts';

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

test('the test PostgreSQL does logical replication: a pgoutput slot yields an inserted row', async (t) => {
  const server = await startTestPostgres(t);
  const url = server.url();
  const [settings] = await query<{ wal_level: string; max_replication_slots: string }>(
    url,
    "select current_setting('wal_level') as wal_level, current_setting('max_replication_slots') as max_replication_slots",
  );
  assert.equal(settings?.wal_level, 'logical');
  assert.ok(Number(settings?.max_replication_slots) >= 10);

  await query(url, 'create table items (id int primary key, name text)');
  await query(url, 'create publication harness_pub for table items');
  await query(url, "select pg_create_logical_replication_slot('harness_slot', 'pgoutput')");
  await query(url, "insert into items values (1, 'härness ✓')");

  const changes = await query<{ data: Buffer }>(
    url,
    "select data from pg_logical_slot_get_binary_changes('harness_slot', null, null, 'proto_version', '1', 'publication_names', 'harness_pub')",
  );
  // pgoutput: Begin, Relation, Insert, Commit. The message type is the first byte.
  const kinds = changes.map((row) => String.fromCharCode(row.data[0] ?? 0));
  assert.deepEqual(kinds, ['B', 'R', 'I', 'C']);
  const insert = changes[2]?.data;
  assert.ok(insert);
  // Insert: 'I', relation OID (4), 'N', column count (2), then per column 't' + length (4) + text.
  assert.equal(insert.readInt16BE(6), 2);
  assert.ok(insert.includes(Buffer.from('härness ✓', 'utf8')), 'the inserted text is in the change');
});

test('two test servers run side by side on different ports with separate data', async (t) => {
  const [a, b] = await Promise.all([startTestPostgres(t), startTestPostgres(t)]);
  assert.notEqual(a.port, b.port);
  assert.notEqual(a.dataDir, b.dataDir);
  await query(a.url(), 'create table only_in_a (id int)');
  const inB = await query(b.url(), "select 1 from pg_tables where tablename = 'only_in_a'");
  assert.equal(inB.length, 0);
});

test('a crashed server restarts on the same port and keeps committed data', async (t) => {
  const server = await startTestPostgres(t, { unsafeFastWrites: false });
  await query(server.url(), 'create table kept (id int)');
  await query(server.url(), 'insert into kept values (42)');
  const port = server.port;
  await server.crash();
  assert.equal(await isPortInUse(port), false, 'the port is closed after the crash');
  await server.restart();
  assert.equal(server.port, port);
  assert.deepEqual(await query(server.url(), 'select id from kept'), [{ id: 42 }]);
});

test('stop() shuts the server down, closes its port and deletes its data', async () => {
  const server = await startThrowawayPostgres();
  const { port, dataDir } = server;
  assert.equal(await isPortInUse(port), true);
  await server.stop();
  assert.equal(await isPortInUse(port), false);
  assert.equal(existsSync(dataDir), false);
  await server.stop(); // a second stop is harmless
});
