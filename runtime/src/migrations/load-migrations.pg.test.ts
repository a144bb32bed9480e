import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { startTestPostgres } from '../../../test/support/postgres.ts';
import { connectToElectrifiedDatabase } from '../postgres-setup/testing/databases.ts';
import { groupIntoMigrations, parseCapturedDdlRow, type CapturedDdlRow } from './captured-ddl.ts';
import { isMigrationsError } from './errors.ts';
import { loadMigrations } from './load-migrations.ts';

const schema = `
  BEGIN;
  CALL electric.migration_version('1');
  CREATE TYPE mood AS ENUM ('happy', 'sad');
  CREATE TABLE users (id uuid PRIMARY KEY, name text NOT NULL, photo bytea);
  CALL electric.electrify('users');
  CREATE TABLE posts (
    id uuid PRIMARY KEY,
    author_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body jsonb, likes int8, score float8, published bool, at timestamptz, mood mood
  );
  CALL electric.electrify('posts');
  COMMIT;
  BEGIN;
  CALL electric.migration_version('2');
  ALTER TABLE posts ADD COLUMN title varchar;
  CREATE INDEX posts_author_at_idx ON posts (author_id, at DESC);
  COMMIT;
  BEGIN;
  CALL electric.migration_version('2_1');
  ALTER TABLE users ADD COLUMN born date;
  COMMIT;`;

test('loadMigrations on PostgreSQL 15', async (t) => {
  const server = await startTestPostgres(t);

  await t.test('returns nothing before anything is electrified', async (t) => {
    const { client } = await connectToElectrifiedDatabase(server, t);
    assert.deepEqual(await loadMigrations(client), []);
  });

  await t.test('returns every migration in commit order, or those after a version', async (t) => {
    const { client } = await connectToElectrifiedDatabase(server, t);
    await client.query(schema);
    const all = await loadMigrations(client);
    assert.deepEqual(
      all.map((m) => [m.version, m.statements.map((s) => s.kind)]),
      [
        ['1', ['create_table', 'create_enum_type', 'create_table']],
        ['2', ['alter_add_column', 'create_index']],
        ['2_1', ['alter_add_column']],
      ],
    );
    assert.deepEqual(await loadMigrations(client, { afterVersion: '' }), all);
    assert.deepEqual((await loadMigrations(client, { afterVersion: '1' })).map((m) => m.version), ['2', '2_1']);
    assert.deepEqual((await loadMigrations(client, { afterVersion: '2_1' })).map((m) => m.version), []);
    await assert.rejects(loadMigrations(client, { afterVersion: '3' }), (error) => isMigrationsError(error, 'ES_MIGRATION_UNKNOWN_VERSION'));
  });

  await t.test('gives the same migrations from rows read as text, as the replication stream delivers them', async (t) => {
    const { client } = await connectToElectrifiedDatabase(server, t);
    await client.query(schema);
    // pgoutput sends every column in its text output form: the same as ::text.
    const { rows } = await client.query<CapturedDdlRow>(
      `SELECT id::text, txid::text, txts::text, version, query, metadata::text FROM electric.ddl_commands ORDER BY id`,
    );
    const records = rows.map(parseCapturedDdlRow);
    assert.deepEqual(groupIntoMigrations(records), await loadMigrations(client));
    const { rows: txids } = await client.query<{ txid: string }>(`SELECT DISTINCT txid::text FROM electric.ddl_commands`);
    assert.deepEqual(new Set(records.map((r) => r.txid.toString())), new Set(txids.map((r) => r.txid)));
  });

  await t.test('produces SQLite statements that a real SQLite runs, giving the same tables, keys and indexes', async (t) => {
    const { client } = await connectToElectrifiedDatabase(server, t);
    await client.query(schema);
    const sqlite = new DatabaseSync(':memory:');
    t.after(() => sqlite.close());
    sqlite.exec('PRAGMA foreign_keys = ON');
    for (const migration of await loadMigrations(client)) {
      for (const statement of migration.statements) {
        if (statement.sqliteSql !== null) sqlite.exec(statement.sqliteSql);
      }
    }
    const columns = (table: string) =>
      sqlite.prepare(`SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid`).all(table).map((c) => ({ ...c }));
    assert.deepEqual(columns('users'), [
      { name: 'id', type: 'TEXT', notnull: 1, pk: 1 },
      { name: 'name', type: 'TEXT', notnull: 1, pk: 0 },
      { name: 'photo', type: 'BLOB', notnull: 0, pk: 0 },
      { name: 'born', type: 'TEXT', notnull: 0, pk: 0 },
    ]);
    assert.deepEqual(columns('posts'), [
      { name: 'id', type: 'TEXT', notnull: 1, pk: 1 },
      { name: 'author_id', type: 'TEXT', notnull: 1, pk: 0 },
      { name: 'body', type: 'TEXT_JSON', notnull: 0, pk: 0 },
      { name: 'likes', type: 'INTEGER', notnull: 0, pk: 0 },
      { name: 'score', type: 'REAL', notnull: 0, pk: 0 },
      { name: 'published', type: 'INTEGER', notnull: 0, pk: 0 },
      { name: 'at', type: 'TEXT', notnull: 0, pk: 0 },
      { name: 'mood', type: 'TEXT', notnull: 0, pk: 0 },
      { name: 'title', type: 'TEXT', notnull: 0, pk: 0 },
    ]);
    const foreignKeys = sqlite.prepare(`SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list('posts')`).all();
    assert.deepEqual(foreignKeys.map((fk) => ({ ...fk })), [{ table: 'users', from: 'author_id', to: 'id', on_delete: 'CASCADE' }]);
    const indexColumns = sqlite.prepare(`SELECT name, "desc" FROM pragma_index_xinfo('posts_author_at_idx') WHERE key = 1 ORDER BY seqno`).all();
    assert.deepEqual(indexColumns.map((c) => ({ ...c })), [
      { name: 'author_id', desc: 0 },
      { name: 'at', desc: 1 },
    ]);
    // A rowid table, as Electric 0.12.1's clients expect.
    const { sql } = sqlite.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'posts'`).get() as { sql: string };
    assert.doesNotMatch(sql, /WITHOUT ROWID/);
  });
});
