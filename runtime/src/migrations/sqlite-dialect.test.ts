import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CapturedColumn, CapturedForeignKey, CapturedTable } from './captured-ddl.ts';
import { sqliteTypeByPgType, sqliteTypeOf } from './column-types.ts';
import { isMigrationsError } from './errors.ts';
import { buildSqliteAddColumn, buildSqliteCreateIndex, buildSqliteCreateTable, quoteSqliteIdentifier } from './sqlite-dialect.ts';

function column(name: string, pgType: string, options: Partial<CapturedColumn> = {}): CapturedColumn {
  return { name, pgType, typeSchema: 'pg_catalog', isEnum: false, notNull: false, ...options };
}

function table(columns: CapturedColumn[], options: Partial<CapturedTable> = {}): CapturedTable {
  return { oid: 16384, schema: 'public', name: 'items', columns, primaryKey: { name: 'items_pkey', columns: ['id'] }, foreignKeys: [], ...options };
}

function foreignKey(options: Partial<CapturedForeignKey> = {}): CapturedForeignKey {
  return {
    name: 'items_owner_id_fkey',
    columns: ['owner_id'],
    referencedSchema: 'public',
    referencedTable: 'users',
    referencedColumns: ['id'],
    onDelete: 'no action',
    onUpdate: 'no action',
    deferrable: false,
    initiallyDeferred: false,
    ...options,
  };
}

describe('sqliteTypeOf', () => {
  const cases: [string, boolean, string | null][] = [
    ['bool', false, 'INTEGER'],
    ['int2', false, 'INTEGER'],
    ['int4', false, 'INTEGER'],
    ['int8', false, 'INTEGER'],
    ['float4', false, 'REAL'],
    ['float8', false, 'REAL'],
    ['text', false, 'TEXT'],
    ['varchar', false, 'TEXT'],
    ['uuid', false, 'TEXT'],
    ['date', false, 'TEXT'],
    ['time', false, 'TEXT'],
    ['timestamp', false, 'TEXT'],
    ['timestamptz', false, 'TEXT'],
    ['bytea', false, 'BLOB'],
    ['jsonb', false, 'TEXT_JSON'],
    ['mood', true, 'TEXT'],
    ['numeric', false, null],
    ['json', false, null],
    ['_int4', false, null],
    ['toString', false, null],
  ];
  for (const [pgType, isEnum, expected] of cases) {
    test(`maps ${pgType}${isEnum ? ' (an enum)' : ''} to ${expected ?? 'nothing (unsupported)'}`, () => {
      assert.equal(sqliteTypeOf({ pgType, isEnum }), expected);
    });
  }

  test('covers exactly the 15 types Electric 0.12 supports', () => {
    assert.deepEqual(Object.keys(sqliteTypeByPgType).sort(), [
      'bool', 'bytea', 'date', 'float4', 'float8', 'int2', 'int4', 'int8', 'jsonb', 'text', 'time', 'timestamp', 'timestamptz', 'uuid', 'varchar',
    ]);
  });
});

describe('quoteSqliteIdentifier', () => {
  const cases: [string, string][] = [
    ['items', '"items"'],
    ['Mixed Case', '"Mixed Case"'],
    ['say "hi"', '"say ""hi"""'],
    ['select', '"select"'],
  ];
  for (const [name, quoted] of cases) {
    test(`quotes ${JSON.stringify(name)} as ${quoted}`, () => assert.equal(quoteSqliteIdentifier(name), quoted));
  }
});

describe('buildSqliteCreateTable', () => {
  test('translates every supported type, keeps NOT NULL and the named primary key, and drops the schema', () => {
    const columns = [
      column('id', 'uuid', { notNull: true }),
      ...Object.keys(sqliteTypeByPgType).map((pgType) => column(`c_${pgType}`, pgType)),
      column('mood', 'mood', { isEnum: true, typeSchema: 'public' }),
    ];
    assert.equal(
      buildSqliteCreateTable(table(columns)),
      [
        'CREATE TABLE "items" (',
        '  "id" TEXT NOT NULL,',
        '  "c_bool" INTEGER,',
        '  "c_int2" INTEGER,',
        '  "c_int4" INTEGER,',
        '  "c_int8" INTEGER,',
        '  "c_float4" REAL,',
        '  "c_float8" REAL,',
        '  "c_text" TEXT,',
        '  "c_varchar" TEXT,',
        '  "c_uuid" TEXT,',
        '  "c_date" TEXT,',
        '  "c_time" TEXT,',
        '  "c_timestamp" TEXT,',
        '  "c_timestamptz" TEXT,',
        '  "c_bytea" BLOB,',
        '  "c_jsonb" TEXT_JSON,',
        '  "mood" TEXT,',
        '  CONSTRAINT "items_pkey" PRIMARY KEY ("id")',
        ');',
      ].join('\n'),
    );
  });

  test('keeps a composite primary key in key order, not column order', () => {
    const sql = buildSqliteCreateTable(
      table([column('a', 'int4', { notNull: true }), column('b', 'text', { notNull: true })], {
        name: 'pairs',
        primaryKey: { name: 'pairs_pkey', columns: ['b', 'a'] },
      }),
    );
    assert.match(sql, /CONSTRAINT "pairs_pkey" PRIMARY KEY \("b", "a"\)\n\);$/);
  });

  const foreignKeys: [string, Partial<CapturedForeignKey>, string][] = [
    ['a plain reference', {}, 'CONSTRAINT "items_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users" ("id")'],
    ['ON DELETE CASCADE', { onDelete: 'cascade' }, 'REFERENCES "users" ("id") ON DELETE CASCADE'],
    ['ON DELETE SET NULL ON UPDATE RESTRICT', { onDelete: 'set null', onUpdate: 'restrict' }, 'ON DELETE SET NULL ON UPDATE RESTRICT'],
    ['ON UPDATE SET DEFAULT', { onUpdate: 'set default' }, '("id") ON UPDATE SET DEFAULT'],
    ['DEFERRABLE INITIALLY DEFERRED', { deferrable: true, initiallyDeferred: true }, '("id") DEFERRABLE INITIALLY DEFERRED'],
    ['DEFERRABLE INITIALLY IMMEDIATE (same as not deferrable in SQLite)', { deferrable: true }, 'REFERENCES "users" ("id")\n'],
    [
      'a composite reference in another schema (the schema is dropped)',
      { columns: ['a', 'b'], referencedSchema: 'other', referencedTable: 'pairs', referencedColumns: ['x', 'y'] },
      'FOREIGN KEY ("a", "b") REFERENCES "pairs" ("x", "y")',
    ],
  ];
  for (const [name, fk, expected] of foreignKeys) {
    test(`keeps a foreign key: ${name}`, () => {
      const sql = buildSqliteCreateTable(
        table([column('id', 'uuid', { notNull: true }), column('owner_id', 'uuid'), column('a', 'int4'), column('b', 'int4')], {
          foreignKeys: [foreignKey(fk)],
        }),
      );
      assert.ok(sql.includes(expected), `${JSON.stringify(expected)} not in\n${sql}`);
      assert.ok(!sql.includes('WITHOUT ROWID'));
    });
  }

  test('quotes table, column and constraint names that need it', () => {
    const sql = buildSqliteCreateTable(
      table([column('Id "x"', 'int8', { notNull: true })], { name: 'My Items', primaryKey: { name: 'My Items_pkey', columns: ['Id "x"'] } }),
    );
    assert.equal(sql, 'CREATE TABLE "My Items" (\n  "Id ""x""" INTEGER NOT NULL,\n  CONSTRAINT "My Items_pkey" PRIMARY KEY ("Id ""x""")\n);');
  });
});

describe('buildSqliteAddColumn', () => {
  const cases: [CapturedColumn, string][] = [
    [column('note', 'text'), 'ALTER TABLE "items" ADD COLUMN "note" TEXT;'],
    [column('flag', 'bool'), 'ALTER TABLE "items" ADD COLUMN "flag" INTEGER;'],
    [column('doc', 'jsonb'), 'ALTER TABLE "items" ADD COLUMN "doc" TEXT_JSON;'],
    [column('mood', 'mood', { isEnum: true }), 'ALTER TABLE "items" ADD COLUMN "mood" TEXT;'],
  ];
  for (const [added, expected] of cases) {
    test(`adds ${added.pgType} column as ${expected}`, () => {
      assert.equal(buildSqliteAddColumn(table([column('id', 'uuid', { notNull: true }), added]), added.name), expected);
    });
  }

  test('refuses a column the table does not have with ES_MIGRATION_MALFORMED', () => {
    assert.throws(() => buildSqliteAddColumn(table([column('id', 'uuid')]), 'nope'), (e) => isMigrationsError(e, 'ES_MIGRATION_MALFORMED'));
  });
});

describe('buildSqliteCreateIndex', () => {
  const cases: [string, Parameters<typeof buildSqliteCreateIndex>[1], string][] = [
    ['one column', { name: 'items_name_idx', unique: false, columns: [{ name: 'name', descending: false }] }, 'CREATE INDEX "items_name_idx" ON "items" ("name");'],
    [
      'several columns, one descending',
      { name: 'items_a_b_idx', unique: false, columns: [{ name: 'a', descending: false }, { name: 'b', descending: true }] },
      'CREATE INDEX "items_a_b_idx" ON "items" ("a", "b" DESC);',
    ],
    ['a unique index', { name: 'u', unique: true, columns: [{ name: 'a', descending: false }] }, 'CREATE UNIQUE INDEX "u" ON "items" ("a");'],
  ];
  for (const [name, index, expected] of cases) {
    test(`builds ${name}`, () => assert.equal(buildSqliteCreateIndex(table([column('id', 'uuid')]), index), expected));
  }
});
