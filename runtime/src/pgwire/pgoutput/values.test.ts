import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isPgwireError } from '../errors.ts';
import { capturedPg15Stream } from '../testing/pg15-pgoutput-capture.ts';
import { UNCHANGED_TOAST } from './messages.ts';
import type { RelationMessage } from './messages.ts';
import { createPgoutputDecoder } from './parser.ts';
import { buildRow, parseJsonb, parseTextValue, parseTimestamptz, PgTypeOid } from './values.ts';
import type { PgValue } from './values.ts';

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const ALL_BYTES_HEX = `\\x${ALL_BYTES.toString('hex')}`;

function isInvalidValue(error: unknown): boolean {
  return isPgwireError(error, 'PGWIRE_INVALID_VALUE');
}

type Case = readonly [type: keyof typeof PgTypeOid, text: string | null, expected: PgValue];

const LARGE_JSON = JSON.stringify({ rows: Array.from({ length: 5000 }, (_, i) => ({ i, name: `row ${i} ☃` })) });

const cases: readonly Case[] = [
  ['bool', 't', true],
  ['bool', 'f', false],
  ['bool', null, null],

  ['int2', '0', 0],
  ['int2', '-32768', -32_768],
  ['int2', '32767', 32_767],
  ['int2', null, null],

  ['int4', '-2147483648', -2_147_483_648],
  ['int4', '2147483647', 2_147_483_647],
  ['int4', '42', 42],
  ['int4', null, null],

  ['int8', '-9223372036854775808', -(2n ** 63n)],
  ['int8', '9223372036854775807', 2n ** 63n - 1n],
  ['int8', '9007199254740993', 9_007_199_254_740_993n], // 2^53 + 1: not representable as a number
  ['int8', '0', 0n],
  ['int8', null, null],

  ['float8', '1.5', 1.5],
  ['float8', '-0', -0],
  ['float8', '0.1', 0.1],
  ['float8', '1e+308', 1e308],
  ['float8', '2.2250738585072014e-308', 2.2250738585072014e-308],
  ['float8', '5e-324', 5e-324],
  ['float8', '1.7976931348623157e+308', Number.MAX_VALUE],
  ['float8', 'NaN', Number.NaN],
  ['float8', 'Infinity', Number.POSITIVE_INFINITY],
  ['float8', '-Infinity', Number.NEGATIVE_INFINITY],
  ['float8', null, null],
  ['float4', '3.4028235e+38', 3.4028235e38],
  ['float4', '1.1754944e-38', 1.1754944e-38],
  ['float4', 'NaN', Number.NaN],
  ['float4', 'Infinity', Number.POSITIVE_INFINITY],
  ['float4', '-Infinity', Number.NEGATIVE_INFINITY],
  ['float4', null, null],

  ['bytea', '\\x', Buffer.alloc(0)],
  ['bytea', '\\x00ff', Buffer.from([0, 255])],
  ['bytea', '\\xDEADbeef', Buffer.from([0xde, 0xad, 0xbe, 0xef])],
  ['bytea', ALL_BYTES_HEX, ALL_BYTES],
  ['bytea', null, null],

  ['text', '', ''],
  ['text', null, null],
  ['text', 'héllo ☃ 𝄞 漢字 🎉', 'héllo ☃ 𝄞 漢字 🎉'],
  ['text', 'line\nbreak\ttab \\ backslash \'quote"', 'line\nbreak\ttab \\ backslash \'quote"'],
  ['varchar', '', ''],
  ['varchar', 'ok', 'ok'],
  ['varchar', null, null],

  ['jsonb', '{"a": [1, 2]}', '{"a": [1, 2]}'],
  ['jsonb', 'null', 'null'],
  ['jsonb', LARGE_JSON, LARGE_JSON],
  ['jsonb', null, null],

  ['uuid', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
  ['uuid', null, null],

  ['date', '2024-02-29', '2024-02-29'],
  ['date', '0044-03-15 BC', '0044-03-15 BC'],
  ['date', 'infinity', 'infinity'],
  ['date', null, null],
  ['time', '23:59:59.999999', '23:59:59.999999'],
  ['time', '00:00:00', '00:00:00'],
  ['time', null, null],
  ['timestamp', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.123456'],
  ['timestamp', '-infinity', '-infinity'],
  ['timestamp', null, null],
  ['timestamptz', '2024-01-02 03:04:05.5+00', '2024-01-02 03:04:05.5+00'],
  ['timestamptz', null, null],
];

describe('parseTextValue', () => {
  for (const [type, text, expected] of cases) {
    const shown = text === null ? 'NULL' : JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
    test(`${type} ${shown}`, () => {
      assert.deepEqual(parseTextValue(text, PgTypeOid[type]), expected);
    });
  }

  test('int8 values come out as bigint and int4 as number', () => {
    assert.equal(typeof parseTextValue('1', PgTypeOid.int8), 'bigint');
    assert.equal(typeof parseTextValue('1', PgTypeOid.int4), 'number');
  });

  test('bytea comes out as a Buffer, which is a Uint8Array', () => {
    const value = parseTextValue(ALL_BYTES_HEX, PgTypeOid.bytea);
    assert.ok(Buffer.isBuffer(value));
    assert.ok(value instanceof Uint8Array);
  });

  test('unknown OIDs, such as an enum, stay strings', () => {
    assert.equal(parseTextValue('sad', 16_385), 'sad');
    assert.equal(parseTextValue('', 16_385), '');
    assert.equal(parseTextValue(null, 16_385), null);
    assert.equal(parseTextValue('{1,2}', 1007), '{1,2}'); // int4[]
  });

  const invalid: readonly (readonly [keyof typeof PgTypeOid, string])[] = [
    ['bool', 'true'],
    ['bool', ''],
    ['bool', 'T'],
    ['int2', '32768'],
    ['int2', '-32769'],
    ['int2', ''],
    ['int4', '2147483648'],
    ['int4', '1.5'],
    ['int4', ' 1'],
    ['int4', '1e3'],
    ['int4', '0x10'],
    ['int8', '9223372036854775808'],
    ['int8', '-9223372036854775809'],
    ['int8', ''],
    ['int8', '12abc'],
    ['float8', ''],
    ['float8', 'nan'],
    ['float8', 'inf'],
    ['float8', ' 1'],
    ['float8', '1,5'],
    ['float4', 'abc'],
    ['bytea', '00ff'],
    ['bytea', '\\x0'],
    ['bytea', '\\x0g'],
    ['bytea', '\\000'],
  ];
  for (const [type, text] of invalid) {
    test(`rejects ${type} ${JSON.stringify(text)} with PGWIRE_INVALID_VALUE`, () => {
      assert.throws(() => parseTextValue(text, PgTypeOid[type]), isInvalidValue);
    });
  }
});

describe('parseJsonb', () => {
  test('parses objects, scalars and large documents', () => {
    assert.deepEqual(parseJsonb('{"a": [1, 2], "b": {"c": null}}'), { a: [1, 2], b: { c: null } });
    assert.equal(parseJsonb('"☃"'), '☃');
    assert.equal(parseJsonb('null'), null);
    const large = parseJsonb(LARGE_JSON) as { rows: unknown[] };
    assert.equal(large.rows.length, 5000);
  });

  test('throws PGWIRE_INVALID_VALUE for text that is not JSON', () => {
    assert.throws(() => parseJsonb('{'), isInvalidValue);
    assert.throws(() => parseJsonb(''), isInvalidValue);
  });
});

describe('parseTimestamptz', () => {
  const valid: readonly (readonly [string, string])[] = [
    ['2024-01-02 03:04:05+00', '2024-01-02T03:04:05.000Z'],
    ['2024-01-02 03:04:05.5+00', '2024-01-02T03:04:05.500Z'],
    ['2024-01-02 03:04:05.123456+00', '2024-01-02T03:04:05.123Z'],
    ['2024-01-02 03:04:05.999999+00', '2024-01-02T03:04:05.999Z'],
    ['2000-01-01 00:00:00+00', '2000-01-01T00:00:00.000Z'],
    ['1970-01-01 00:00:00+00', '1970-01-01T00:00:00.000Z'],
    ['0099-12-31 23:59:59+00', '0099-12-31T23:59:59.000Z'],
    ['0001-01-01 00:00:00+00 BC', '0000-01-01T00:00:00.000Z'],
    ['0044-03-15 12:00:00+00 BC', '-000043-03-15T12:00:00.000Z'],
    ['10000-01-01 00:00:00+00', '+010000-01-01T00:00:00.000Z'],
    ['2024-01-02 05:34:05+05:30', '2024-01-02T00:04:05.000Z'],
    ['2024-01-01 23:00:00-01', '2024-01-02T00:00:00.000Z'],
    ['1900-01-01 00:00:00+00:09:21', '1899-12-31T23:50:39.000Z'],
  ];
  for (const [text, iso] of valid) {
    test(`converts ${text} to ${iso}`, () => {
      assert.equal(parseTimestamptz(text).toISOString(), iso);
    });
  }

  const rejected = [
    ...['infinity', '-infinity', '', '2024-01-02T03:04:05Z'],
    ...['2024-01-02 03:04:05', '300000-01-01 00:00:00+00'],
  ];
  for (const text of rejected) {
    test(`rejects ${JSON.stringify(text)} with PGWIRE_INVALID_VALUE`, () => {
      assert.throws(() => parseTimestamptz(text), isInvalidValue);
    });
  }
});

describe('buildRow', () => {
  test('types every column of a row captured from PostgreSQL 15', () => {
    const decoder = createPgoutputDecoder();
    const messages = capturedPg15Stream.map(({ hex }) => decoder.decode(Buffer.from(hex, 'hex')));
    const insert = messages[3];
    assert.ok(insert?.type === 'Insert');
    const row = buildRow(insert.relation, insert.newTuple);
    assert.deepEqual(
      { ...row },
      {
        id: 1n,
        flag: true,
        b: Buffer.from([0, 255]),
        d: '2024-02-29',
        f4: Number.NaN,
        f8: Number.NEGATIVE_INFINITY,
        i2: -32_768,
        i4: 2_147_483_647,
        j: '{"a": [1, 2]}',
        t: 'héllo ☃',
        tm: '23:59:59.999999',
        ts: '2024-01-02 03:04:05.123456',
        tstz: '2024-01-02 03:04:05.5+00',
        u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
        v: '',
        m: 'sad',
        big: 'x'.repeat(3000),
      },
    );
    assert.equal(parseTimestamptz(row['tstz'] as string).toISOString(), '2024-01-02T03:04:05.500Z');

    const update = messages[7];
    assert.ok(update?.type === 'Update');
    assert.equal(buildRow(update.relation, update.newTuple)['big'], UNCHANGED_TOAST);
  });

  const relation: RelationMessage = {
    type: 'Relation',
    relationOid: 1,
    namespace: 'public',
    name: 't',
    replicaIdentity: 'd',
    columns: [
      { name: '__proto__', typeOid: PgTypeOid.int4, typeModifier: -1, isKey: true, flags: 1 },
      { name: 'raw', typeOid: PgTypeOid.int4, typeModifier: -1, isKey: false, flags: 0 },
      { name: 'gone', typeOid: PgTypeOid.text, typeModifier: -1, isKey: false, flags: 0 },
    ],
    columnNames: ['__proto__', 'raw', 'gone'],
  };

  test('treats a column named __proto__ as an ordinary key and passes binary values through', () => {
    const row = buildRow(relation, ['7', Buffer.from([0, 0, 0, 7]), null]);
    assert.deepEqual(Object.keys(row), ['__proto__', 'raw', 'gone']);
    assert.equal(row['__proto__'], 7);
    assert.ok(Object.hasOwn(row, '__proto__'));
    assert.deepEqual(row['raw'], Buffer.from([0, 0, 0, 7]));
    assert.equal(row['gone'], null);
  });

  test('rows have no inherited keys', () => {
    const row = buildRow(relation, ['7', null, null]);
    const inherited: string[] = [];
    for (const key in row) if (!Object.hasOwn(row, key)) inherited.push(key);
    assert.deepEqual(inherited, []);
    for (const key of ['toString', 'hasOwnProperty', 'constructor', 'valueOf']) assert.equal(key in row, false, key);
    // The prototype is empty, has no prototype itself, and cannot gain keys that every row would then inherit.
    const prototype = Object.getPrototypeOf(row) as object;
    assert.deepEqual(Reflect.ownKeys(prototype), []);
    assert.equal(Object.getPrototypeOf(prototype), null);
    assert.ok(Object.isFrozen(prototype));
    assert.equal(String(Object.keys({ ...row })), '__proto__,raw,gone');
  });

  test('each Relation message gets its own row shape, so a schema change gives rows with the new columns', () => {
    const before = buildRow(relation, ['1', null, 'x']);
    const changed: RelationMessage = {
      ...relation,
      columns: [relation.columns[1]!, { name: 'added', typeOid: PgTypeOid.int8, typeModifier: -1, isKey: false, flags: 0 }],
      columnNames: ['raw', 'added'],
    };
    const after = buildRow(changed, ['2', '3']);
    assert.deepEqual(Object.keys(before), ['__proto__', 'raw', 'gone']);
    assert.deepEqual({ ...after }, { raw: 2, added: 3n });
    assert.deepEqual(Object.keys(buildRow(relation, ['4', '5', null])), ['__proto__', 'raw', 'gone']);
  });

  test('throws PGWIRE_MALFORMED when the tuple is shorter than the relation', () => {
    assert.throws(() => buildRow(relation, ['7']), (error) => isPgwireError(error, 'PGWIRE_MALFORMED'));
  });
});
