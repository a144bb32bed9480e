import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { create, toBinary } from '@bufbuild/protobuf';
import type { PgValue } from '../pgwire/index.ts';
import { parseTextValue, PgTypeOid, UNCHANGED_TOAST } from '../pgwire/index.ts';
import { isClientProtocolError } from './errors.ts';
import type { ClientProtocolErrorCode } from './errors.ts';
import { SatOpRowSchema } from './gen/satellite_pb.ts';
import {
  bitmaskLength,
  parseColumnValue,
  parseRow,
  rowValueTypes,
  serializeColumnValue,
  serializeRow,
} from './row-encoding.ts';
import type { RowColumn, RowValue } from './row-encoding.ts';

const column = (type: string, extra: Partial<RowColumn> = {}): RowColumn => ({
  name: 'c',
  type,
  nullable: true,
  ...extra,
});
const ENUM = column('status', { enumValues: ['open', 'in_progress', 'closed'] });
const errorCode = (code: ClientProtocolErrorCode) => (error: unknown) => isClientProtocolError(error, code);
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const show = (value: unknown): string => {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return `<${Buffer.from(value).toString('hex')}>`;
  if (Object.is(value, -0)) return '-0';
  return JSON.stringify(value) ?? String(value);
};

describe('serializeColumnValue (server -> client)', () => {
  // [type, value we hold, the text the client receives]
  const cases: [RowColumn, RowValue, string][] = [
    [column('bool'), true, 't'],
    [column('bool'), false, 'f'],
    [column('bool'), 't', 't'],
    [column('bool'), 'f', 'f'],

    [column('int2'), 0, '0'],
    [column('int2'), -32_768, '-32768'],
    [column('int2'), '32767', '32767'],
    [column('int4'), 2_147_483_647, '2147483647'],
    [column('int4'), -2_147_483_648, '-2147483648'],
    [column('int4'), '-42', '-42'],
    [column('int8'), 2n ** 63n - 1n, '9223372036854775807'],
    [column('int8'), -(2n ** 63n), '-9223372036854775808'],
    [column('int8'), 9_007_199_254_740_993n, '9007199254740993'],
    [column('int8'), '-9223372036854775808', '-9223372036854775808'],
    [column('int8'), 42, '42'],

    [column('float8'), 1.5, '1.5'],
    [column('float8'), 0.1 + 0.2, '0.30000000000000004'],
    [column('float8'), 1e21, '1e+21'],
    [column('float8'), 1e-7, '1e-7'],
    [column('float8'), Number.MAX_VALUE, '1.7976931348623157e+308'],
    [column('float8'), Number.MIN_VALUE, '5e-324'],
    [column('float8'), -0, '-0'],
    [column('float8'), 0, '0'],
    [column('float8'), NaN, 'NaN'],
    [column('float8'), Infinity, 'Infinity'],
    [column('float8'), -Infinity, '-Infinity'],
    [column('float8'), 'NaN', 'NaN'],
    [column('float8'), '-Infinity', '-Infinity'],
    [column('float8'), '1.5e-05', '1.5e-05'],
    [column('float4'), 1.1, '1.1'],
    [column('float4'), Math.fround(1.1), '1.100000023841858'],
    [column('float4'), 'Infinity', 'Infinity'],

    [column('text'), '', ''],
    [column('text'), 'héllo ☃ 🎉 עברית', 'héllo ☃ 🎉 עברית'],
    [column('text'), "'; DROP TABLE x; --", "'; DROP TABLE x; --"],
    [column('varchar'), 'v', 'v'],
    [column('uuid'), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    [column('date'), '2024-06-19', '2024-06-19'],
    [column('time'), '10:01:28.848242', '10:01:28.848242'],
    [column('timestamp'), '2024-06-19 10:01:28.848242', '2024-06-19 10:01:28.848242'],
    [column('jsonb'), '{"a": [1, 2.5, "☃"], "b": null}', '{"a": [1, 2.5, "☃"], "b": null}'],
    [column('jsonb'), 'null', 'null'],
    [column('json'), '[]', '[]'],
    [ENUM, 'in_progress', 'in_progress'],

    // timestamptz: Postgres' '+00' becomes 'Z' (Electric: DateTime.to_string), other offsets are moved to UTC.
    [column('timestamptz'), '2024-06-19 10:01:28.848242+00', '2024-06-19 10:01:28.848242Z'],
    [column('timestamptz'), '2024-06-19 10:01:28+00', '2024-06-19 10:01:28Z'],
    [column('timestamptz'), '2024-06-19 10:01:28.5+00:00', '2024-06-19 10:01:28.5Z'],
    [column('timestamptz'), '2024-06-19 12:01:28.5+02', '2024-06-19 10:01:28.5Z'],
    [column('timestamptz'), '2024-01-01 00:30:00-05:30', '2024-01-01 06:00:00Z'],
    [column('timestamptz'), '2024-01-01 00:00:00+01', '2023-12-31 23:00:00Z'],
    [column('timestamptz'), '1900-01-01 00:00:00+00:19:32', '1899-12-31 23:40:28Z'],
    [column('timestamptz'), '0001-01-01 00:00:00+00', '0001-01-01 00:00:00Z'],
    [column('timestamptz'), '2024-06-19T10:01:28.123Z', '2024-06-19 10:01:28.123Z'],
  ];
  for (const [col, value, expected] of cases) {
    test(`${col.type} ${show(value)} is sent as ${JSON.stringify(expected)}`, () => {
      assert.equal(text(serializeColumnValue(value as Exclude<RowValue, null>, col)), expected);
    });
  }

  test('bytea is sent as the raw bytes, from a Buffer or from Postgres hex text', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    assert.deepEqual(Buffer.from(serializeColumnValue(all, column('bytea'))), all);
    assert.deepEqual(Buffer.from(serializeColumnValue(`\\x${all.toString('hex')}`, column('bytea'))), all);
    assert.deepEqual(Buffer.from(serializeColumnValue('\\x', column('bytea'))), Buffer.alloc(0));
    assert.deepEqual(Buffer.from(serializeColumnValue(Uint8Array.of(0), column('bytea'))), Buffer.of(0));
  });

  const invalid: [RowColumn, unknown][] = [
    [column('bool'), 'true'],
    [column('bool'), 1],
    [column('bool'), 'T'],
    [column('int2'), 32_768],
    [column('int2'), '-32769'],
    [column('int4'), 2_147_483_648],
    [column('int4'), 1.5],
    [column('int4'), '1.0'],
    [column('int4'), NaN],
    [column('int8'), 2n ** 63n],
    [column('int8'), '9223372036854775808'],
    [column('int8'), 2 ** 53],
    [column('int8'), true],
    [column('float8'), 'inf'],
    [column('float8'), 'abc'],
    [column('float8'), 1n],
    [column('text'), 5],
    [column('text'), Buffer.from('x')],
    [column('jsonb'), { a: 1 }],
    [column('bytea'), 'deadbeef'],
    [column('bytea'), '\\x0'],
    [column('bytea'), '\\xzz'],
    [column('bytea'), 5],
    [column('timestamptz'), 'infinity'],
    [column('timestamptz'), '-infinity'],
    [column('timestamptz'), '0044-03-15 12:00:00+00 BC'],
    [column('timestamptz'), '2024-06-19'],
    [column('timestamptz'), '2024-06-19 10:01:28'],
    [ENUM, 'archived'],
    [ENUM, 'OPEN'],
    [column('text'), UNCHANGED_TOAST],
  ];
  for (const [col, value] of invalid) {
    test(`refuses ${col.type} ${show(value)} with CP_INVALID_VALUE`, () => {
      assert.throws(() => serializeColumnValue(value as Exclude<RowValue, null>, col), errorCode('CP_INVALID_VALUE'));
    });
  }

  for (const type of ['numeric', 'int4[]', 'jsonb[]', 'interval', 'timetz', 'BOOL', '']) {
    test(`refuses a column of type ${JSON.stringify(type)} with CP_UNSUPPORTED_TYPE`, () => {
      assert.throws(() => serializeColumnValue('1', column(type)), errorCode('CP_UNSUPPORTED_TYPE'));
    });
  }
});

describe('what the published client makes of the values we send', () => {
  // electric-sql@0.12.1 satellite/client.ts deserializeColumnData with sqliteTypeDecoder, transcribed.
  const clientReads = (bytes: Uint8Array, pgType: string): unknown => {
    const s = Buffer.from(bytes).toString('utf8');
    switch (pgType.toUpperCase()) {
      case 'BOOL':
        if (bytes.length === 1 && (bytes[0] === 0x74 || bytes[0] === 0x66)) return bytes[0] === 0x74 ? 1 : 0;
        throw new Error('Invalid binary-encoded boolean value');
      case 'INT2':
      case 'INT4':
        return Number(s);
      case 'FLOAT4':
      case 'FLOAT8':
        return s === 'NaN' ? 'NaN' : Number(s);
      case 'BYTEA':
        return new Uint8Array(bytes);
      default:
        return s;
    }
  };

  for (const value of [0, -0, 1.5, 0.1 + 0.2, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, Infinity, -Infinity]) {
    test(`float8 ${show(value)} reads back as the same number`, () => {
      assert.ok(Object.is(clientReads(serializeColumnValue(value, column('float8')), 'float8'), value));
    });
  }

  test('NaN reads back as the string "NaN", which SQLite stores as text', () => {
    assert.equal(clientReads(serializeColumnValue(NaN, column('float8')), 'float8'), 'NaN');
  });

  test('booleans read back as 1 and 0', () => {
    assert.equal(clientReads(serializeColumnValue(true, column('bool')), 'bool'), 1);
    assert.equal(clientReads(serializeColumnValue(false, column('bool')), 'bool'), 0);
  });

  test('int8 reads back as the exact decimal text (the client does not use Number for INT8)', () => {
    assert.equal(clientReads(serializeColumnValue(2n ** 63n - 1n, column('int8')), 'int8'), '9223372036854775807');
  });
});

describe('serializeRow', () => {
  const columns: RowColumn[] = [
    { name: 'id', type: 'int4', nullable: false },
    { name: 'name', type: 'text', nullable: true },
    { name: 'ok', type: 'bool', nullable: true },
  ];

  test('writes the bitmask MSB first and empty values for NULLs, byte for byte', () => {
    const row = serializeRow({ id: 5, name: null, ok: true }, columns);
    // SatOpRow: 0a 01 40        nulls_bitmask (field 1) = 0b0100_0000: column 1 ("name") is NULL
    //           12 01 35        values[0] (field 2) = "5"
    //           12 00           values[1] = "" (NULL)
    //           12 01 74        values[2] = "t"
    const expected = Buffer.from('0a0140' + '120135' + '1200' + '120174', 'hex');
    assert.deepEqual(Buffer.from(toBinary(SatOpRowSchema, row)), expected);
  });

  test('sends a missing column as NULL (key-only rows for SatOpGone) and an empty string as a value', () => {
    const row = serializeRow({ id: 5, name: '' }, columns);
    assert.deepEqual(row.nullsBitmask, Uint8Array.of(0b0010_0000));
    assert.deepEqual(row.values.map(text), ['5', '', '']);
  });

  test('uses one more bitmask byte from the ninth column on', () => {
    const nine = Array.from({ length: 9 }, (_, i): RowColumn => ({ name: `c${i}`, type: 'int4', nullable: true }));
    const row = serializeRow({ c1: 1, c2: 2, c3: 3, c4: 4, c5: 5, c6: 6, c7: 7 }, nine);
    assert.deepEqual(row.nullsBitmask, Uint8Array.of(0b1000_0000, 0b1000_0000));
    const sixteen = Array.from({ length: 16 }, (_, i): RowColumn => ({ name: `c${i}`, type: 'int4', nullable: true }));
    assert.deepEqual(serializeRow({}, sixteen).nullsBitmask, Uint8Array.of(0xff, 0xff));
  });

  test('a relation without columns gives an empty row', () => {
    const row = serializeRow({}, []);
    assert.equal(row.nullsBitmask.length, 0);
    assert.equal(row.values.length, 0);
  });

  test('takes rows exactly as pgwire builds them from pgoutput', () => {
    const types = ['bool', 'int2', 'int4', 'int8', 'float4', 'float8', 'bytea', 'text', 'uuid', 'timestamptz'] as const;
    const uuid = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
    const int8 = '9007199254740993';
    const texts = ['t', '7', '-7', int8, '1.1', '-Infinity', '\\xdead', 'x', uuid, '2024-06-19 10:01:28+00'];
    const cols = types.map((type): RowColumn => ({ name: type, type, nullable: false }));
    const record = Object.fromEntries(types.map((type, i) => [type, parseTextValue(texts[i]!, PgTypeOid[type])]));
    const row = serializeRow(record, cols);
    const sent = row.values.map((value, i) => (types[i] === 'bytea' ? hexOf(value) : text(value)));
    assert.deepEqual(sent, ['t', '7', '-7', int8, '1.1', '-Infinity', 'dead', 'x', uuid, '2024-06-19 10:01:28Z']);
  });

  test('refuses an unchanged TOAST marker, naming the column', () => {
    assert.throws(() => serializeRow({ id: 1, name: UNCHANGED_TOAST }, columns), (error) =>
      isClientProtocolError(error, 'CP_INVALID_VALUE') && error.message.includes('name'),
    );
  });
});

describe('parseColumnValue (client -> server)', () => {
  // [type, text the client sent, the value we get]
  const cases: [RowColumn, string, PgValue][] = [
    [column('bool'), 't', true],
    [column('bool'), 'f', false],

    [column('int2'), '0', 0],
    [column('int2'), '-32768', -32_768],
    [column('int2'), '32767', 32_767],
    [column('int2'), '+7', 7],
    [column('int2'), '007', 7],
    [column('int4'), '2147483647', 2_147_483_647],
    [column('int4'), '-2147483648', -2_147_483_648],
    [column('int8'), '9223372036854775807', 2n ** 63n - 1n],
    [column('int8'), '-9223372036854775808', -(2n ** 63n)],
    [column('int8'), '9007199254740993', 9_007_199_254_740_993n],

    [column('float8'), '1.5', 1.5],
    [column('float8'), '-2', -2],
    [column('float8'), '1e+21', 1e21],
    [column('float8'), '1.0e+21', 1e21], // SQLite's CAST(real AS TEXT)
    [column('float8'), '1.5E-7', 1.5e-7],
    [column('float8'), '0.30000000000000004', 0.1 + 0.2],
    [column('float8'), '-0', -0],
    [column('float8'), 'Infinity', Infinity],
    [column('float8'), '-Infinity', -Infinity],
    [column('float8'), 'inf', Infinity],
    [column('float8'), '-INF', -Infinity],
    [column('float8'), 'NaN', NaN],
    [column('float8'), 'nan', NaN],
    [column('float8'), '1.7976931348623157e+308', Number.MAX_VALUE],
    [column('float4'), '3.4028234663852886e+38', 3.4028234663852886e38],
    [column('float4'), '1.1', 1.1],
    [column('float4'), '0', 0],

    [column('text'), '', ''],
    [column('text'), 'héllo ☃ 🎉 עברית', 'héllo ☃ 🎉 עברית'],
    [column('text'), '\ufeffbom kept', '\ufeffbom kept'],
    [column('varchar'), "it's", "it's"],
    [column('uuid'), 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],

    [column('date'), '2024-02-29', '2024-02-29'],
    [column('date'), '0001-01-01', '0001-01-01'],
    [column('date'), '9999-12-31', '9999-12-31'],
    [column('time'), '00:00:00', '00:00:00'],
    [column('time'), '23:59:59.999999', '23:59:59.999999'],
    [column('timestamp'), '2024-06-19 10:01:28.848', '2024-06-19 10:01:28.848'],
    [column('timestamp'), '2024-06-19T10:01:28', '2024-06-19T10:01:28'],
    [column('timestamptz'), '2024-06-19 10:01:28.848Z', '2024-06-19 10:01:28.848Z'],
    [column('timestamptz'), '2024-06-19T10:01:28.848Z', '2024-06-19T10:01:28.848Z'],
    [column('timestamptz'), '2024-06-19 10:01:28+00', '2024-06-19 10:01:28+00'],
    [column('timestamptz'), '2024-06-19 10:01:28+0000', '2024-06-19 10:01:28+0000'],
    [column('timestamptz'), '2024-06-19 10:01:28.123456+00:00', '2024-06-19 10:01:28.123456+00:00'],

    [column('jsonb'), '{"a":1,"b":[true,null,"☃"]}', '{"a":1,"b":[true,null,"☃"]}'],
    [column('jsonb'), 'null', 'null'],
    [column('json'), '"s"', '"s"'],
    [ENUM, 'closed', 'closed'],
  ];
  for (const [col, sent, expected] of cases) {
    test(`${col.type} ${JSON.stringify(sent)} is accepted as ${show(expected)}`, () => {
      const value = parseColumnValue(Buffer.from(sent, 'utf8'), col);
      if (typeof expected === 'number') assert.ok(Object.is(value, expected), `got ${show(value)}`);
      else assert.deepEqual(value, expected);
    });
  }

  test('bytea comes back as a Buffer copy of the raw bytes', () => {
    const frame = Buffer.from([9, 0, 0xff, 0x5c, 0x78, 9]);
    const value = parseColumnValue(frame.subarray(1, 5), column('bytea'));
    assert.ok(Buffer.isBuffer(value));
    assert.deepEqual(value, Buffer.from([0, 0xff, 0x5c, 0x78]));
    frame.fill(0);
    assert.deepEqual(value, Buffer.from([0, 0xff, 0x5c, 0x78]), 'must not share memory with the frame');
    assert.deepEqual(parseColumnValue(new Uint8Array(), column('bytea')), Buffer.alloc(0));
  });

  const invalid: [RowColumn, string | Uint8Array][] = [
    [column('bool'), 'true'],
    [column('bool'), '1'], // what a client without the server's SatRelation sends (notes §6.4); Electric refuses it
    [column('bool'), 'T'],
    [column('bool'), ''],
    [column('int2'), '32768'],
    [column('int2'), '1.0'],
    [column('int2'), ''],
    [column('int2'), '1e3'],
    [column('int2'), ' 1'],
    [column('int4'), '2147483648'],
    [column('int8'), '9223372036854775808'],
    [column('int8'), '-9223372036854775809'],
    [column('float8'), ''],
    [column('float8'), 'abc'],
    [column('float8'), '1.'],
    [column('float8'), '.5'],
    [column('float8'), '+inf'],
    [column('float8'), '-nan'],
    [column('float8'), '1e999'],
    [column('float8'), '0x10'],
    [column('float4'), '3.5e38'],
    [column('float4'), '1e-46'],
    [column('text'), Uint8Array.of(0xff)],
    [column('text'), Uint8Array.of(0xed, 0xa0, 0x80)], // a UTF-16 surrogate encoded as UTF-8
    [column('text'), Uint8Array.of(0xc0, 0xaf)], // overlong '/'
    [column('text'), 'a\u0000b'],
    [column('uuid'), 'a0eebc999c0b4ef8bb6d6bb9bd380a11'],
    [column('uuid'), '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'],
    [column('uuid'), 'g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    [column('date'), '2023-02-29'],
    [column('date'), '2024-13-01'],
    [column('date'), '2024-04-31'],
    [column('date'), '0000-01-01'],
    [column('date'), '2024-1-01'],
    [column('date'), '12024-01-01'],
    [column('date'), '2024-06-19T00:00:00'],
    [column('time'), '24:00:00'],
    [column('time'), '10:60:00'],
    [column('time'), '10:00:60'],
    [column('time'), '10:00:00.1234567'],
    [column('time'), '10:00'],
    [column('time'), '10:00:00Z'],
    [column('timestamp'), '2024-06-19 10:01:28Z'],
    [column('timestamp'), '2024-06-19 10:01:28+00'],
    [column('timestamp'), '2024-02-30 00:00:00'],
    [column('timestamp'), '2024-06-19'],
    [column('timestamptz'), '2024-06-19 10:01:28'],
    [column('timestamptz'), '2024-06-19 10:01:28+01:00'],
    [column('timestamptz'), '2024-06-19 10:01:28-00:00'],
    [column('timestamptz'), '2024-06-19 10:01:28z'],
    [column('timestamptz'), '2024-06-19 25:01:28Z'],
    [column('jsonb'), '{a:1}'],
    [column('jsonb'), ''],
    [column('jsonb'), "{'a':1}"],
    [ENUM, 'OPEN'],
    [ENUM, 'archived'],
    [ENUM, ''],
  ];
  for (const [col, sent] of invalid) {
    test(`refuses ${col.type} ${show(sent)} with CP_INVALID_VALUE`, () => {
      const bytes = typeof sent === 'string' ? Buffer.from(sent, 'utf8') : sent;
      assert.throws(() => parseColumnValue(bytes, col), errorCode('CP_INVALID_VALUE'));
    });
  }

  test('refuses a column of an unsupported type with CP_UNSUPPORTED_TYPE', () => {
    assert.throws(() => parseColumnValue(Buffer.from('1'), column('numeric')), errorCode('CP_UNSUPPORTED_TYPE'));
  });
});

describe('parseRow', () => {
  const columns: RowColumn[] = [
    { name: 'id', type: 'int4', nullable: false },
    { name: 'name', type: 'text', nullable: true },
    { name: 'ok', type: 'bool', nullable: true },
  ];
  const row = (bitmask: number[], values: string[]) =>
    create(SatOpRowSchema, { nullsBitmask: Uint8Array.from(bitmask), values: values.map((v) => Buffer.from(v)) });

  test('decodes a row keyed by column name, NULLs included', () => {
    const record = parseRow(row([0b0100_0000], ['5', '', 't']), columns);
    assert.deepEqual({ ...record }, { id: 5, name: null, ok: true });
    assert.equal(Object.getPrototypeOf(record), null);
  });

  test('an empty value with the NULL bit clear is an empty string, not NULL', () => {
    assert.equal(parseRow(row([0], ['5', '', 'f']), columns).name, '');
  });

  test('a column named __proto__ is an ordinary key', () => {
    const record = parseRow(row([0], ['x']), [{ name: '__proto__', type: 'text', nullable: true }]);
    assert.equal(Object.getOwnPropertyDescriptor(record, '__proto__')?.value, 'x');
  });

  const malformed: [string, ReturnType<typeof row>][] = [
    ['fewer values than columns', row([0], ['5', 'x'])],
    ['more values than columns', row([0], ['5', 'x', 't', 'extra'])],
    ['a bitmask that is too short', row([], ['5', 'x', 't'])],
    ['a bitmask that is too long', row([0, 0], ['5', 'x', 't'])],
    ['a NULL with a value', row([0b0100_0000], ['5', 'x', 't'])],
    ['a NULL in a NOT NULL column', row([0b1000_0000], ['', 'x', 't'])],
  ];
  for (const [what, bad] of malformed) {
    test(`refuses ${what} with CP_MALFORMED_ROW`, () => {
      assert.throws(() => parseRow(bad, columns), errorCode('CP_MALFORMED_ROW'));
    });
  }

  test('refuses a missing row (an op without row_data) with CP_MALFORMED_ROW', () => {
    assert.throws(() => parseRow(undefined, columns), errorCode('CP_MALFORMED_ROW'));
  });

  test('allowNulls accepts the key-only rows of SatOpCompensation', () => {
    const notNull: RowColumn[] = [
      { name: 'id', type: 'int4', nullable: false },
      { name: 'a', type: 'text', nullable: false },
      { name: 'b', type: 'bool', nullable: false },
    ];
    const record = parseRow(row([0b0110_0000], ['5', '', '']), notNull, { allowNulls: true });
    assert.deepEqual({ ...record }, { id: 5, a: null, b: null });
  });

  test('ignores the unused low bits of the last bitmask byte', () => {
    assert.deepEqual({ ...parseRow(row([0b0000_0001], ['5', 'x', 't']), columns) }, { id: 5, name: 'x', ok: true });
  });

  test('names the column of a bad value', () => {
    assert.throws(() => parseRow(row([0], ['5', 'x', 'yes']), columns), (error) =>
      isClientProtocolError(error, 'CP_INVALID_VALUE') && error.message.includes('column ok'),
    );
  });
});

describe('round trip: what we send, a client could send back', () => {
  const all: [RowColumn, RowValue][] = [
    [{ name: 'b', type: 'bool', nullable: false }, true],
    [{ name: 'i2', type: 'int2', nullable: false }, -32_768],
    [{ name: 'i4', type: 'int4', nullable: false }, 2_147_483_647],
    [{ name: 'i8', type: 'int8', nullable: false }, -(2n ** 63n)],
    [{ name: 'f4', type: 'float4', nullable: false }, 1.5],
    [{ name: 'f8', type: 'float8', nullable: false }, -0],
    [{ name: 'nan', type: 'float8', nullable: false }, NaN],
    [{ name: 'inf', type: 'float8', nullable: false }, -Infinity],
    [{ name: 't', type: 'text', nullable: false }, '☃ 🎉'],
    [{ name: 'v', type: 'varchar', nullable: true }, null],
    [{ name: 'u', type: 'uuid', nullable: false }, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    [{ name: 'd', type: 'date', nullable: false }, '2024-06-19'],
    [{ name: 'tm', type: 'time', nullable: false }, '10:01:28.848242'],
    [{ name: 'ts', type: 'timestamp', nullable: false }, '2024-06-19 10:01:28.848242'],
    [{ name: 'tz', type: 'timestamptz', nullable: false }, '2024-06-19 10:01:28.848242Z'],
    [{ name: 'j', type: 'jsonb', nullable: false }, '{"a": 1}'],
    [{ name: 'by', type: 'bytea', nullable: false }, Buffer.from([0, 1, 0xfe, 0xff])],
    [{ name: 'e', type: 'mood', nullable: false, enumValues: ['happy', 'sad'] }, 'sad'],
  ];

  test('every supported type comes back unchanged through serializeRow and parseRow', () => {
    const columns = all.map(([col]) => col);
    const record = Object.fromEntries(all.map(([col, value]) => [col.name, value]));
    const back = parseRow(serializeRow(record, columns), columns);
    for (const [col, value] of all) {
      const got = back[col.name];
      if (typeof value === 'number') assert.ok(Object.is(got, value), `${col.name}: ${show(got)}`);
      else assert.deepEqual(got, value, col.name);
    }
  });

  test('covers every type in rowValueTypes', () => {
    const covered = new Set(all.map(([col]) => col.type));
    for (const type of rowValueTypes) if (type !== 'json') assert.ok(covered.has(type), type);
  });

  test('bitmaskLength is ceil(columns / 8)', () => {
    assert.deepEqual([0, 1, 7, 8, 9, 16, 17].map(bitmaskLength), [0, 1, 1, 1, 2, 2, 3]);
  });
});
