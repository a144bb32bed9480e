import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestPostgres } from '../../../test/support/postgres.ts';
import { ensurePostgresSetup } from './ensure-postgres-setup.ts';
import { isPostgresSetupError, PostgresSetupError } from './errors.ts';
import { electricSchemaMigrations } from './schema-migrations.ts';
import { connectAs, connectToFreshDatabase, recordingLogger, silentLogger } from './testing/databases.ts';

test('ensurePostgresSetup on PostgreSQL 15', async (t) => {
  const server = await startTestPostgres(t);

  await t.test('installs the electric schema, its routines, event triggers and the publication', async (t) => {
    const { client } = await connectToFreshDatabase(server, t);
    const result = await ensurePostgresSetup(client, silentLogger());
    assert.deepEqual(result, { schemaVersion: 1, appliedMigrations: [1], installedRoutines: true });

    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'electric' ORDER BY 1`,
    );
    assert.deepEqual(tables.map((r) => r.name), ['ddl_commands', 'electrified', 'installed_routines', 'migration_versions', 'schema_migrations']);

    const { rows: columns } = await client.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns
        WHERE table_schema = 'electric' AND table_name = 'ddl_commands' ORDER BY ordinal_position`,
    );
    assert.deepEqual(
      columns.map((c) => `${c.column_name} ${c.data_type}`),
      ['id bigint', 'txid xid8', 'txts timestamp with time zone', 'version text', 'query text', 'metadata jsonb'],
    );

    const { rows: published } = await client.query<{ table: string }>(
      `SELECT schemaname || '.' || tablename AS table FROM pg_publication_tables WHERE pubname = 'electric_publication'`,
    );
    assert.deepEqual(published.map((r) => r.table), ['electric.ddl_commands']);

    const { rows: triggers } = await client.query<{ evtname: string; evtevent: string; evtenabled: string }>(
      `SELECT evtname, evtevent, evtenabled FROM pg_event_trigger ORDER BY evtname`,
    );
    assert.deepEqual(triggers, [
      { evtname: 'electric_ddl_command_end', evtevent: 'ddl_command_end', evtenabled: 'O' },
      { evtname: 'electric_sql_drop', evtevent: 'sql_drop', evtenabled: 'O' },
    ]);

    const { rows: procedures } = await client.query<{ signature: string }>(
      `SELECT p.oid::regprocedure::text AS signature FROM pg_proc p
        WHERE p.pronamespace = 'electric'::regnamespace AND p.prokind = 'p' ORDER BY 1`,
    );
    assert.deepEqual(procedures.map((r) => r.signature), ['electric.electrify(text,text)', 'electric.migration_version(text)']);
  });

  await t.test('is a no-op the second time: nothing applied, routines left alone, no notices', async (t) => {
    const { client } = await connectToFreshDatabase(server, t);
    await ensurePostgresSetup(client, silentLogger());
    const before = await client.query(`SELECT installed_at FROM electric.installed_routines`);
    const notices: string[] = [];
    client.on('notice', (notice) => notices.push(notice.message ?? ''));

    const again = await ensurePostgresSetup(client, silentLogger());
    assert.deepEqual(again, { schemaVersion: 1, appliedMigrations: [], installedRoutines: false });
    const after = await client.query(`SELECT installed_at FROM electric.installed_routines`);
    assert.deepEqual(after.rows, before.rows);
    assert.deepEqual(notices, []);
    const { rows } = await client.query(`SELECT version FROM electric.schema_migrations`);
    assert.equal(rows.length, 1);
  });

  await t.test('is safe when two runtimes set up the same database at the same moment', async (t) => {
    const { client: first, database } = await connectToFreshDatabase(server, t);
    const second = await connectAs(server, database, undefined, t);
    const results = await Promise.all([ensurePostgresSetup(first, silentLogger()), ensurePostgresSetup(second, silentLogger())]);

    // One of them did the work under the lock; the other found it done.
    assert.deepEqual(results.map((r) => r.appliedMigrations.length).sort(), [0, 1]);
    assert.deepEqual(results.map((r) => r.installedRoutines).sort(), [false, true]);
    const { rows } = await first.query<{ n: string }>(`SELECT count(*) AS n FROM electric.schema_migrations`);
    assert.equal(rows[0]?.n, '1');
    const { rows: triggers } = await first.query(`SELECT 1 FROM pg_event_trigger`);
    assert.equal(triggers.length, 2);
  });

  await t.test('applies only the schema migrations a database has not had yet', async (t) => {
    const { client } = await connectToFreshDatabase(server, t);
    await ensurePostgresSetup(client, silentLogger());
    const upgraded = [...electricSchemaMigrations, { version: 2, name: 'a later table', sql: 'CREATE TABLE electric.later (id int PRIMARY KEY)' }];
    const result = await ensurePostgresSetup(client, silentLogger(), { schemaMigrations: upgraded });
    assert.deepEqual(result, { schemaVersion: 2, appliedMigrations: [2], installedRoutines: false });
    assert.deepEqual((await client.query(`SELECT version::int FROM electric.schema_migrations ORDER BY 1`)).rows, [{ version: 1 }, { version: 2 }]);

    // An older runtime afterwards leaves the newer schema's routines alone and says so.
    const { logger, lines } = recordingLogger();
    const older = await ensurePostgresSetup(client, logger);
    assert.deepEqual(older, { schemaVersion: 2, appliedMigrations: [], installedRoutines: false });
    assert.ok(lines.some((line) => line.includes('warning') && line.includes('newer than this electric-sync')), lines.join('\n'));
  });

  await t.test('changes nothing when a step fails, and reports ES_PG_SETUP_FAILED with the cause', async (t) => {
    const { client } = await connectToFreshDatabase(server, t);
    const broken = [...electricSchemaMigrations, { version: 2, name: 'broken', sql: 'CREATE TABLE electric.nope (id no_such_type)' }];
    await assert.rejects(ensurePostgresSetup(client, silentLogger(), { schemaMigrations: broken }), (error) => {
      assert.ok(isPostgresSetupError(error, 'ES_PG_SETUP_FAILED'));
      assert.equal(error.retryable, true);
      assert.match(error.message, /while installing the electric schema: type "no_such_type" does not exist/);
      return true;
    });
    const { rows } = await client.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'electric'`);
    assert.equal(rows.length, 0, 'the whole setup rolled back');
    await ensurePostgresSetup(client, silentLogger());
  });

  await t.test('repairs a dropped publication and a dropped event trigger', async (t) => {
    const { client } = await connectToFreshDatabase(server, t);
    await ensurePostgresSetup(client, silentLogger());
    await client.query(`CREATE TABLE items (id uuid PRIMARY KEY)`);
    await client.query(`CALL electric.electrify('items')`);
    await client.query(`DROP PUBLICATION electric_publication`);
    await client.query(`DROP EVENT TRIGGER electric_sql_drop`);

    const result = await ensurePostgresSetup(client, silentLogger());
    assert.equal(result.installedRoutines, true);
    const { rows } = await client.query<{ table: string }>(
      `SELECT schemaname || '.' || tablename AS table FROM pg_publication_tables WHERE pubname = 'electric_publication' ORDER BY 1`,
    );
    assert.deepEqual(rows.map((r) => r.table), ['electric.ddl_commands', 'public.items']);
    assert.equal((await client.query(`SELECT 1 FROM pg_event_trigger`)).rows.length, 2);
  });

  await t.test('refuses a role that is neither superuser nor REPLICATION, with both fixes, before changing anything', async (t) => {
    const { client: admin, database } = await connectToFreshDatabase(server, t);
    await admin.query(`CREATE ROLE plain_app LOGIN`);
    t.after(() => admin.query(`DROP OWNED BY plain_app; DROP ROLE plain_app`).catch(() => {}));
    const client = await connectAs(server, database, 'plain_app', t);

    await assert.rejects(ensurePostgresSetup(client, silentLogger()), (error) => {
      assert.ok(error instanceof PostgresSetupError);
      assert.equal(error.code, 'ES_PG_ROLE_NO_REPLICATION');
      assert.deepEqual(error.problems.map((p) => p.code), ['ES_PG_ROLE_NO_REPLICATION', 'ES_PG_ROLE_CANNOT_CREATE_EVENT_TRIGGERS']);
      assert.match(error.message, /ALTER ROLE "plain_app" WITH REPLICATION;/);
      assert.match(error.message, /ALTER ROLE "plain_app" WITH SUPERUSER;/);
      assert.equal(error.retryable, false);
      return true;
    });
    assert.equal((await admin.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'electric'`)).rows.length, 0);
  });

  await t.test('refuses a REPLICATION role that may not create event triggers', async (t) => {
    const { client: admin, database } = await connectToFreshDatabase(server, t);
    await admin.query(`CREATE ROLE replicator LOGIN REPLICATION`);
    t.after(() => admin.query(`DROP OWNED BY replicator; DROP ROLE replicator`).catch(() => {}));
    const client = await connectAs(server, database, 'replicator', t);
    await assert.rejects(ensurePostgresSetup(client, silentLogger()), (error) => {
      assert.ok(isPostgresSetupError(error, 'ES_PG_ROLE_CANNOT_CREATE_EVENT_TRIGGERS'));
      assert.deepEqual(error.problems.map((p) => p.code), ['ES_PG_ROLE_CANNOT_CREATE_EVENT_TRIGGERS']);
      assert.match(error.message, /only superusers to create the event triggers/);
      return true;
    });
  });
});

test('ensurePostgresSetup refuses a server without wal_level = logical and says how to fix it', async (t) => {
  const server = await startTestPostgres(t, { settings: { wal_level: 'replica' } });
  const { client } = await connectToFreshDatabase(server, t);
  await assert.rejects(ensurePostgresSetup(client, silentLogger()), (error) => {
    assert.ok(isPostgresSetupError(error, 'ES_PG_WAL_LEVEL'));
    assert.equal(error.code, 'ES_PG_WAL_LEVEL');
    assert.equal(error.retryable, false);
    assert.match(error.message, /wal_level is "replica", but logical replication needs wal_level = logical/);
    assert.match(error.message, /set wal_level = logical in postgresql\.conf .* and restart PostgreSQL/);
    return true;
  });
  const { rows } = await client.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'electric'`);
  assert.equal(rows.length, 0);
});
