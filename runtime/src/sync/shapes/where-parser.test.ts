import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isShapeError } from './errors.ts';
import { itemColumns, showPredicate } from './testing/fixtures.ts';
import { maxWhereLength, parseWhereClause } from './where-parser.ts';

const parse = (clause: string) => {
  const parsed = parseWhereClause(clause, itemColumns);
  assert.ok(parsed);
  return parsed;
};

describe('accepted clauses', () => {
  const cases: readonly (readonly [clause: string, tree: string])[] = [
    ['this.id = 1', '(= this.id "1":int8)'],
    ['this.id != 1', '(<> this.id "1":int8)'],
    ['this.id<>1', '(<> this.id "1":int8)'],
    ['1 < this.id', '(< "1":int8 this.id)'],
    ['this.id = -5', '(= this.id "-5":int8)'],
    ['this.id=-5', '(= this.id "-5":int8)'],
    ['this.id = - -5', '(= this.id "5":int8)'],
    ['this.id >= +5', '(>= this.id "5":int8)'],
    ['this.id > 1.50', '(> this.id "1.5":numeric)'],
    ['this.id > -2e3', '(> this.id "-2000":numeric)'],
    ['this.big = 9223372036854775807', '(= this.big "9223372036854775807":int8)'],
    ['this.big = 9223372036854775808', '(= this.big "9223372036854775808":numeric)'],
    ["this.big = ' 42 '", '(= this.big "42":int8)'],
    ['this.small = 100000', '(= this.small "100000":int8)'],
    ["this.name = 'it''s'", `(= this.name "it's":text)`],
    ["this.name = ''", '(= this.name "":text)'],
    ["this.name = 'a; DROP TABLE items; --'", '(= this.name "a; DROP TABLE items; --":text)'],
    ['this.name >= this.label', '(>= this.name this.label)'],
    ['this.id < this.big', '(< this.id this.big)'],
    ['this.f4 = this.f8', '(= this.f4 this.f8)'],
    ['this.done', 'this.done'],
    ['NOT this.done', '(not this.done)'],
    ['this.done = true', '(= this.done "true":bool)'],
    ["this.done = 'yes'", '(= this.done "true":bool)'],
    ["this.done <> 'f'", '(<> this.done "false":bool)'],
    ['this.done IS TRUE', '(is-true this.done)'],
    ['this.done IS NOT FALSE', '(is-not-false this.done)'],
    ['this.done IS UNKNOWN', '(is-unknown this.done)'],
    ["this.id = 1 AND this.name = 'a' OR this.done", '(or (and (= this.id "1":int8) (= this.name "a":text)) this.done)'],
    ["this.id = 1 AND (this.name = 'a' OR this.done)", '(and (= this.id "1":int8) (or (= this.name "a":text) this.done))'],
    ['this.done AND this.archived AND this.id = 1', '(and this.done this.archived (= this.id "1":int8))'],
    ['NOT NOT this.done', '(not (not this.done))'],
    ["NOT this.name LIKE 'a%'", '(not (like this.name "a%":text))'],
    ["this.name NOT ILIKE 'A\\%%'", '(not-ilike this.name "A\\\\%%":text)'],
    ["this.label LIKE 'x_'", '(like this.label "x_":text)'],
    ['this.id IN (1, 2, NULL)', '(in this.id ["1":int8 "2":int8 NULL:int8])'],
    ["this.mood NOT IN ('happy', 'sad')", '(not-in this.mood ["happy":text "sad":text])'],
    ["this.mood = 'meh'", '(= this.mood "meh":text)'],
    ['this.id IS NULL', '(is-null this.id)'],
    ['this.doc IS NOT NULL', '(is-not-null this.doc)'],
    ['this.geo IS NULL', '(is-null this.geo)'],
    ['this.id ISNULL', '(is-null this.id)'],
    ['this.id NOTNULL', '(is-not-null this.id)'],
    ['this.id = 1 IS NULL', '(is-unknown (= this.id "1":int8))'],
    ['(this.id = 1) IS NOT FALSE', '(is-not-false (= this.id "1":int8))'],
    ["NOT this.id = 1 IS NULL", '(not (is-unknown (= this.id "1":int8)))'],
    ["this.at > '2024-01-01 10:00+02'", '(> this.at "2024-01-01 08:00:00.000000+00":timestamptz)'],
    ["this.at > '2024-01-01'::timestamptz", '(> this.at "2024-01-01 00:00:00.000000+00":timestamptz)'],
    ["this.at > CAST('2024-01-01' AS timestamp with time zone)", '(> this.at "2024-01-01 00:00:00.000000+00":timestamptz)'],
    ["this.at > timestamptz '2024-01-01'", '(> this.at "2024-01-01 00:00:00.000000+00":timestamptz)'],
    ["this.ts <= '2024-01-01T10:00:00.5'", '(<= this.ts "2024-01-01 10:00:00.500000":timestamp)'],
    ["this.day = date '2024-02-29'", '(= this.day "2024-02-29":date)'],
    ["this.day < 'infinity'", '(< this.day "infinity":date)'],
    ["this.tod >= '08:30'", '(>= this.tod "08:30:00.000000":time)'],
    ["this.uid = '{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}'", '(= this.uid "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11":uuid)'],
    ['this.f4 = 1.1', '(= this.f4 "1.1":float8)'],
    ["this.f4 = '1.1'", `(= this.f4 "${Math.fround(1.1)}":float4)`],
    ['this.f4 = 1.1::real', `(= this.f4 "${Math.fround(1.1)}":float4)`],
    ['this.f8 = 1.1::float4', `(= this.f8 "${Math.fround(1.1)}":float4)`],
    ["this.f8 < 'NaN'", '(< this.f8 "NaN":float8)'],
    ['this.f8 > 3', '(> this.f8 "3":float8)'],
    ["this.data = '\\xDEAD'", '(= this.data "\\\\xdead":bytea)'],
    ["this.\"Title\" = 'x'", '(= this.Title "x":text)'],
    ["this.from = 'x'", '(= this.from "x":text)'],
    ['THIS.ID = 1', '(= this.id "1":int8)'],
    ["this.id = '7'::int4", '(= this.id "7":int8)'],
    ['this.id = 7::bigint', '(= this.id "7":int8)'],
    ['this.id = CAST(7 AS pg_catalog.int2)', '(= this.id "7":int8)'],
    ['this.id = NULL', '(= this.id NULL:int8)'],
    ['this.id = NULL::int4', '(= this.id NULL:int8)'],
    ['TRUE', 'TRUE'],
    ['false', 'FALSE'],
    ['NULL', 'NULL'],
    ['this.id = 1 -- a trailing comment', '(= this.id "1":int8)'],
    ['/* why */ this.id = 1', '(= this.id "1":int8)'],
  ];

  for (const [clause, tree] of cases) {
    test(`parses ${clause}`, () => {
      assert.equal(showPredicate(parse(clause).predicate), tree);
    });
  }

  test('returns null for an empty clause, which selects every row', () => {
    assert.equal(parseWhereClause('', itemColumns), null);
  });

  test('lists the columns a clause reads, in order of first use', () => {
    assert.deepEqual(parse("this.name = 'a' AND this.id > 1 OR this.name IS NULL AND this.done").columns, ['name', 'id', 'done']);
  });

  test('keeps the source and positions of columns and literals', () => {
    const parsed = parse('this.id =  42');
    assert.equal(parsed.source, 'this.id =  42');
    const node = parsed.predicate;
    assert.ok(node.kind === 'compare');
    assert.equal(node.left.position, 0);
    assert.equal(node.right.position, 11);
  });

  test('accepts 10 000 values in an IN list and deep but bounded nesting', () => {
    const list = Array.from({ length: 10_000 }, (_, i) => i).join(',');
    assert.equal(parse(`this.id IN (${list})`).predicate.kind, 'in');
    assert.equal(parse(`${'('.repeat(40)}this.done${')'.repeat(40)}`).predicate.kind, 'column');
  });
});

describe('refused clauses', () => {
  // `at` is a piece of the clause (the error's position is where it first occurs) or $end (the clause's length).
  const cases: readonly (readonly [clause: string, at: string, message: RegExp])[] = [
    ['this.id = 1; drop table x', ';', /unexpected ";": a where clause is a single expression/],
    ["this.name = 'a'; DELETE FROM items", ';', /single expression/],
    ['this.id = (select 1)', 'select', /subqueries are not supported/],
    ['this.id IN (select id from items)', 'select', /subqueries are not supported/],
    ['exists (select 1)', 'exists', /subqueries are not supported/],
    ['pg_sleep(1)', 'pg_sleep', /function calls are not supported \(pg_sleep\(…\)\)/],
    ['this.id = 1 OR pg_sleep(10) IS NULL', 'pg_sleep', /function calls are not supported/],
    ["lower(this.name) = 'a'", 'lower', /function calls are not supported/],
    ['this.at > now()', 'now', /function calls are not supported/],
    ['this.at > current_timestamp', 'current_timestamp', /cannot depend on the time/],
    ['this.name = current_user', 'current_user', /cannot depend on the database session/],
    ["this.id::text = '1'", '::', /casting a column is not supported/],
    ['id = 1', 'id', /unknown reference id - did you mean `this.id`\?/],
    ['nope = 1', 'nope', /unknown reference nope; columns are written this.<column>/],
    ['this.nope = 1', 'this', /unknown column this.nope; the table's columns are id, big, small/],
    ['this.title = 1', 'this', /unknown column this.title.*"Title"/],
    ['other.id = 1', 'other', /can read only the shape's own table/],
    ['public.items.id = 1', 'public', /can read only the shape's own table/],
    ['this.* = 1', '*', /this.\* is not supported/],
    ["this.id = 'abc'", "'abc'", /'abc' is not a valid int4: write an integer \(this.id is int4\)/],
    ["this.small = '100000'", "'100000'", /out of range for int2/],
    ['this.name = 1', '1', /write it as a string literal/],
    ['this.done = 1', '1', /is not a bool/],
    ["this.uid = 'not-a-uuid'", "'", /is not a valid uuid/],
    ["this.day = '2023-02-29'", "'", /day outside 1-28/],
    ["this.ts = '2024-01-01 10:00+02'", "'", /offset/],
    ["this.day > 'today'", "'", /not a valid date/],
    ['this.id + 1 = 2', '+', /operator \+ is not supported/],
    ['this.id = 1 + 1', '+', /operator \+ is not supported/],
    ['this.id = -this.big', '-', /unary - is supported only in front of a number/],
    ["this.name || 'x' = 'ax'", '||', /operator \|\| is not supported/],
    ["this.name ~ 'a'", '~', /operator ~ is not supported/],
    ['this.id BETWEEN 1 AND 2', 'BETWEEN', /BETWEEN is not supported/],
    ["this.name SIMILAR TO 'a'", 'SIMILAR', /SIMILAR TO is not supported/],
    ["this.name LIKE 'a' ESCAPE '!'", 'ESCAPE', /ESCAPE is not supported/],
    ['this.name LIKE this.label', 'this.label', /pattern must be a string literal/],
    ["'abc' LIKE this.name", "'abc'", /LIKE needs a text column on its left/],
    ["this.id LIKE '1%'", 'LIKE', /LIKE needs a text column, and this.id is int4/],
    ["this.name LIKE 'a\\'", "'a", /must not end with the escape character/],
    ["this.mood < 'happy'", '<', /enums support only =, <>, IN and IS NULL/],
    ["this.mood = 'angry'", "'angry'", /not a label of enum mood \(happy, sad, meh\)/],
    ["this.doc = '{}'", '=', /jsonb columns support only IS NULL/],
    ["this.geo = '(1,2)'", '=', /type point, which where clauses support only with IS NULL/],
    ['this.id', 'this', /this.id is int4, not a condition/],
    ['this.id IS TRUE', 'this', /this.id is int4, not a condition/],
    ["'abc'", "'abc'", /a literal alone is not a condition/],
    ['42', '42', /a literal alone is not a condition/],
    ["NULL IS NULL", 'NULL', /needs a column or a condition, not a literal/],
    ['1 = 1', '1', /needs a column on at least one side/],
    ['this.id = this.name', '=', /cannot compare this.id \(int4\) with this.name \(text\)/],
    ['this.done = (this.id = 1)', '= 1', /a condition cannot be compared/],
    ['this.id < 2 < 3', '< 3', /cannot be chained/],
    ['this.id = 1 AND', '$end', /unexpected end of the where clause/],
    ['NOT', '$end', /unexpected end of the where clause/],
    ['(this.id = 1', '$end', /expected "\)" to close the parenthesis, found the end of the clause/],
    ['this.id = 1)', ')', /unexpected "\)"; expected AND, OR or the end/],
    ['this.id = 1 this.id = 2', 'this.id = 2', /unexpected "this"; expected AND, OR/],
    ['CASE WHEN this.done THEN true END', 'CASE', /CASE is not supported/],
    ["this.id = ANY('{1}')", 'ANY', /use IN/],
    ['this.id IS DISTINCT FROM 1', 'IS', /DISTINCT FROM is not supported/],
    ["this.name COLLATE \"C\" < 'a'", 'COLLATE', /COLLATE is not supported/],
    ['this.id = 1.5::int4', '1.5', /would round it/],
    ["this.id = '1'::text", 'text', /cannot compare this.id \(int4\) with a value cast to text/],
    ["this.id = '1'::numeric", 'numeric', /cast to "numeric" is not supported/],
    ["this.name = 'x'::varchar(3)", '(', /type modifiers/],
    ['this.id = ARRAY[1]', 'ARRAY', /ARRAY constructors are not supported/],
    ['this.id = (1, 2)', ',', /row constructors/],
    ['this.id IN ()', ')', /at least one value/],
    ['this.id IN (this.big)', 'this.big', /may contain only literals/],
    ['this.id = 1 AND this.id = $1', '$1', /parameters/],
    ['this.data[1] = 1', '[', /array subscripts/],
    ['this.at > interval \'1 day\'', 'interval', /interval values are not supported/],
    ['   ', '', /the where clause is empty/],
    ['-- only a comment', '', /the where clause is empty/],
  ];

  for (const [clause, at, message] of cases) {
    test(`refuses ${clause.trim() || JSON.stringify(clause)}`, () => {
      const position = at === '' ? 0 : at === '$end' ? clause.length : clause.indexOf(at);
      assert.ok(position >= 0, 'the test names a piece of the clause');
      assert.throws(
        () => parseWhereClause(clause, itemColumns),
        (error) => {
          assert.ok(isShapeError(error, 'INVALID_WHERE_CLAUSE'), String(error));
          assert.match(error.message, message);
          assert.equal(error.position, position, error.message);
          assert.ok(error.message.startsWith(`At location ${position}: `), error.message);
          return true;
        },
      );
    });
  }

  test('refuses nesting deeper than the limit without overflowing the stack', () => {
    for (const clause of [`${'('.repeat(5000)}this.done${')'.repeat(5000)}`, `${'NOT '.repeat(5000)}this.done`, `this.id = ${'-'.repeat(0)}${'- '.repeat(5000)}1`]) {
      assert.throws(() => parseWhereClause(clause, itemColumns), (error) => isShapeError(error, 'INVALID_WHERE_CLAUSE') && /nests deeper/.test(error.message));
    }
  });

  test('refuses a clause longer than the limit and more literals than the limit', () => {
    assert.throws(() => parseWhereClause(`this.name = '${'x'.repeat(maxWhereLength)}'`, itemColumns), /characters long; the limit is/);
    const list = Array.from({ length: 10_001 }, (_, i) => i).join(',');
    assert.throws(() => parseWhereClause(`this.id IN (${list})`, itemColumns), /more than 10000 literals/);
  });
});
