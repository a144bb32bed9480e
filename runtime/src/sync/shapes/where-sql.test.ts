import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { itemColumns } from './testing/fixtures.ts';
import { parseWhereClause } from './where-parser.ts';
import { buildWhereSql, quoteIdent } from './where-sql.ts';
import type { WhereColumn } from './where-values.ts';

function sqlOf(clause: string, columns: readonly WhereColumn[] = itemColumns, firstParameter?: number) {
  const parsed = parseWhereClause(clause, columns);
  assert.ok(parsed);
  return buildWhereSql(parsed, firstParameter === undefined ? {} : { firstParameter });
}

type Case = readonly [clause: string, sql: string, params: readonly (string | null)[]];

const cases: readonly Case[] = [
  ['this.id = 1', '("id" = $1::int8)', ['1']],
  ['1 < this.id', '($1::int8 < "id")', ['1']],
  ['this.id <> -5', '("id" <> $1::int8)', ['-5']],
  ['this.id > 1.50', '("id" > $1::numeric)', ['1.5']],
  ["this.name = 'it''s'", '("name" = $1::text)', ["it's"]],
  ["this.name < 'b'", '("name" COLLATE "C" < $1::text)', ['b']],
  ['this.name >= this.label', '("name" COLLATE "C" >= "label" COLLATE "C")', []],
  ['this.name = this.label', '("name" = "label")', []],
  ["this.name ILIKE 'a%'", '("name" COLLATE "C" ILIKE $1::text)', ['a%']],
  ["this.name NOT LIKE '\\%'", '("name" COLLATE "C" NOT LIKE $1::text)', ['\\%']],
  ['this.done', '("done")', []],
  ['NOT this.done', '(NOT ("done"))', []],
  ['this.done = true', '("done" = $1::bool)', ['true']],
  ['TRUE', '($1::bool)', ['true']],
  ['NULL', '($1::bool)', [null]],
  ['this.id IN (1, 2, NULL)', '("id" IN ($1::int8, $2::int8, $3::int8))', ['1', '2', null]],
  ["this.mood NOT IN ('happy', 'sad')", '("mood"::text NOT IN ($1::text, $2::text))', ['happy', 'sad']],
  ["this.mood = 'meh'", '("mood"::text = $1::text)', ['meh']],
  ['this.id IS NULL', '("id" IS NULL)', []],
  ['this.doc IS NOT NULL', '("doc" IS NOT NULL)', []],
  ['this.id = 1 IS NOT TRUE', '(("id" = $1::int8) IS NOT TRUE)', ['1']],
  ['this.done IS UNKNOWN', '(("done") IS UNKNOWN)', []],
  [
    "this.id = 1 AND this.name = 'a' OR this.done",
    '((("id" = $1::int8) AND ("name" = $2::text)) OR ("done"))',
    ['1', 'a'],
  ],
  ["this.at > '2024-01-01 10:00+02'", '("at" > $1::timestamptz)', ['2024-01-01 08:00:00.000000+00']],
  ["this.ts = '2024-01-01'", '("ts" = $1::timestamp)', ['2024-01-01 00:00:00.000000']],
  ["this.day < '0044-03-15 BC'", '("day" < $1::date)', ['0044-03-15 BC']],
  ["this.tod < '08:00'", '("tod" < $1::time)', ['08:00:00.000000']],
  ["this.uid = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", '("uid" = $1::uuid)', ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11']],
  ['this.f4 = 1.1', '("f4" = $1::float8)', ['1.1']],
  ["this.f4 = '1.1'", '("f4" = $1::float4)', [String(Math.fround(1.1))]],
  ["this.f8 = 'NaN'", '("f8" = $1::float8)', ['NaN']],
  ["this.data = '\\xDEAD'", '("data" = $1::bytea)', ['\\xdead']],
  ["this.\"Title\" = 'x' AND this.from = 'y'", '(("Title" = $1::text) AND ("from" = $2::text))', ['x', 'y']],
];

describe('translation to SQL', () => {
  for (const [clause, sql, params] of cases) {
    test(`translates ${clause}`, () => {
      assert.deepEqual(sqlOf(clause), { sql, params });
    });
  }

  test('numbers placeholders from firstParameter', () => {
    assert.deepEqual(sqlOf('this.id IN (1, 2) OR this.done = false', itemColumns, 4), {
      sql: '(("id" IN ($4::int8, $5::int8)) OR ("done" = $6::bool))',
      params: ['1', '2', 'false'],
    });
  });

  test('double-quotes every column name, doubling quotes inside it', () => {
    const columns: WhereColumn[] = [
      { name: 'we"ird', pgType: 'int4' },
      { name: 'Mixed Case', pgType: 'text' },
      { name: 'select', pgType: 'bool' },
    ];
    assert.deepEqual(sqlOf('this."we""ird" = 1 AND this."Mixed Case" IS NULL AND this.select', columns), {
      sql: '(("we""ird" = $1::int8) AND ("Mixed Case" IS NULL) AND ("select"))',
      params: ['1'],
    });
    assert.equal(quoteIdent('a"b'), '"a""b"');
    assert.throws(() => quoteIdent('a\0b'));
  });
});

describe('nothing the client writes reaches the SQL text', () => {
  const attempts = [
    "this.name = 'x''; DROP TABLE items; --'",
    "this.name = 'x\\'' OR 1=1 --'",
    "this.name LIKE '%'' OR ''1''=''1'",
    "this.name IN ('a'')', ') OR true --')",
    "this.name = '$1' AND this.label = '$$'",
    "this.name = '\"id\"'",
    "this.name = '/*' AND this.label = '*/'",
    "this.uid = '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'",
  ];
  for (const clause of attempts) {
    test(`keeps every literal of ${clause} in the parameters`, () => {
      const { sql, params } = sqlOf(clause);
      // The SQL is made only of our quoted identifiers, placeholders with fixed casts, and fixed keywords.
      const skeleton = sql
        .replace(/"(?:[^"]|"")*"/g, 'IDENT')
        .replace(/\$\d+::(?:int8|numeric|float4|float8|text|uuid|bool|date|time|timestamp|timestamptz|bytea)/g, 'PARAM');
      assert.match(skeleton, /^[()A-Z ,<>=!:]*$/, sql);
      assert.ok(params.length > 0);
    });
  }
});
