import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { startTestPostgres } from '../../../test/support/postgres.ts';
import { cleanUpDatabase, replicationSlotName } from './cleanup.ts';
import { connectTo, databaseTarget, probeDatabase } from './connect.ts';

async function setUpElectricObjects(url: string, database: string) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const client = new pg.Client({ connectionString: url.replace(/\/[^/?]*(\?|$)/, `/${database}$1`) });
  client.on('error', () => {}); // the server stops before the client at the end of a test
  await client.connect();
  await client.query('CREATE SCHEMA electric');
  await client.query('CREATE TABLE electric.migrations (version text)');
  await client.query('CREATE PUBLICATION electric_publication');
  await client.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [replicationSlotName(database)]);
  // Postgres subscribing to the runtime's publisher; not connected, as the runtime is not running here.
  await client.query(
    "CREATE SUBSCRIPTION postgres_1 CONNECTION 'host=electric-publisher.invalid port=5433 dbname=x' PUBLICATION p WITH (connect = false)",
  );
  return client;
}

async function remaining(client: pg.Client, slot: string) {
  const count = async (sql: string, params: unknown[] = []) => (await client.query(sql, params)).rowCount;
  return {
    subscriptions: await count("SELECT 1 FROM pg_subscription WHERE subname = 'postgres_1'"),
    slots: await count('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [slot]),
    publications: await count("SELECT 1 FROM pg_publication WHERE pubname = 'electric_publication'"),
    electricSchema: await count("SELECT 1 FROM pg_namespace WHERE nspname = 'electric'"),
  };
}

test('drops the subscription, the replication slot and the publication, keeps the electric schema, and is idempotent', async (t) => {
  const server = await startTestPostgres(t);
  const database = 'Shop-Orders';
  const client = await setUpElectricObjects(server.url(), database);
  t.after(() => client.end());
  const slot = replicationSlotName(database);
  assert.deepEqual(await remaining(client, slot), { subscriptions: 1, slots: 1, publications: 1, electricSchema: 1 });

  const report = await cleanUpDatabase(client);
  assert.deepEqual(report, { subscriptionDropped: true, slotDropped: true, publicationDropped: true, terminatedBackends: 0 });
  assert.deepEqual(await remaining(client, slot), { subscriptions: 0, slots: 0, publications: 0, electricSchema: 1 });

  const again = await cleanUpDatabase(client);
  assert.deepEqual(again, { subscriptionDropped: false, slotDropped: false, publicationDropped: false, terminatedBackends: 0 });
});

test('ends a backend still streaming from the slot before dropping it', async (t) => {
  const server = await startTestPostgres(t);
  const client = await setUpElectricObjects(server.url(), 'app');
  t.after(() => client.end());
  const slot = replicationSlotName('app');
  const streamer = new pg.Client({ connectionString: server.url('app'), replication: 'database' } as pg.ClientConfig);
  streamer.on('error', () => {});
  await streamer.connect();
  void streamer
    .query(`START_REPLICATION SLOT ${slot} LOGICAL 0/0 (proto_version '1', publication_names 'electric_publication')`)
    .catch(() => {});
  for (let i = 0; i < 50; i++) {
    const { rows } = await client.query('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [slot]);
    if (rows[0]?.active) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const report = await cleanUpDatabase(client);
  assert.equal(report.slotDropped, true);
  assert.ok(report.terminatedBackends >= 1);
  await streamer.end().catch(() => {});
});

test('probes a reachable database and reports an unreachable one without the password', async (t) => {
  const server = await startTestPostgres(t);
  const up = databaseTarget(server.url(), false);
  assert.ok(up.ok);
  assert.deepEqual(await probeDatabase(up.target), { ok: true });
  const client = await connectTo(up.target);
  await client.end();

  const down = databaseTarget('postgresql://u:hunter2@127.0.0.1:1/db?sslmode=disable', undefined);
  assert.ok(down.ok);
  const result = await probeDatabase(down.target, 1_000);
  assert.equal(result.ok, false);
  assert.doesNotMatch(JSON.stringify(result), /hunter2/);
});
