import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Migration, TableMetadata } from '../migrations/index.ts';
import { createSchemaCatalog } from './schema-catalog.ts';

const table = (columns: string[]): TableMetadata => ({
  schema: 'public',
  name: 'items',
  columns: columns.map((name) => ({ name, pgType: 'text', sqliteType: 'TEXT', notNull: name === 'id' })),
  primaryKeys: ['id'],
  foreignKeys: [],
});
const migration = (version: string, columns: string[], kind: 'create_table' | 'alter_add_column'): Migration => ({
  version,
  statements: [{ kind, postgresSql: '…', sqliteSql: '…', table: table(columns) }],
});

test('a migration makes a new table map; maps handed out before keep the tables as they were', () => {
  const catalog = createSchemaCatalog([migration('1', ['id'], 'create_table')]);
  const before = catalog.tableMap();
  assert.deepEqual(catalog.apply([migration('2', ['id', 'title'], 'alter_add_column')]).map((m) => m.version), ['2']);
  const after = catalog.tableMap();
  assert.notEqual(before, after);
  assert.deepEqual(before.get('items')?.rowColumns.map((c) => c.name), ['id']);
  assert.deepEqual(after.get('items')?.rowColumns.map((c) => c.name), ['id', 'title']);
  assert.equal(before.get('items')?.relationId, after.get('items')?.relationId, 'the relation id is stable');
});

test('known versions are not applied twice, and migrationsAfter answers from a version', () => {
  const catalog = createSchemaCatalog([migration('1', ['id'], 'create_table')]);
  assert.deepEqual(catalog.apply([migration('1', ['id'], 'create_table')]), []);
  catalog.apply([migration('2', ['id', 'title'], 'alter_add_column')]);
  assert.deepEqual(catalog.migrationsAfter('1')?.map((m) => m.version), ['2']);
  assert.deepEqual(catalog.migrationsAfter('')?.map((m) => m.version), ['1', '2']);
  assert.equal(catalog.migrationsAfter('9'), undefined);
});
