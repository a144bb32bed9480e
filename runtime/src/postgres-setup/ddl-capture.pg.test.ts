import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { startTestPostgres } from '../../../test/support/postgres.ts';
import { loadMigrations } from '../migrations/load-migrations.ts';
import { connectAs, connectToElectrifiedDatabase, queryError } from './testing/databases.ts';

async function capturedVersions(client: pg.Client): Promise<string[]> {
  return (await loadMigrations(client)).map((m) => m.version);
}

async function capturedCount(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM electric.ddl_commands`);
  return Number(rows[0]?.n);
}

async function columnsOf(client: pg.Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ column: string }>(
    `SELECT attname || ' ' || format_type(atttypid, atttypmod) AS column FROM pg_attribute
      WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table],
  );
  return rows.map((r) => r.column);
}

/** A database with public.items (id uuid PK, name text, an index on name) electrified. */
async function withItems(server: Parameters<typeof connectToElectrifiedDatabase>[0], t: Parameters<typeof connectToElectrifiedDatabase>[1]) {
  const connected = await connectToElectrifiedDatabase(server, t);
  await connected.client.query(`CREATE TYPE mood AS ENUM ('happy', 'sad')`);
  await connected.client.query(`CREATE TABLE items (id uuid PRIMARY KEY, name text, m mood)`);
  await connected.client.query(`CREATE INDEX items_name_idx ON items (name)`);
  await connected.client.query(`CALL electric.electrify('items')`);
  return connected;
}

test('DDL capture on electrified tables, PostgreSQL 15', async (t) => {
  const server = await startTestPostgres(t);

  await t.test('ADD COLUMN and CREATE INDEX become migrations, versions in order', async (t) => {
    const { client } = await withItems(server, t);
    await client.query(`ALTER TABLE items ADD COLUMN note text`);
    await client.query(`CREATE INDEX items_note_idx ON items (note DESC)`);

    const migrations = await loadMigrations(client);
    assert.equal(migrations.length, 3);
    const versions = migrations.map((m) => m.version);
    assert.deepEqual([...versions].sort(), versions, 'default versions sort in capture order');
    assert.equal(new Set(versions).size, 3);

    const [, addColumn, createIndex] = migrations;
    assert.equal(addColumn?.statements.length, 1);
    const added = addColumn?.statements[0];
    assert.ok(added?.kind === 'alter_add_column');
    assert.equal(added.postgresSql, 'ALTER TABLE public.items ADD COLUMN note text;');
    assert.equal(added.sqliteSql, 'ALTER TABLE "items" ADD COLUMN "note" TEXT;');
    assert.deepEqual(
      added.table.columns.map((c) => c.name),
      ['id', 'name', 'm', 'note'],
    );
    const index = createIndex?.statements[0];
    assert.ok(index?.kind === 'create_index');
    assert.equal(index.postgresSql, 'CREATE INDEX items_note_idx ON public.items USING btree (note DESC);');
    assert.equal(index.sqliteSql, 'CREATE INDEX "items_note_idx" ON "items" ("note" DESC);');
  });

  await t.test('several changes in one transaction are one migration, each column with the table as it was then', async (t) => {
    const { client } = await withItems(server, t);
    await client.query(`CREATE TYPE colour AS ENUM ('red', 'green')`);
    await client.query(`BEGIN`);
    await client.query(`ALTER TABLE items ADD COLUMN a int8, ADD COLUMN b colour`);
    await client.query(`CREATE INDEX items_a_b_idx ON items (a, b)`);
    await client.query(`COMMIT`);

    const migrations = await loadMigrations(client);
    assert.equal(migrations.length, 2);
    const statements = migrations[1]?.statements ?? [];
    assert.deepEqual(
      statements.map((s) => [s.kind, s.postgresSql, s.sqliteSql]),
      [
        ['alter_add_column', 'ALTER TABLE public.items ADD COLUMN a bigint;', 'ALTER TABLE "items" ADD COLUMN "a" INTEGER;'],
        // The enum a new column uses is captured just before that column.
        ['create_enum_type', "CREATE TYPE public.colour AS ENUM ('red', 'green');", null],
        ['alter_add_column', 'ALTER TABLE public.items ADD COLUMN b public.colour;', 'ALTER TABLE "items" ADD COLUMN "b" TEXT;'],
        ['create_index', 'CREATE INDEX items_a_b_idx ON public.items USING btree (a, b);', 'CREATE INDEX "items_a_b_idx" ON "items" ("a", "b");'],
      ],
    );
    const columnsAfter = statements.map((s) => (s.kind === 'create_enum_type' ? null : s.table.columns.map((c) => c.name).join(',')));
    assert.deepEqual(columnsAfter, ['id,name,m,a', null, 'id,name,m,a,b', 'id,name,m,a,b']);
  });

  // Each refused change: the DDL and what the message must say. The table must be unchanged and nothing captured.
  const refused: [string, string, RegExp][] = [
    ['DROP COLUMN', `ALTER TABLE items DROP COLUMN name`, /^cannot drop objects of electrified tables:\n {2}- dropping column "name" of electrified table public\.items is not supported\n {2}- dropping index public\.items_name_idx/],
    ['ALTER COLUMN TYPE', `ALTER TABLE items ALTER COLUMN name TYPE varchar`, /^cannot change electrified table public\.items: changing the type of column "name" from text to character varying is not supported$/],
    ['RENAME COLUMN', `ALTER TABLE items RENAME COLUMN name TO title`, /^cannot change electrified table public\.items: renaming column "name" to "title" is not supported$/],
    ['RENAME TABLE', `ALTER TABLE items RENAME TO things`, /^cannot change electrified table public\.items: renaming it or moving it to another schema \(now public\.things\) is not supported$/],
    ['SET SCHEMA', `CREATE SCHEMA other; ALTER TABLE items SET SCHEMA other`, /^cannot change electrified table public\.items: renaming it or moving it to another schema \(now other\.items\)/],
    ['DROP TABLE', `DROP TABLE items`, /^cannot drop objects of electrified tables: dropping electrified table public\.items is not supported$/],
    ['DROP INDEX', `DROP INDEX items_name_idx`, /^cannot drop objects of electrified tables: dropping index public\.items_name_idx of electrified table public\.items is not supported$/],
    ['DROP CONSTRAINT (the primary key)', `ALTER TABLE items DROP CONSTRAINT items_pkey`, /dropping constraint items_pkey on public\.items of electrified table public\.items is not supported/],
    ['ADD CONSTRAINT CHECK', `ALTER TABLE items ADD CONSTRAINT named CHECK (name <> '')`, /^cannot change electrified table public\.items: adding constraint "named" \(CHECK \(\(name <> ''::text\)\)\) is not supported$/],
    ['ADD COLUMN with a DEFAULT', `ALTER TABLE items ADD COLUMN n int4 DEFAULT 0`, /^cannot change electrified table public\.items: new column "n" cannot have a DEFAULT; add it without one$/],
    ['ADD COLUMN NOT NULL', `ALTER TABLE items ADD COLUMN n int4 NOT NULL`, /new column "n" cannot be NOT NULL, because the rows clients already have would get NULL in it; add it as a nullable column$/],
    ['ADD COLUMN of an unsupported type', `ALTER TABLE items ADD COLUMN price numeric`, /^cannot change electrified table public\.items: new column "price" has type numeric, which cannot be synced/],
    ['ADD COLUMN varchar(10)', `ALTER TABLE items ADD COLUMN code varchar(10)`, /new column "code" has type character varying\(10\): a length limit is not supported/],
    ['ADD COLUMN with a foreign key', `CREATE TABLE users (id uuid PRIMARY KEY); ALTER TABLE items ADD COLUMN owner uuid REFERENCES users (id)`, /adding constraint "items_owner_fkey" \(FOREIGN KEY \(owner\) REFERENCES public\.users\(id\)\) is not supported/],
    ['SET DEFAULT', `ALTER TABLE items ALTER COLUMN name SET DEFAULT 'x'`, /adding a DEFAULT to column "name" is not supported/],
    ['SET NOT NULL', `ALTER TABLE items ALTER COLUMN name SET NOT NULL`, /setting NOT NULL on column "name" is not supported/],
    ['REPLICA IDENTITY DEFAULT', `ALTER TABLE items REPLICA IDENTITY DEFAULT`, /changing its REPLICA IDENTITY is not supported \(it must stay FULL\)/],
    ['CREATE UNIQUE INDEX', `CREATE UNIQUE INDEX items_name_key ON items (name)`, /index "items_name_key" is UNIQUE: unique indexes are not supported/],
    ['CREATE INDEX on an expression', `CREATE INDEX items_lower ON items (lower(name))`, /index "items_lower" \(.*\) cannot be created on clients: only plain btree indexes/],
    ['ALTER INDEX RENAME', `ALTER INDEX items_name_idx RENAME TO items_title_idx`, /dropping or renaming index "items_name_idx" is not supported/],
    ['ALTER TYPE … ADD VALUE on an enum in use', `ALTER TYPE mood ADD VALUE 'meh'`, /^cannot change electrified table public\.items: changing the values of enum type public\.mood \(the type of column "m"\) is not supported$/],
  ];
  for (const [name, ddl, message] of refused) {
    await t.test(`refuses ${name} with a clear error and leaves the table as it was`, async (t) => {
      const { client } = await withItems(server, t);
      const columns = await columnsOf(client, 'items');
      const captured = await capturedCount(client);
      await client.query('BEGIN');
      const error = await queryError(client, ddl);
      await client.query('ROLLBACK');
      assert.match(error.message, message);
      assert.equal(error.code, '0A000');
      assert.match(error.hint ?? '', /^Electrified tables accept only additive changes: ALTER TABLE … ADD COLUMN \(nullable, without DEFAULT\) and CREATE INDEX\.$/);
      assert.deepEqual(await columnsOf(client, 'items'), columns);
      assert.equal(await capturedCount(client), captured);
    });
  }

  await t.test('leaves DDL on tables that are not electrified alone', async (t) => {
    const { client } = await withItems(server, t);
    const captured = await capturedCount(client);
    await client.query(`CREATE TABLE scratch (id serial PRIMARY KEY, n numeric DEFAULT 1, name text UNIQUE)`);
    await client.query(`ALTER TABLE scratch ADD COLUMN extra int[] DEFAULT '{}'`);
    await client.query(`ALTER TABLE scratch DROP COLUMN name, ALTER COLUMN n TYPE int8`);
    await client.query(`CREATE UNIQUE INDEX scratch_n ON scratch (n)`);
    await client.query(`ALTER TABLE scratch RENAME TO scratch2`);
    await client.query(`DROP TABLE scratch2`);
    assert.equal(await capturedCount(client), captured);
  });

  await t.test('lets changes that clients never see pass without a migration', async (t) => {
    const { client } = await withItems(server, t);
    const captured = await capturedCount(client);
    await client.query(`COMMENT ON TABLE items IS 'things'`);
    await client.query(`COMMENT ON COLUMN items.name IS 'the name'`);
    await client.query(`ALTER TABLE items ALTER COLUMN name SET STATISTICS 500`);
    await client.query(`CREATE ROLE somebody; ALTER TABLE items OWNER TO somebody; ALTER TABLE items OWNER TO postgres; DROP ROLE somebody`);
    await client.query(`REINDEX TABLE items`);
    await client.query(`ALTER TABLE items ADD COLUMN later text`);
    assert.equal(await capturedCount(client), captured + 1, 'only ADD COLUMN was captured');
  });

  await t.test('CALL electric.migration_version names the migration of its transaction', async (t) => {
    const { client } = await withItems(server, t);
    await client.query(`BEGIN`);
    await client.query(`CALL electric.migration_version('2024_0002')`);
    await client.query(`CALL electric.migration_version('2024_0002')`);
    await client.query(`ALTER TABLE items ADD COLUMN a text`);
    await client.query(`CREATE INDEX items_a_idx ON items (a)`);
    await client.query(`COMMIT`);
    // Electrify and a version in one transaction, in one simple-query string.
    await client.query(`
      BEGIN;
      CALL electric.migration_version('3');
      CREATE TABLE others (id uuid PRIMARY KEY);
      CALL electric.electrify('others');
      COMMIT;`);
    const migrations = await loadMigrations(client);
    assert.deepEqual(
      migrations.slice(1).map((m) => [m.version, m.statements.map((s) => s.kind)]),
      [
        ['2024_0002', ['alter_add_column', 'create_index']],
        ['3', ['create_table']],
      ],
    );
  });

  await t.test('the default version is the transaction start in UTC as YYYYMMDDHH24MISS_MS, whatever the session time zone', async (t) => {
    const { client } = await withItems(server, t);
    await client.query(`SET TimeZone = 'America/New_York'`);
    await client.query(`BEGIN`);
    const { rows } = await client.query<{ expected: string }>(
      `SELECT to_char(transaction_timestamp() AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISS_MS') AS expected`,
    );
    await client.query(`ALTER TABLE items ADD COLUMN a text`);
    await client.query(`COMMIT`);
    const versions = await capturedVersions(client);
    assert.match(versions[1] ?? '', /^\d{14}_\d{3}$/);
    assert.equal(versions[1], rows[0]?.expected);
  });

  const badVersions: [string, RegExp][] = [
    ['v1', /^invalid migration version 'v1': a version may contain only digits and underscores/],
    ['1.2', /^invalid migration version '1\.2'/],
    ['', /^invalid migration version ''/],
    ['12 ', /^invalid migration version '12 '/],
    ['0', /^invalid migration version '0': clients reserve version 0/],
  ];
  for (const [version, message] of badVersions) {
    await t.test(`refuses migration version ${JSON.stringify(version)}`, async (t) => {
      const { client } = await withItems(server, t);
      const error = await queryError(client, `CALL electric.migration_version('${version}')`);
      assert.match(error.message, message);
      assert.equal(error.code, '22023');
    });
  }

  await t.test('refuses a version an earlier migration used, and a version set after the DDL', async (t) => {
    const { client } = await withItems(server, t);
    await client.query(`BEGIN; CALL electric.migration_version('5'); ALTER TABLE items ADD COLUMN a text; COMMIT;`);

    await client.query(`BEGIN`);
    const reused = await queryError(client, `CALL electric.migration_version('5')`);
    await client.query(`ROLLBACK`);
    assert.equal(reused.message, "migration version '5' is already used by an earlier migration; choose a new version");

    await client.query(`BEGIN`);
    await client.query(`ALTER TABLE items ADD COLUMN b text`);
    const late = await queryError(client, `CALL electric.migration_version('6')`);
    await client.query(`ROLLBACK`);
    assert.match(late.message, /^cannot set migration version '6': this transaction already captured DDL as version '\d{14}_\d{3}'; call electric\.migration_version\(\) before the first DDL statement/);
    assert.deepEqual((await capturedVersions(client)).slice(1), ['5']);
  });

  await t.test('captures in commit order: a second DDL transaction waits for the first to commit', async (t) => {
    const { client: first, database } = await withItems(server, t);
    await first.query(`CREATE TABLE others (id uuid PRIMARY KEY); CALL electric.electrify('others')`);
    const second = await connectAs(server, database, undefined, t);
    const observer = await connectAs(server, database, undefined, t);

    await first.query(`BEGIN`);
    await first.query(`CALL electric.migration_version('100')`);
    await first.query(`ALTER TABLE items ADD COLUMN a text`);
    await second.query(`BEGIN`);
    // Blocks until the first commits: the capture lock is held to the end of the first transaction.
    const secondDdl = second.query(`CALL electric.migration_version('099'); ALTER TABLE others ADD COLUMN b text`);
    for (let i = 0; i < 100; i++) {
      const { rows } = await observer.query(
        `SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
        [(second as unknown as { processID: number }).processID],
      );
      if (rows.length > 0) break;
      await sleep(20);
    }
    await first.query(`COMMIT`);
    await secondDdl;
    await second.query(`COMMIT`);
    const versions = (await capturedVersions(first)).slice(2);
    assert.deepEqual(versions, ['100', '099']);
  });

  await t.test('works for a table owner who is not a superuser: the event triggers act on their DDL', async (t) => {
    const { client: admin, database } = await connectToElectrifiedDatabase(server, t);
    await admin.query(`CREATE ROLE app LOGIN; GRANT CREATE ON SCHEMA public TO app`);
    t.after(() => admin.query(`DROP OWNED BY app; DROP ROLE app`).catch(() => {}));
    const app = await connectAs(server, database, 'app', t);
    await app.query(`CREATE TABLE notes (id uuid PRIMARY KEY, body text)`);
    await app.query(`CALL electric.electrify('notes')`);
    await app.query(`ALTER TABLE notes ADD COLUMN title text`);
    const refused = await queryError(app, `ALTER TABLE notes DROP COLUMN body`);
    assert.match(refused.message, /dropping column "body" of electrified table public\.notes is not supported/);
    await app.query(`CREATE TABLE private_scratch (id int)`);
    await app.query(`DROP TABLE private_scratch`);
    const migrations = await loadMigrations(admin);
    assert.deepEqual(migrations.map((m) => m.statements.map((s) => s.kind)), [['create_table'], ['alter_add_column']]);
  });
});
