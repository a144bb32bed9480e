import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { groupIntoMigrations, parseCapturedDdlRow, type CapturedDdlRow, type CapturedTable } from './captured-ddl.ts';
import { isMigrationsError } from './errors.ts';

const items: CapturedTable = {
  oid: 16390,
  schema: 'public',
  name: 'items',
  columns: [
    { name: 'id', pgType: 'uuid', typeSchema: 'pg_catalog', isEnum: false, notNull: true },
    { name: 'owner_id', pgType: 'uuid', typeSchema: 'pg_catalog', isEnum: false, notNull: false },
    { name: 'mood', pgType: 'mood', typeSchema: 'public', isEnum: true, notNull: false },
  ],
  primaryKey: { name: 'items_pkey', columns: ['id'] },
  foreignKeys: [
    {
      name: 'items_owner_id_fkey',
      columns: ['owner_id'],
      referencedSchema: 'public',
      referencedTable: 'users',
      referencedColumns: ['id'],
      onDelete: 'cascade',
      onUpdate: 'no action',
      deferrable: false,
      initiallyDeferred: false,
    },
  ],
};

function row(id: number, version: string, query: string, metadata: unknown): CapturedDdlRow {
  return { id: String(id), txid: '750', txts: '2024-05-01 10:00:00.123+00', version, query, metadata: JSON.stringify(metadata) };
}

const itemsMetadata = {
  schema: 'public',
  name: 'items',
  columns: [
    { name: 'id', pgType: 'uuid', sqliteType: 'TEXT', notNull: true },
    { name: 'owner_id', pgType: 'uuid', sqliteType: 'TEXT', notNull: false },
    { name: 'mood', pgType: 'mood', sqliteType: 'TEXT', notNull: false },
  ],
  primaryKeys: ['id'],
  foreignKeys: [{ columns: ['owner_id'], referencedTable: 'users', referencedColumns: ['id'] }],
};

describe('parseCapturedDdlRow', () => {
  test('turns a captured CREATE TABLE into both dialects and SatOpMigrate table metadata', () => {
    const pg = 'CREATE TABLE public.items (\n    id uuid NOT NULL\n);';
    const record = parseCapturedDdlRow(row(7, '20240501100000_123', pg, { kind: 'create_table', table: items }));
    assert.equal(record.id, 7n);
    assert.equal(record.txid, 750n);
    assert.equal(record.version, '20240501100000_123');
    assert.deepEqual(record.statement, {
      kind: 'create_table',
      postgresSql: pg,
      sqliteSql: [
        'CREATE TABLE "items" (',
        '  "id" TEXT NOT NULL,',
        '  "owner_id" TEXT,',
        '  "mood" TEXT,',
        '  CONSTRAINT "items_pkey" PRIMARY KEY ("id"),',
        '  CONSTRAINT "items_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON DELETE CASCADE',
        ');',
      ].join('\n'),
      table: itemsMetadata,
    });
  });

  test('turns a captured ADD COLUMN into ALTER TABLE … ADD COLUMN with the whole table after it', () => {
    const record = parseCapturedDdlRow(row(8, '2', 'ALTER TABLE public.items ADD COLUMN mood public.mood;', { kind: 'alter_add_column', column: 'mood', table: items }));
    const { statement } = record;
    assert.ok(statement.kind === 'alter_add_column');
    assert.equal(statement.sqliteSql, 'ALTER TABLE "items" ADD COLUMN "mood" TEXT;');
    assert.deepEqual(statement.table, itemsMetadata);
  });

  test('turns a captured CREATE INDEX into a SQLite CREATE INDEX', () => {
    const index = { name: 'items_owner_idx', unique: false, columns: [{ name: 'owner_id', descending: true }] };
    const record = parseCapturedDdlRow(row(9, '3', 'CREATE INDEX items_owner_idx ON public.items USING btree (owner_id DESC);', { kind: 'create_index', index, table: items }));
    assert.equal(record.statement.sqliteSql, 'CREATE INDEX "items_owner_idx" ON "items" ("owner_id" DESC);');
  });

  test('turns a captured enum type into a Postgres-only statement with its values', () => {
    const pg = "CREATE TYPE public.mood AS ENUM ('happy', 'sad');";
    const record = parseCapturedDdlRow(row(6, '1', pg, { kind: 'create_enum_type', enumType: { oid: 16385, schema: 'public', name: 'mood', values: ['happy', 'sad'] } }));
    assert.deepEqual(record.statement, {
      kind: 'create_enum_type',
      postgresSql: pg,
      sqliteSql: null,
      enumType: { schema: 'public', name: 'mood', values: ['happy', 'sad'] },
    });
  });

  const malformed: [string, CapturedDdlRow][] = [
    ['metadata that is not JSON', { ...row(1, '1', 'x', {}), metadata: '{' }],
    ['an unknown statement kind', row(1, '1', 'x', { kind: 'drop_table', table: items })],
    ['a version with letters', row(1, '1a', 'x', { kind: 'create_table', table: items })],
    ['a non-numeric id', { ...row(1, '1', 'x', { kind: 'create_table', table: items }), id: 'x' }],
    ['a column of an unsupported type', row(1, '1', 'x', { kind: 'create_table', table: { ...items, columns: [{ ...items.columns[0], pgType: 'numeric' }] } })],
    ['a table without primary key columns', row(1, '1', 'x', { kind: 'create_table', table: { ...items, primaryKey: { name: 'p', columns: [] } } })],
    ['a primary key on a missing column', row(1, '1', 'x', { kind: 'create_table', table: { ...items, primaryKey: { name: 'p', columns: ['nope'] } } })],
    ['an added column the table does not have', row(1, '1', 'x', { kind: 'alter_add_column', column: 'nope', table: items })],
    ['an unknown foreign key action', row(1, '1', 'x', { kind: 'create_table', table: { ...items, foreignKeys: [{ ...items.foreignKeys[0], onDelete: 'explode' }] } })],
    ['an index without columns', row(1, '1', 'x', { kind: 'create_index', table: items, index: { name: 'i', unique: false, columns: [] } })],
  ];
  for (const [name, bad] of malformed) {
    test(`refuses ${name} with ES_MIGRATION_MALFORMED`, () => {
      assert.throws(() => parseCapturedDdlRow(bad), (error) => isMigrationsError(error, 'ES_MIGRATION_MALFORMED'));
    });
  }
});

describe('groupIntoMigrations', () => {
  test('groups records by version in the order versions first appear, keeping statement order', () => {
    const records = [
      parseCapturedDdlRow(row(1, '20240101000000_000', 'A', { kind: 'create_enum_type', enumType: { oid: 1, schema: 'public', name: 'mood', values: ['a'] } })),
      parseCapturedDdlRow(row(2, '20240101000000_000', 'B', { kind: 'create_table', table: items })),
      parseCapturedDdlRow(row(3, '1_5', 'C', { kind: 'alter_add_column', column: 'mood', table: items })),
      parseCapturedDdlRow(row(4, '0001', 'D', { kind: 'create_table', table: items })),
    ];
    const migrations = groupIntoMigrations(records);
    assert.deepEqual(
      migrations.map((m) => [m.version, m.statements.map((s) => s.postgresSql)]),
      [
        ['20240101000000_000', ['A', 'B']],
        ['1_5', ['C']],
        ['0001', ['D']],
      ],
    );
  });

  test('returns no migrations for no records', () => assert.deepEqual(groupIntoMigrations([]), []));
});
