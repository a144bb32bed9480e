import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { startTestPostgres } from '../../../../test/support/postgres.ts';
import { parseTextValue } from '../../pgwire/pgoutput/values.ts';
import { isRowSelected } from './where-evaluator.ts';
import { parseWhereClause } from './where-parser.ts';
import { buildWhereSql } from './where-sql.ts';
import type { WhereColumn } from './where-values.ts';

// The SQL translation and the evaluator must select the same rows. Rows are read back the way the replication
// decoder sees them (text values, DateStyle ISO, TimeZone UTC, bytea hex, through parseTextValue); the translated SQL
// runs in a session with hostile settings (another time zone and DateStyle) against a text column with an ICU
// collation, to show that neither changes what a clause means.

const columnDefinitions = `
  id int4 PRIMARY KEY,
  big int8, small int2,
  name text COLLATE_NAME, label varchar(40),
  done bool,
  at timestamptz, ts timestamp, day date, tod time,
  uid uuid, f4 float4, f8 float8,
  data bytea, doc jsonb, mood mood,
  "Title" text`;

const columnNames = ['id', 'big', 'small', 'name', 'label', 'done', 'at', 'ts', 'day', 'tod', 'uid', 'f4', 'f8', 'data', 'doc', 'mood', 'Title'];

type RowText = Partial<Record<string, string | null>>;

const handWritten: readonly RowText[] = [
  { id: '1', big: '9007199254740993', small: '1', name: 'apple', label: 'apple', done: 't', at: '2024-01-01 08:00:00+00', ts: '2024-01-01 10:00', day: '2024-02-29', tod: '08:30', uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', f4: '1.1', f8: '1.1', data: '\\xdead', doc: '{"a":1}', mood: 'happy', Title: 'T' },
  { id: '2', big: '9007199254740992', small: '2', name: 'Banana', label: 'banana', done: 'f', at: '2024-01-01 08:00:00.000001+00', ts: '2023-12-31 23:59:59.999999', day: '2024-03-01', tod: '23:59:59.999999', uid: 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', f4: '0.5', f8: 'NaN', data: '\\xdeadbe', doc: '[]', mood: 'sad', Title: null },
  { id: '3' },
  { id: '4', big: '-9223372036854775808', small: '-32768', name: '', label: '', at: 'infinity', ts: '-infinity', day: 'infinity', tod: '24:00', uid: 'ffffffff-ffff-ffff-ffff-ffffffffffff', f4: '-Infinity', f8: 'Infinity', data: '\\x', doc: 'null', mood: 'meh', Title: '' },
  { id: '5', big: '9223372036854775807', small: '32767', name: 'éclair', label: 'Éclair', done: 't', at: '-infinity', ts: '0044-03-15 12:00 BC', day: '0044-03-15 BC', tod: '00:00', uid: '00000000-0000-0000-0000-000000000000', f4: '3.4028235e38', f8: '-0', data: '\\x00', doc: '{"b":[1,2]}', mood: 'happy', Title: 'x' },
  { id: '6', big: '0', small: '0', name: '😀 grin', label: '\uFF61 half', done: 'f', at: '2024-01-01 10:00:00+05:30', ts: '2024-01-01 00:00', day: '1970-01-01', tod: '12:00:00.5', uid: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', f4: '0.1', f8: '1e308', data: '\\x61', mood: 'sad' },
  { id: '7', name: '100%', label: 'x_y', f4: '1.100000023841858', f8: '5', data: '\\x6162' },
  { id: '8', name: 'ABCdef', label: 'xABC', done: 'f', f8: '1.05' },
  { id: '9', name: 'B', label: 'b', done: 't', f8: '0.5', f4: '0.5' },
  { id: '10', name: "it's", label: '%', at: '2024-01-01 04:30:00+00', day: '2024-01-10' },
  { id: '11', name: 'a\\b', label: 'xay', big: '-1' },
  { id: '12', name: 'abc', label: 'ABC', at: '0044-03-15 12:00:00+00 BC', ts: '2024-01-01 00:00:00 BC' },
];

function generatedRow(i: number): RowText {
  const words = ['alpha', 'Beta', 'gamma', 'DELTA', 'épsilon', 'zeta', '😀', 'Äpfel'];
  const nullIf = (text: string) => (i % 7 === 0 ? null : text);
  return {
    id: String(i),
    big: nullIf(String(BigInt(i) * 1_000_000_000_000_000n - 20_000_000_000_000_000n)),
    small: nullIf(String(i * 100 - 2000)),
    name: nullIf(`${words[i % words.length]}${i}`),
    label: i % 5 === 0 ? null : words[(i + 3) % words.length]!,
    done: i % 3 === 0 ? null : i % 2 === 0 ? 't' : 'f',
    at: nullIf(`2024-01-${String((i % 28) + 1).padStart(2, '0')} 0${i % 10}:00:00+0${i % 5}`),
    ts: nullIf(`2023-12-${String((i % 28) + 1).padStart(2, '0')} ${String(i % 24).padStart(2, '0')}:15:00`),
    day: nullIf(`20${String(i).padStart(2, '0')}-0${(i % 9) + 1}-1${i % 9}`),
    tod: nullIf(`${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`),
    uid: nullIf(`${(i * 37).toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`),
    f4: nullIf(String(i / 10)),
    f8: nullIf(String(i / 3)),
    data: nullIf(`\\x${Buffer.from(Array.from({ length: i % 6 }, (_, k) => (i * 31 + k) % 256)).toString('hex')}`),
    doc: i % 4 === 0 ? null : JSON.stringify({ i }),
    mood: i % 6 === 0 ? null : (['sad', 'meh', 'happy'] as const)[i % 3]!,
    Title: i % 2 === 0 ? `t${i}` : null,
  };
}

const rowsText: readonly RowText[] = [...handWritten, ...Array.from({ length: 40 }, (_, k) => generatedRow(k + 20))];

// verbatim: the clause with `this.` removed means the same to Postgres itself in a UTC session (not true where the
// column's ICU collation or a session time zone would change the result).
type Case = readonly [clause: string, verbatim: boolean];

const cases: readonly Case[] = [
  ['this.id = 1', true],
  ['this.id IN (1, 3, 5, NULL)', true],
  ['this.id NOT IN (1, 2, NULL)', true],
  ['this.id NOT IN (1, 2)', true],
  ['this.id > 20.5', true],
  ['this.big = 9007199254740993', true],
  ['this.big > 9007199254740992', true],
  ['this.big <= -9223372036854775808 OR this.big >= 9223372036854775807', true],
  ['this.big < 9223372036854775808', true],
  ["this.big > '-1'", true],
  ['this.small < 100000 AND this.small > -5', true],
  ['this.small = this.id', true],
  ['this.id < this.big', true],
  ["this.name = 'apple'", true],
  ["this.name = 'it''s' OR this.name = 'a\\b'", true],
  ["this.name < 'b'", false],
  ["this.name >= this.label", false],
  ["this.label > '\uFF61'", true],
  ["this.label < 'x'", true],
  ["this.name LIKE 'a%'", true],
  ["this.name ILIKE 'abc%'", false],
  ["this.name ILIKE 'É%'", false],
  ["this.label ILIKE 'é%'", true],
  ["this.name NOT LIKE '%\\%'", true],
  ["this.label LIKE 'x\\_y'", true],
  ["this.label LIKE 'x_y'", true],
  ["this.label LIKE '_ half'", true],
  ['this.done', true],
  ['NOT this.done', true],
  ['this.done IS NOT TRUE', true],
  ["this.done = 'no' OR this.done IS NULL", true],
  ['this.done > false', true],
  ["this.at > '2024-01-01 10:00+02'", true],
  ["this.at >= '2024-01-01 10:00+02'", true],
  ["this.at = '2024-01-01T04:30:00Z'", true],
  ["this.at < '2024-01-10'", true],
  ["this.at = 'infinity' OR this.at = '-infinity'", true],
  ["this.at < '0001-01-01 00:00:00+00'", true],
  ["this.ts < '2024-01-01'", true],
  ["this.ts >= '2023-12-15 12:00:00.000001'", true],
  ["this.day >= '2024-02-29' AND this.day < 'infinity'", true],
  ["this.day < '0001-01-01'", true],
  ["this.day > '2030-06-15'", true],
  ["this.tod >= '12:00'", true],
  ["this.tod > '23:59:59.999999'", true],
  ["this.uid = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", true],
  ["this.uid > '80000000-0000-0000-0000-000000000000'", true],
  ['this.f4 = 1.1', true],
  ["this.f4 = '1.1'", true],
  ['this.f4 > 1.05', true],
  ['this.f4 < 2.5 AND this.f4 >= 2.1', true],
  ['this.f8 > 1e307', true],
  ["this.f8 = 'NaN'", true],
  ['this.f8 > 5', true],
  ['this.f8 = 0', true],
  ['this.f4 = this.f8', true],
  ["this.data = '\\xdead'", true],
  ["this.data < '\\xdeadbe'", true],
  ["this.data >= 'a'", true],
  ['this.doc IS NULL', true],
  ["this.mood IN ('happy', 'meh')", true],
  ["this.mood <> 'sad'", true],
  ['this."Title" IS NOT NULL AND this."Title" <> \'\'', true],
  ['(this.id = 1) IS UNKNOWN OR this.name IS NULL', true],
  ['this.done = true IS NULL', true],
  ["NOT (this.name LIKE 'a%' OR this.done)", true],
  ['TRUE', true],
  ['NULL', true],
  ['FALSE', true],
  ["(this.done OR this.big > 0) AND NOT (this.mood = 'sad') AND this.f8 IS NOT NULL", true],
];

test('the translated SQL selects exactly the rows the evaluator accepts', async (t) => {
  const server = await startTestPostgres(t);
  const connect = async () => {
    const client = new pg.Client(server.url());
    client.on('error', () => {}); // the server stops before these clients at the end of the test
    await client.connect();
    t.after(() => client.end());
    return client;
  };
  const reader = await connect();
  const filter = await connect();

  const collations = await reader.query("SELECT 1 FROM pg_collation WHERE collname = 'en-x-icu'");
  const collate = collations.rowCount === 1 ? 'COLLATE "en-x-icu"' : '';
  await reader.query(`CREATE TYPE mood AS ENUM ('sad', 'meh', 'happy')`);
  await reader.query(`CREATE TABLE items (${columnDefinitions.replace('COLLATE_NAME', collate)})`);
  const quoted = columnNames.map((name) => `"${name}"`).join(', ');
  const placeholders = columnNames.map((_, i) => `$${i + 1}`).join(', ');
  for (const text of rowsText) {
    await reader.query(`INSERT INTO items (${quoted}) VALUES (${placeholders})`, columnNames.map((name) => text[name] ?? null));
  }

  // The decoder's session settings (pgwire/pgoutput/values.ts), and text values, as pgoutput sends them.
  await reader.query("SET DateStyle = 'ISO'; SET TimeZone = 'UTC'; SET bytea_output = 'hex'; SET extra_float_digits = 1");
  const result = await reader.query({
    text: 'SELECT * FROM items ORDER BY id',
    types: { getTypeParser: () => (value: string) => value },
  });
  const rows = result.rows.map((raw: Record<string, string | null>) => {
    const row: Record<string, unknown> = Object.create(null);
    for (const field of result.fields) row[field.name] = parseTextValue(raw[field.name] ?? null, field.dataTypeID);
    return { id: row.id as number, row };
  });

  const described = await reader.query(
    `SELECT a.attname AS name, t.typname AS type, t.typtype = 'e' AS is_enum,
            (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) AS labels
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = 'items'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
  );
  const columns: WhereColumn[] = described.rows.map((c: { name: string; type: string; is_enum: boolean; labels: string[] | null }) =>
    c.is_enum ? { name: c.name, pgType: c.type, enumValues: c.labels ?? [] } : { name: c.name, pgType: c.type },
  );

  // Settings that would change the meaning of literals spliced as text; our parameters must not care.
  await filter.query("SET TimeZone = 'America/New_York'; SET DateStyle = 'SQL, DMY'; SET extra_float_digits = 0");

  for (const [clause, verbatim] of cases) {
    await t.test(`agrees on ${clause}`, async () => {
      const where = parseWhereClause(clause, columns);
      assert.ok(where);
      const { sql, params } = buildWhereSql(where);
      const selected = await filter.query(`SELECT id FROM items WHERE ${sql} ORDER BY id`, params as (string | null)[]);
      const bySql = selected.rows.map((r: { id: number }) => r.id);
      const byEvaluator = rows.filter(({ row }) => isRowSelected(where, row)).map(({ id }) => id);
      assert.deepEqual(bySql, byEvaluator, sql);

      if (verbatim) {
        // Test-only splicing of our own trusted clause text, to compare with Postgres' reading of what the client wrote.
        const plain = await reader.query(`SELECT id FROM items WHERE ${clause.replaceAll('this.', '')} ORDER BY id`);
        assert.deepEqual(plain.rows.map((r: { id: number }) => r.id), byEvaluator, 'Postgres reads the clause itself the same way');
      }
    });
  }

  await t.test('the column collation would order text differently without COLLATE "C"', { skip: collate === '' }, async () => {
    const icu = await reader.query("SELECT id FROM items WHERE name < 'b' ORDER BY id");
    const where = parseWhereClause("this.name < 'b'", columns);
    const byEvaluator = rows.filter(({ row }) => isRowSelected(where, row)).map(({ id }) => id);
    assert.notDeepEqual(icu.rows.map((r: { id: number }) => r.id), byEvaluator);
  });

  await t.test('the cases select a non-trivial mix of rows', () => {
    const counts = cases.map(([clause]) => rows.filter(({ row }) => isRowSelected(parseWhereClause(clause, columns), row)).length);
    assert.ok(counts.filter((n) => n > 0 && n < rows.length).length >= cases.length - 8, String(counts));
  });

  await t.test('every literal means to Postgres what the evaluator thinks it means', async () => {
    const literals: readonly (readonly [type: string, clause: string])[] = [
      ['timestamptz', "this.at = '2024-01-01 10:00+05:30'"],
      ['timestamptz', "this.at = '0001-01-01 00:30:00+01'"],
      ['timestamptz', "this.at = '2024-06-30T23:59:59.999999-0800'"],
      ['timestamp', "this.ts = '0044-03-15 12:00 BC'"],
      ['date', "this.day = '0001-02-29 BC'"],
      ['time', "this.tod = '24:00'"],
      ['uuid', "this.uid = '{A0EEBC999C0B4EF8BB6D6BB9BD380A11}'"],
      ['bytea', "this.data = 'a\\\\b\\001é'"],
      ['float4', "this.f4 = '1e-40'"],
      ['bool', "this.done = 'of'"],
    ];
    for (const [type, clause] of literals) {
      const where = parseWhereClause(clause, columns);
      assert.ok(where && where.predicate.kind === 'compare' && where.predicate.right.kind === 'literal');
      const literal = where.predicate.right;
      const written = /'(.*)'$/.exec(clause)![1]!.replace(/''/g, "'");
      const same = await reader.query(`SELECT $1::${type} = $2::${literal.paramType} AS same`, [written, literal.text]);
      assert.equal(same.rows[0].same, true, `${clause}: ${literal.text}`);
    }
  });
});
