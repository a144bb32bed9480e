import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isShapeError } from './errors.ts';
import { itemColumns } from './testing/fixtures.ts';
import { evaluateWhere, isRowSelected } from './where-evaluator.ts';
import { parseWhereClause } from './where-parser.ts';

/** A row as the decoder builds it: every column present, NULL unless given. */
function row(values: Record<string, unknown> = {}): Record<string, unknown> {
  const result: Record<string, unknown> = Object.create(null);
  for (const column of itemColumns) result[column.name] = null;
  return Object.assign(result, values);
}

function evaluate(clause: string, values: Record<string, unknown>): boolean | null {
  const parsed = parseWhereClause(clause, itemColumns);
  assert.ok(parsed);
  return evaluateWhere(parsed.predicate, row(values));
}

type Case = readonly [clause: string, row: Record<string, unknown>, expected: boolean | null];

function table(name: string, cases: readonly Case[]): void {
  describe(name, () => {
    for (const [clause, values, expected] of cases) {
      const shown = JSON.stringify(values, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
      test(`${clause} is ${expected} for ${shown}`, () => {
        assert.equal(evaluate(clause, values), expected);
      });
    }
  });
}

table('three-valued logic', [
  ['this.id = 1', { id: null }, null],
  ['this.id <> 1', { id: null }, null],
  ['NOT (this.id = 1)', { id: null }, null],
  ['this.id = 1 OR this.done', { id: null, done: true }, true],
  ['this.id = 1 OR this.done', { id: null, done: false }, null],
  ['this.id = 1 OR this.done', { id: 1, done: null }, true],
  ['this.id = 1 AND this.done', { id: null, done: false }, false],
  ['this.id = 1 AND this.done', { id: null, done: true }, null],
  ['this.id = 1 AND this.done', { id: 1, done: true }, true],
  ['this.id IN (1, NULL)', { id: 1 }, true],
  ['this.id IN (1, NULL)', { id: 2 }, null],
  ['this.id IN (1, 2)', { id: null }, null],
  ['this.id NOT IN (1, NULL)', { id: 2 }, null],
  ['this.id NOT IN (1, NULL)', { id: 1 }, false],
  ['this.id NOT IN (1, 2)', { id: 3 }, true],
  ['this.id IS NULL', { id: null }, true],
  ['this.id IS NULL', { id: 0 }, false],
  ['this.id IS NOT NULL', { id: null }, false],
  ['this.doc IS NOT NULL', { doc: '{"a":1}' }, true],
  ['this.geo IS NULL', { geo: '(1,2)' }, false],
  ['(this.id = 1) IS UNKNOWN', { id: null }, true],
  ['(this.id = 1) IS NOT TRUE', { id: null }, true],
  ['(this.id = 1) IS FALSE', { id: null }, false],
  ['(this.id = 1) IS FALSE', { id: 2 }, true],
  ['this.id = 1 IS NULL', { id: 1 }, false],
  ['this.id = NULL', { id: 1 }, null],
  ['NOT this.id = NULL', { id: 1 }, null],
  ["this.name LIKE 'a%'", { name: null }, null],
  ['this.name LIKE NULL', { name: 'a' }, null],
  ['NULL', {}, null],
  ['TRUE', {}, true],
  ['NOT FALSE', {}, true],
  ['this.done', { done: null }, null],
  ['NOT this.done', { done: null }, null],
  ['this.done IS NOT TRUE', { done: null }, true],
]);

table('integers, including int8 beyond 2^53 and decimals', [
  ['this.big = 9007199254740993', { big: 9_007_199_254_740_993n }, true],
  ['this.big = 9007199254740993', { big: 9_007_199_254_740_992n }, false],
  ['this.big > 9007199254740992', { big: 9_007_199_254_740_993n }, true],
  ["this.big = '9007199254740993'", { big: 9_007_199_254_740_993n }, true],
  ['this.big < 9223372036854775808', { big: 2n ** 63n - 1n }, true],
  ['this.big = 9223372036854775808', { big: 2n ** 63n - 1n }, false],
  ['this.big = -9223372036854775808', { big: -(2n ** 63n) }, true],
  ['this.id > 1.5', { id: 2 }, true],
  ['this.id > 1.5', { id: 1 }, false],
  ['this.id = 2.0', { id: 2 }, true],
  ['this.id = 2.000001', { id: 2 }, false],
  ['this.id >= -2e3', { id: -2000 }, true],
  ["this.id = '5'", { id: 5 }, true],
  ['this.small = 100000', { small: 32_767 }, false],
  ['this.small < 100000', { small: 32_767 }, true],
  ['this.id < this.big', { id: 1, big: 2n }, true],
  ['this.id = this.big', { id: 7, big: 7n }, true],
  ['this.id = this.small', { id: 7, small: 7 }, true],
  ['this.id IN (1, 2, 3)', { id: 3 }, true],
]);

table('floats, with Postgres float4 and NaN semantics', [
  ['this.f4 = 1.1', { f4: 1.1 }, false], // float48eq: 1.1f promoted to double is not 1.1
  ["this.f4 = '1.1'", { f4: 1.1 }, true],
  ['this.f4 = 1.1::float4', { f4: 1.1 }, true],
  ['this.f4 = 0.5', { f4: 0.5 }, true],
  ['this.f8 = 1.1', { f8: 1.1 }, true],
  ['this.f8 > 1e308', { f8: Number.POSITIVE_INFINITY }, true],
  ["this.f8 = 'NaN'", { f8: Number.NaN }, true],
  ['this.f8 > 1', { f8: Number.NaN }, true],
  ["this.f8 < 'NaN'", { f8: Number.POSITIVE_INFINITY }, true],
  ["this.f8 = '-Infinity'", { f8: Number.NEGATIVE_INFINITY }, true],
  ['this.f8 = 0', { f8: -0 }, true],
  ['this.f4 = this.f8', { f4: 0.5, f8: 0.5 }, true],
  ['this.f4 = this.f8', { f4: 1.1, f8: 1.1 }, false],
  ['this.f8 = 3', { f8: 3 }, true],
]);

table('text by code point; LIKE and ILIKE', [
  ["this.name < 'b'", { name: 'B' }, true],
  ["this.name < 'b'", { name: 'a' }, true],
  ["this.name < 'b'", { name: 'c' }, false],
  ["this.name > 'a'", { name: 'é' }, true],
  ["this.name > '\uFF61'", { name: '😀' }, true],
  ["this.name = ''", { name: '' }, true],
  ["this.name = 'it''s'", { name: "it's" }, true],
  ["this.name ILIKE 'abc%'", { name: 'ABCdef' }, true],
  ["this.name ILIKE 'abc%'", { name: 'xABC' }, false],
  ["this.name ILIKE 'é%'", { name: 'Éclair' }, false],
  ["this.name NOT LIKE '%\\%'", { name: '100%' }, false],
  ["this.name NOT LIKE '%\\%'", { name: '100' }, true],
  ["this.label LIKE 'x_'", { label: 'x😀' }, true],
  ['this.label = this.name', { label: 'same', name: 'same' }, true],
  ['this.label >= this.name', { label: 'B', name: 'a' }, false],
  ["this.\"Title\" = 'T'", { Title: 'T' }, true],
]);

table('uuid, bool, bytea, enum', [
  ["this.uid = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", { uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' }, true],
  ["this.uid < 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", { uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' }, true],
  ['this.done', { done: true }, true],
  ['this.done', { done: false }, false],
  ['this.done > false', { done: true }, true],
  ["this.done = 'no'", { done: false }, true],
  ['this.done = this.archived', { done: true, archived: true }, true],
  ["this.data = '\\xdead'", { data: Buffer.from('dead', 'hex') }, true],
  ["this.data < '\\xdeadbe'", { data: Buffer.from('dead', 'hex') }, true],
  ["this.data > '\\x'", { data: Buffer.alloc(0) }, false],
  ["this.data = 'ab'", { data: new Uint8Array([0x61, 0x62]) }, true],
  ["this.mood IN ('happy', 'sad')", { mood: 'meh' }, false],
  ["this.mood <> 'sad'", { mood: 'happy' }, true],
]);

table('dates and times', [
  ["this.at > '2024-01-01 10:00+02'", { at: '2024-01-01 08:00:00.000001+00' }, true],
  ["this.at > '2024-01-01 10:00+02'", { at: '2024-01-01 08:00:00+00' }, false],
  ["this.at >= '2024-01-01 10:00+02'", { at: '2024-01-01 08:00:00+00' }, true],
  ["this.at = '2024-01-01T08:00:00Z'", { at: '2024-01-01 13:30:00+05:30' }, true],
  ["this.at > '2024-01-01'", { at: 'infinity' }, true],
  ["this.at > '2024-01-01'", { at: '-infinity' }, false],
  ["this.at < '0001-01-01'", { at: '0044-03-15 12:00:00+00 BC' }, true],
  ["this.ts < '2024-01-01'", { ts: '2023-12-31 23:59:59.999999' }, true],
  ["this.ts < '2024-01-01'", { ts: '2024-01-01 00:00:00 BC' }, true],
  ["this.ts = '2024-01-01 10:00'", { ts: '2024-01-01 10:00:00' }, true],
  ["this.day >= '2024-02-29'", { day: '2024-03-01' }, true],
  ["this.day >= '2024-02-29'", { day: '0001-01-01 BC' }, false],
  ["this.day < 'infinity'", { day: '5874897-12-31' }, true],
  ["this.tod < '24:00'", { tod: '23:59:59.999999' }, true],
  ["this.tod = '24:00'", { tod: '24:00:00' }, true],
  ['this.at = this.at', { at: '2024-01-01 00:00:00+00' }, true],
]);

describe('rows', () => {
  test('selects a row only when the clause is TRUE, and every row without a clause', () => {
    const where = parseWhereClause('this.id = 1', itemColumns);
    assert.equal(isRowSelected(where, row({ id: 1 })), true);
    assert.equal(isRowSelected(where, row({ id: 2 })), false);
    assert.equal(isRowSelected(where, row({ id: null })), false);
    assert.equal(isRowSelected(null, row()), true);
  });

  test('reads only the columns the clause uses', () => {
    const where = parseWhereClause('this.id = 1', itemColumns);
    assert.equal(isRowSelected(where, { id: 1 }), true);
  });

  test('throws ES_SHAPE_ROW_VALUE for a missing or ill-typed value instead of guessing', () => {
    const where = parseWhereClause("this.id = 1 AND this.name = 'a'", itemColumns);
    const isRowError = (error: unknown) => isShapeError(error, 'ES_SHAPE_ROW_VALUE');
    assert.throws(() => isRowSelected(where, { id: 1 }), isRowError);
    assert.throws(() => isRowSelected(where, { id: '1', name: 'a' }), isRowError);
    assert.throws(() => isRowSelected(where, { id: 1, name: Symbol('unchanged toast') }), isRowError);
  });

  test('does not read inherited properties as columns', () => {
    const where = parseWhereClause("this.constructor = 'a'", [{ name: 'constructor', pgType: 'text' }]);
    assert.throws(() => isRowSelected(where, {}), (error) => isShapeError(error, 'ES_SHAPE_ROW_VALUE'));
  });
});
