import assert from 'node:assert/strict';
import { test } from 'node:test';
import type pg from 'pg';
import { startTestPostgres } from '../../../test/support/postgres.ts';
import { loadMigrations } from '../migrations/load-migrations.ts';
import { collectNotices, connectAs, connectToElectrifiedDatabase, queryError } from './testing/databases.ts';

async function publishedTables(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ table: string }>(
    `SELECT schemaname || '.' || tablename AS table FROM pg_publication_tables WHERE pubname = 'electric_publication' ORDER BY 1`,
  );
  return rows.map((r) => r.table);
}

async function capturedCount(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM electric.ddl_commands`);
  return Number(rows[0]?.n);
}

test('CALL electric.electrify on PostgreSQL 15', async (t) => {
  const server = await startTestPostgres(t);

  await t.test('electrifies a table with every supported type and an enum, and captures it as one migration', async (t) => {
    const { client } = await connectToElectrifiedDatabase(server, t);
    await client.query(`CREATE TYPE mood AS ENUM ('happy', 'sad', 'Meh_2')`);
    await client.query(`
      CREATE TABLE kitchen_sink (
        id uuid PRIMARY KEY,
        c_bool bool, c_bytea bytea, c_date date, c_float4 float4, c_float8 float8 NOT NULL,
        c_int2 int2, c_int4 int4, c_int8 int8, c_jsonb jsonb, c_text text, c_time time,
        c_timestamp timestamp, c_timestamptz timestamptz, c_uuid uuid, c_varchar varchar, c_mood mood
      )`);
    await client.query(`CREATE INDEX kitchen_sink_text_idx ON kitchen_sink (c_text, c_int4 DESC)`);
    await client.query(`CALL electric.electrify('kitchen_sink')`);

    assert.deepEqual(await publishedTables(client), ['electric.ddl_commands', 'public.kitchen_sink']);
    const { rows: identity } = await client.query(`SELECT relreplident FROM pg_class WHERE oid = 'public.kitchen_sink'::regclass`);
    assert.deepEqual(identity, [{ relreplident: 'f' }]);
    const { rows: electrified } = await client.query(
      `SELECT oid = 'public.kitchen_sink'::regclass AS same_oid, schema_name, table_name, electrified_at IS NOT NULL AS dated FROM electric.electrified`,
    );
    assert.deepEqual(electrified, [{ same_oid: true, schema_name: 'public', table_name: 'kitchen_sink', dated: true }]);

    const migrations = await loadMigrations(client);
    assert.equal(migrations.length, 1);
    const [migration] = migrations;
    assert.match(migration?.version ?? '', /^\d{14}_\d{3}$/);
    const [enumType, table, index] = migration?.statements ?? [];
    assert.equal(migration?.statements.length, 3);

    assert.deepEqual(enumType, {
      kind: 'create_enum_type',
      postgresSql: "CREATE TYPE public.mood AS ENUM ('happy', 'sad', 'Meh_2');",
      sqliteSql: null,
      enumType: { schema: 'public', name: 'mood', values: ['happy', 'sad', 'Meh_2'] },
    });

    assert.ok(table?.kind === 'create_table');
    assert.equal(
      table.postgresSql,
      [
        'CREATE TABLE public.kitchen_sink (',
        '    id uuid NOT NULL,',
        '    c_bool boolean,',
        '    c_bytea bytea,',
        '    c_date date,',
        '    c_float4 real,',
        '    c_float8 double precision NOT NULL,',
        '    c_int2 smallint,',
        '    c_int4 integer,',
        '    c_int8 bigint,',
        '    c_jsonb jsonb,',
        '    c_text text,',
        '    c_time time without time zone,',
        '    c_timestamp timestamp without time zone,',
        '    c_timestamptz timestamp with time zone,',
        '    c_uuid uuid,',
        '    c_varchar character varying,',
        '    c_mood public.mood,',
        '    CONSTRAINT kitchen_sink_pkey PRIMARY KEY (id)',
        ');',
      ].join('\n'),
    );
    assert.deepEqual(table.table, {
      schema: 'public',
      name: 'kitchen_sink',
      columns: [
        { name: 'id', pgType: 'uuid', sqliteType: 'TEXT', notNull: true },
        { name: 'c_bool', pgType: 'bool', sqliteType: 'INTEGER', notNull: false },
        { name: 'c_bytea', pgType: 'bytea', sqliteType: 'BLOB', notNull: false },
        { name: 'c_date', pgType: 'date', sqliteType: 'TEXT', notNull: false },
        { name: 'c_float4', pgType: 'float4', sqliteType: 'REAL', notNull: false },
        { name: 'c_float8', pgType: 'float8', sqliteType: 'REAL', notNull: true },
        { name: 'c_int2', pgType: 'int2', sqliteType: 'INTEGER', notNull: false },
        { name: 'c_int4', pgType: 'int4', sqliteType: 'INTEGER', notNull: false },
        { name: 'c_int8', pgType: 'int8', sqliteType: 'INTEGER', notNull: false },
        { name: 'c_jsonb', pgType: 'jsonb', sqliteType: 'TEXT_JSON', notNull: false },
        { name: 'c_text', pgType: 'text', sqliteType: 'TEXT', notNull: false },
        { name: 'c_time', pgType: 'time', sqliteType: 'TEXT', notNull: false },
        { name: 'c_timestamp', pgType: 'timestamp', sqliteType: 'TEXT', notNull: false },
        { name: 'c_timestamptz', pgType: 'timestamptz', sqliteType: 'TEXT', notNull: false },
        { name: 'c_uuid', pgType: 'uuid', sqliteType: 'TEXT', notNull: false },
        { name: 'c_varchar', pgType: 'varchar', sqliteType: 'TEXT', notNull: false },
        { name: 'c_mood', pgType: 'mood', sqliteType: 'TEXT', notNull: false },
      ],
      primaryKeys: ['id'],
      foreignKeys: [],
    });
    assert.equal(
      table.sqliteSql,
      [
        'CREATE TABLE "kitchen_sink" (',
        '  "id" TEXT NOT NULL,',
        '  "c_bool" INTEGER,',
        '  "c_bytea" BLOB,',
        '  "c_date" TEXT,',
        '  "c_float4" REAL,',
        '  "c_float8" REAL NOT NULL,',
        '  "c_int2" INTEGER,',
        '  "c_int4" INTEGER,',
        '  "c_int8" INTEGER,',
        '  "c_jsonb" TEXT_JSON,',
        '  "c_text" TEXT,',
        '  "c_time" TEXT,',
        '  "c_timestamp" TEXT,',
        '  "c_timestamptz" TEXT,',
        '  "c_uuid" TEXT,',
        '  "c_varchar" TEXT,',
        '  "c_mood" TEXT,',
        '  CONSTRAINT "kitchen_sink_pkey" PRIMARY KEY ("id")',
        ');',
      ].join('\n'),
    );

    assert.ok(index?.kind === 'create_index');
    assert.equal(index.postgresSql, 'CREATE INDEX kitchen_sink_text_idx ON public.kitchen_sink USING btree (c_text, c_int4 DESC);');
    assert.equal(index.sqliteSql, 'CREATE INDEX "kitchen_sink_text_idx" ON "kitchen_sink" ("c_text", "c_int4" DESC);');
    assert.deepEqual(index.table, table.table);

    // The captured Postgres DDL recreates the same table elsewhere.
    await client.query(`CREATE SCHEMA copy`);
    await client.query(`SET search_path = copy`);
    for (const statement of migration?.statements ?? []) {
      await client.query(statement.postgresSql.replaceAll('public.', 'copy.'));
    }
    await client.query(`RESET search_path`);
    const { rows: copied } = await client.query(
      `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = 'copy' AND table_name = 'kitchen_sink'`,
    );
    assert.deepEqual(copied, [{ n: 17 }]);
  });

  await t.test('accepts table, schema.table, quoted names and the two-argument form', async (t) => {
    const { client } = await connectToElectrifiedDatabase(server, t);
    await client.query(`CREATE TABLE a (id uuid PRIMARY KEY); CREATE TABLE b (id uuid PRIMARY KEY);`);
    await client.query(`CREATE TABLE "Mixed Case" (id uuid PRIMARY KEY); CREATE TABLE d (id uuid PRIMARY KEY);`);
    await client.query(`CALL electric.electrify('a')`);
    await client.query(`CALL electric.electrify('public.b')`);
    await client.query(`CALL electric.electrify('"Mixed Case"')`);
    await client.query(`CALL electric.electrify('public', 'd')`);
    const { rows } = await client.query<{ table_name: string }>(`SELECT table_name FROM electric.electrified ORDER BY 1`);
    assert.deepEqual(rows.map((r) => r.table_name), ['Mixed Case', 'a', 'b', 'd']);
    const migrations = await loadMigrations(client);
    assert.equal(migrations.length, 4, 'one migration per transaction');
    assert.equal(migrations[2]?.statements[0]?.postgresSql.split('\n')[0], 'CREATE TABLE public."Mixed Case" (');
    assert.equal(migrations[2]?.statements[0]?.sqliteSql?.split('\n')[0], 'CREATE TABLE "Mixed Case" (');
  });

  await t.test('electrifying twice is a no-op with a NOTICE and no second migration', async (t) => {
    const { client } = await connectToElectrifiedDatabase(server, t);
    await client.query(`CREATE TABLE items (id uuid PRIMARY KEY, name text)`);
    await client.query(`CALL electric.electrify('items')`);
    const captured = await capturedCount(client);
    const notices = collectNotices(client);
    await client.query(`CALL electric.electrify('public.items')`);
    assert.deepEqual(notices, ['table public.items is already electrified; nothing to do']);
    assert.equal(await capturedCount(client), captured);
    assert.deepEqual(await publishedTables(client), ['electric.ddl_commands', 'public.items']);
  });

  await t.test('keeps foreign keys to electrified tables (and to itself) with their actions', async (t) => {
    const { client } = await connectToElectrifiedDatabase(server, t);
    await client.query(`CREATE TABLE users (id uuid PRIMARY KEY)`);
    await client.query(`CALL electric.electrify('users')`);
    await client.query(`
      CREATE TABLE posts (
        id uuid PRIMARY KEY,
        author_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        parent_id uuid REFERENCES posts (id) DEFERRABLE INITIALLY DEFERRED
      )`);
    await client.query(`CALL electric.electrify('posts')`);
    const migrations = await loadMigrations(client);
    const statement = migrations[1]?.statements[0];
    assert.ok(statement?.kind === 'create_table');
    assert.deepEqual(statement.table.foreignKeys, [
      { columns: ['author_id'], referencedTable: 'users', referencedColumns: ['id'] },
      { columns: ['parent_id'], referencedTable: 'posts', referencedColumns: ['id'] },
    ]);
    assert.match(statement.postgresSql, /CONSTRAINT posts_author_id_fkey FOREIGN KEY \(author_id\) REFERENCES public\.users\(id\) ON DELETE CASCADE,\n/);
    assert.match(statement.sqliteSql, /CONSTRAINT "posts_author_id_fkey" FOREIGN KEY \("author_id"\) REFERENCES "users" \("id"\) ON DELETE CASCADE,\n/);
    assert.match(statement.sqliteSql, /CONSTRAINT "posts_parent_id_fkey" FOREIGN KEY \("parent_id"\) REFERENCES "posts" \("id"\) DEFERRABLE INITIALLY DEFERRED\n\);$/);
  });

  // Each refusal: the table to create, the call, and what the message must say (table, column/constraint, fix).
  const refusals: [string, string, string, RegExp[]][] = [
    ['a table that does not exist', '', `CALL electric.electrify('nope')`, [/^cannot electrify table public\.nope: it does not exist; create it first$/]],
    [
      'a table outside schema public',
      'CREATE SCHEMA app; CREATE TABLE app.items (id uuid PRIMARY KEY);',
      `CALL electric.electrify('app.items')`,
      [/^cannot electrify table app\.items: it is in schema app, but only tables in schema public can be electrified; move it with ALTER TABLE app\.items SET SCHEMA public$/],
    ],
    [
      'a table without a primary key',
      'CREATE TABLE items (id uuid);',
      `CALL electric.electrify('items')`,
      [/^cannot electrify table public\.items: it has no primary key; add one with ALTER TABLE public\.items ADD PRIMARY KEY/],
    ],
    [
      'a numeric column',
      'CREATE TABLE items (id uuid PRIMARY KEY, price numeric);',
      `CALL electric.electrify('items')`,
      [/^cannot electrify table public\.items: column "price" has type numeric, which cannot be synced \(use float8, or text for exact decimals\); supported types are bool, bytea, .* and enum types$/],
    ],
    [
      'a varchar with a length',
      'CREATE TABLE items (id uuid PRIMARY KEY, name varchar(10));',
      `CALL electric.electrify('items')`,
      [/column "name" has type character varying\(10\): a length limit is not supported; use varchar without a length, or text$/],
    ],
    [
      'an array column',
      'CREATE TABLE items (id uuid PRIMARY KEY, tags int[]);',
      `CALL electric.electrify('items')`,
      [/column "tags" has type integer\[\]: array types are not supported; store the values in a jsonb column instead$/],
    ],
    [
      'a timestamp with a precision',
      'CREATE TABLE items (id uuid PRIMARY KEY, at timestamp(3));',
      `CALL electric.electrify('items')`,
      [/column "at" has type timestamp\(3\) without time zone: a type modifier is not supported; use timestamp without time zone without it$/],
    ],
    [
      'an enum with a value that is not an identifier',
      `CREATE TYPE status AS ENUM ('ok', 'not ok', '1st'); CREATE TABLE items (id uuid PRIMARY KEY, s status);`,
      `CALL electric.electrify('items')`,
      [/column "s" has enum type public\.status whose values 'not ok', '1st' are not plain identifiers .*ALTER TYPE public\.status RENAME VALUE/],
    ],
    [
      'a column DEFAULT',
      `CREATE TABLE items (id uuid PRIMARY KEY, name text DEFAULT 'x');`,
      `CALL electric.electrify('items')`,
      [/column "name" has a DEFAULT \('x'::text\), and column defaults are not supported; remove it with ALTER TABLE public\.items ALTER COLUMN name DROP DEFAULT$/],
    ],
    [
      'an identity column',
      'CREATE TABLE items (id int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY);',
      `CALL electric.electrify('items')`,
      [/column "id" is an identity column.*ALTER TABLE public\.items ALTER COLUMN id DROP IDENTITY/],
    ],
    [
      'a CHECK constraint',
      `CREATE TABLE items (id uuid PRIMARY KEY, n int4 CONSTRAINT positive CHECK (n > 0));`,
      `CALL electric.electrify('items')`,
      [/constraint "positive" is a CHECK constraint \(CHECK \(\(n > 0\)\)\), but only PRIMARY KEY, FOREIGN KEY and NOT NULL constraints are supported; drop it with ALTER TABLE public\.items DROP CONSTRAINT positive$/],
    ],
    [
      'a UNIQUE constraint',
      `CREATE TABLE items (id uuid PRIMARY KEY, code text UNIQUE);`,
      `CALL electric.electrify('items')`,
      [/constraint "items_code_key" is a UNIQUE constraint \(UNIQUE \(code\)\).*DROP CONSTRAINT items_code_key$/],
    ],
    [
      'a foreign key to a table that is not electrified',
      `CREATE TABLE users (id uuid PRIMARY KEY); CREATE TABLE items (id uuid PRIMARY KEY, owner_id uuid REFERENCES users (id));`,
      `CALL electric.electrify('items')`,
      [/foreign key "items_owner_id_fkey" references public\.users, which is not electrified; electrify it first with CALL electric\.electrify\('public\.users'\)$/],
    ],
    [
      'a unique index',
      `CREATE TABLE items (id uuid PRIMARY KEY, code text); CREATE UNIQUE INDEX items_code ON items (code);`,
      `CALL electric.electrify('items')`,
      [/index "items_code" is UNIQUE: unique indexes are not supported.*DROP INDEX public\.items_code/],
    ],
    [
      'an expression index',
      `CREATE TABLE items (id uuid PRIMARY KEY, name text); CREATE INDEX items_lower ON items (lower(name));`,
      `CALL electric.electrify('items')`,
      [/index "items_lower" \(CREATE INDEX items_lower ON public\.items USING btree \(lower\(name\)\)\) cannot be created on clients/],
    ],
    [
      'an unlogged table',
      `CREATE UNLOGGED TABLE items (id uuid PRIMARY KEY);`,
      `CALL electric.electrify('items')`,
      [/it is UNLOGGED, and unlogged tables are not replicated; make it logged with ALTER TABLE public\.items SET LOGGED$/],
    ],
    ['a view', `CREATE VIEW items AS SELECT 1 AS id;`, `CALL electric.electrify('items')`, [/^cannot electrify table public\.items: public\.items is a view; only ordinary tables can be electrified$/]],
    [
      'a table with several problems, listing each on its own line',
      `CREATE TABLE items (id serial, price numeric, code text UNIQUE);`,
      `CALL electric.electrify('items')`,
      [
        /^cannot electrify table public\.items:\n {2}- it has no primary key/,
        /\n {2}- column "id" has a DEFAULT \(nextval\('public\.items_id_seq'::regclass\)\)/,
        /\n {2}- column "price" has type numeric/,
        /\n {2}- constraint "items_code_key" is a UNIQUE constraint/,
      ],
    ],
  ];
  for (const [name, setup, call, expected] of refusals) {
    await t.test(`refuses ${name}, naming it and the fix, and changes nothing`, async (t) => {
      const { client } = await connectToElectrifiedDatabase(server, t);
      if (setup) await client.query(setup);
      const error = await queryError(client, call);
      for (const pattern of expected) assert.match(error.message, pattern);
      if (name !== 'a table that does not exist') assert.equal(error.code, '0A000', 'feature_not_supported');
      assert.equal(await capturedCount(client), 0);
      assert.deepEqual(await publishedTables(client), ['electric.ddl_commands']);
      assert.equal((await client.query(`SELECT 1 FROM electric.electrified`)).rows.length, 0);
    });
  }

  await t.test('lets a table owner who is not a superuser electrify, and nobody else', async (t) => {
    const { client: admin, database } = await connectToElectrifiedDatabase(server, t);
    await admin.query(`CREATE ROLE owner_role LOGIN; CREATE ROLE other_role LOGIN; GRANT CREATE ON SCHEMA public TO owner_role`);
    t.after(() => admin.query(`DROP OWNED BY owner_role, other_role; DROP ROLE owner_role, other_role`).catch(() => {}));
    const owner = await connectAs(server, database, 'owner_role', t);
    const other = await connectAs(server, database, 'other_role', t);
    await owner.query(`CREATE TABLE owned (id uuid PRIMARY KEY, name text)`);

    const refused = await queryError(other, `CALL electric.electrify('owned')`);
    assert.equal(refused.message, 'cannot electrify table public.owned: only its owner (owner_role) can electrify it');
    assert.equal(refused.code, '42501');

    await owner.query(`CALL electric.electrify('owned')`);
    assert.deepEqual(await publishedTables(admin), ['electric.ddl_commands', 'public.owned']);
    // The internal routines stay private.
    const internal = await queryError(owner, `SELECT electric.__capture('x', '{}')`);
    assert.equal(internal.code, '42501');
  });
});
