import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isShapeError } from './errors.ts';
import {
  compareCodePoints,
  compareKeys,
  formatDecimal,
  INFINITY_KEY,
  parseBoolText,
  parseByteaText,
  parseDateText,
  parseFloatText,
  parseIntegerText,
  parseNumericToken,
  parseTimestampText,
  parseTimeText,
  parseUuidText,
  rowValueKey,
  type Parsed,
} from './where-values.ts';

// Expected canonical texts are what Postgres prints for the same input (DateStyle ISO, TimeZone UTC).

function accepts<T>(parsed: Parsed<T>, text: string, key?: T): void {
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
  assert.equal(parsed.text, text);
  if (key !== undefined) assert.deepEqual(parsed.key, key);
}

function refuses(parsed: Parsed<unknown>, reason: RegExp): void {
  assert.equal(parsed.ok, false, `expected a refusal, got ${parsed.ok ? parsed.text : ''}`);
  if (!parsed.ok) assert.match(parsed.reason, reason);
}

describe('integers', () => {
  test('reads decimal integers with whitespace and sign, range-checked per type', () => {
    accepts(parseIntegerText(' 42 ', 'int4'), '42', 42n);
    accepts(parseIntegerText('-2147483648', 'int4'), '-2147483648');
    accepts(parseIntegerText('+7', 'int2'), '7');
    accepts(parseIntegerText('9223372036854775807', 'int8'), '9223372036854775807', 2n ** 63n - 1n);
    refuses(parseIntegerText('2147483648', 'int4'), /out of range for int4/);
    refuses(parseIntegerText('32768', 'int2'), /out of range for int2/);
    refuses(parseIntegerText('1.5', 'int4'), /not a valid int4/);
    refuses(parseIntegerText('0x10', 'int8'), /not a valid int8/);
    refuses(parseIntegerText('', 'int8'), /not a valid int8/);
  });

  test('types numeric tokens as Postgres does: integers within int8, exact decimals otherwise', () => {
    assert.deepEqual(parseNumericToken('42'), { integer: 42n });
    assert.deepEqual(parseNumericToken('-9223372036854775808'), { integer: -(2n ** 63n) });
    assert.deepEqual(parseNumericToken('9223372036854775808'), { decimal: { digits: 2n ** 63n, scale: 0 } });
    assert.deepEqual(parseNumericToken('1.50'), { decimal: { digits: 15n, scale: 1 } });
    assert.deepEqual(parseNumericToken('.5'), { decimal: { digits: 5n, scale: 1 } });
    assert.deepEqual(parseNumericToken('-2e3'), { decimal: { digits: -2000n, scale: 0 } });
    assert.deepEqual(parseNumericToken('1.5e-2'), { decimal: { digits: 15n, scale: 3 } });
    assert.equal(parseNumericToken('1e99999'), null);
    assert.equal(formatDecimal({ digits: -15n, scale: 3 }), '-0.015');
    assert.equal(formatDecimal({ digits: 12345n, scale: 2 }), '123.45');
  });

  test('compares integers and decimals exactly', () => {
    assert.equal(compareKeys('integer', 2n ** 53n + 1n, 2n ** 53n), 1);
    assert.equal(compareKeys('integer', 1n, { digits: 15n, scale: 1 }), -1);
    assert.equal(compareKeys('integer', 2n, { digits: 15n, scale: 1 }), 1);
    assert.equal(compareKeys('integer', 3n, { digits: 30n, scale: 1 }), 0);
  });
});

describe('floats', () => {
  test('reads numbers and the special values, rounding to the type', () => {
    accepts(parseFloatText('1.5', 'float8'), '1.5', 1.5);
    accepts(parseFloatText(' -2e3 ', 'float8'), '-2000');
    accepts(parseFloatText('1.1', 'float4'), String(Math.fround(1.1)), Math.fround(1.1));
    accepts(parseFloatText('NaN', 'float8'), 'NaN');
    accepts(parseFloatText('-Infinity', 'float4'), '-Infinity');
    accepts(parseFloatText('inf', 'float8'), 'Infinity');
    refuses(parseFloatText('1e400', 'float8'), /out of range/);
    refuses(parseFloatText('1e39', 'float4'), /out of range/);
    refuses(parseFloatText('1e-400', 'float8'), /out of range/);
    refuses(parseFloatText('0x10', 'float8'), /not a valid float8/);
    refuses(parseFloatText('constructor', 'float8'), /not a valid float8/);
  });

  test('orders NaN above every number and equal to itself, as Postgres does', () => {
    assert.equal(compareKeys('float', Number.NaN, Number.NaN), 0);
    assert.equal(compareKeys('float', Number.NaN, Number.POSITIVE_INFINITY), 1);
    assert.equal(compareKeys('float', 1, Number.NaN), -1);
    assert.equal(compareKeys('float', -0, 0), 0);
  });
});

describe('bool, uuid, bytea, text', () => {
  test('reads bool input like boolin', () => {
    for (const text of ['t', 'TRUE', 'tr', 'y', 'yes', 'on', '1', ' true ']) accepts(parseBoolText(text), 'true', true);
    for (const text of ['f', 'False', 'n', 'no', 'off', 'of', '0']) accepts(parseBoolText(text), 'false', false);
    for (const text of ['o', 'truth', '2', '', 'yess']) refuses(parseBoolText(text), /not a valid bool/);
  });

  test('reads uuid input like uuid_in and prints it canonically', () => {
    const canonical = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
    for (const text of [
      canonical,
      'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
      '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}',
      'a0eebc999c0b4ef8bb6d6bb9bd380a11',
      'a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11',
      '{a0eebc999c0b4ef8bb6d6bb9bd380a11}',
    ]) {
      accepts(parseUuidText(text), canonical);
    }
    for (const text of ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-', '{a0eebc999c0b4ef8bb6d6bb9bd380a11', 'g0eebc999c0b4ef8bb6d6bb9bd380a11', 'a0e-ebc999c0b4ef8bb6d6bb9bd380a11']) {
      refuses(parseUuidText(text), /not a valid uuid/);
    }
  });

  test('reads bytea in hex and escape formats', () => {
    accepts(parseByteaText('\\xDEADbeef'), '\\xdeadbeef', Buffer.from('deadbeef', 'hex'));
    accepts(parseByteaText('\\x'), '\\x', Buffer.alloc(0));
    accepts(parseByteaText('ab\\\\c\\001'), '\\x61625c6301');
    accepts(parseByteaText('é'), '\\xc3a9');
    refuses(parseByteaText('\\xabc'), /hex/);
    refuses(parseByteaText('a\\b'), /backslash/);
  });

  test('orders text by code point, not by UTF-16 unit', () => {
    assert.equal(compareCodePoints('a', 'b'), -1);
    assert.equal(compareCodePoints('B', 'a'), -1);
    assert.equal(compareCodePoints('ab', 'a'), 1);
    assert.equal(compareCodePoints('', ''), 0);
    // U+FF61 (one unit) sorts before U+1F600 (a surrogate pair), although 0xFF61 > 0xD83D.
    assert.equal(compareCodePoints('\uFF61', '😀'), -1);
    assert.equal(compareCodePoints('😀', '\uFF61'), 1);
  });
});

describe('dates and times', () => {
  test('reads dates, validating the calendar (leap years, BC, range)', () => {
    accepts(parseDateText('2024-02-29'), '2024-02-29', 19_782n);
    accepts(parseDateText('1970-01-01'), '1970-01-01', 0n);
    accepts(parseDateText('0044-03-15 BC'), '0044-03-15 BC');
    accepts(parseDateText('0001-02-29 BC'), '0001-02-29 BC'); // 1 BC is a leap year (astronomical year 0)
    accepts(parseDateText('infinity'), 'infinity', INFINITY_KEY);
    accepts(parseDateText('-Infinity'), '-infinity', -INFINITY_KEY);
    refuses(parseDateText('2023-02-29'), /day outside 1-28/);
    refuses(parseDateText('1900-02-29'), /day outside 1-28/);
    refuses(parseDateText('2024-13-01'), /month/);
    refuses(parseDateText('0000-01-01 BC'), /year 0/);
    refuses(parseDateText('4714-11-23 BC'), /out of range/);
    refuses(parseDateText('01/02/2024'), /not a valid date/);
    refuses(parseDateText('today'), /not a valid date/);
  });

  test('reads times up to 24:00:00 with microseconds', () => {
    accepts(parseTimeText('13:45'), '13:45:00.000000', 49_500_000_000);
    accepts(parseTimeText('23:59:59.999999'), '23:59:59.999999');
    accepts(parseTimeText('24:00:00'), '24:00:00.000000', 86_400_000_000);
    refuses(parseTimeText('24:00:01'), /hour/);
    refuses(parseTimeText('12:60'), /minutes/);
    refuses(parseTimeText('12:00:00.1234567'), /6 fractional digits/);
  });

  test('reads timestamptz with any offset into a UTC instant, and without one as UTC', () => {
    const utc = parseTimestampText('2024-01-01 04:30:00+00', true);
    accepts(parseTimestampText('2024-01-01 10:00+05:30', true), '2024-01-01 04:30:00.000000+00', utc.ok ? utc.key : undefined);
    accepts(parseTimestampText('2024-01-01T04:30:00Z', true), '2024-01-01 04:30:00.000000+00');
    accepts(parseTimestampText('2024-01-01 04:30', true), '2024-01-01 04:30:00.000000+00');
    accepts(parseTimestampText('2023-12-31 23:30:00-0500', true), '2024-01-01 04:30:00.000000+00');
    accepts(parseTimestampText('2024-01-01', true), '2024-01-01 00:00:00.000000+00');
    accepts(parseTimestampText('0001-01-01 00:30:00+01', true), '0001-12-31 23:30:00.000000+00 BC');
    accepts(parseTimestampText('0044-03-15 12:00:00+00 BC', true), '0044-03-15 12:00:00.000000+00 BC');
    accepts(parseTimestampText('infinity', true), 'infinity');
    refuses(parseTimestampText('2024-01-01 24:00:00', true), /hour/);
    refuses(parseTimestampText('2024-01-01 10:00:00+16', true), /offset/);
    refuses(parseTimestampText('now', true), /not a valid timestamptz/);
    refuses(parseTimestampText('294277-01-01 00:00:00', true), /out of range/);
  });

  test('refuses an offset on a timestamp without time zone, which Postgres would silently drop', () => {
    accepts(parseTimestampText('2024-01-01 10:00:00.5', false), '2024-01-01 10:00:00.500000');
    refuses(parseTimestampText('2024-01-01 10:00:00+02', false), /offset/);
  });
});

describe('row values', () => {
  test('reduces decoder values to comparison keys', () => {
    assert.equal(rowValueKey('integer', 'int4', 'c', 7), 7n);
    assert.equal(rowValueKey('integer', 'int8', 'c', 2n ** 60n), 2n ** 60n);
    assert.equal(rowValueKey('float', 'float4', 'c', 1.1), Math.fround(1.1));
    assert.equal(rowValueKey('uuid', 'uuid', 'c', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    assert.equal(rowValueKey('timestamptz', 'timestamptz', 'c', '1970-01-01 00:00:01+00'), 1_000_000n);
    assert.equal(rowValueKey('date', 'date', 'c', '1970-01-02'), 1n);
    assert.equal(rowValueKey('text', 'text', 'c', null), null);
  });

  test('throws ES_SHAPE_ROW_VALUE for a value its column type never has', () => {
    for (const [family, pgType, value] of [
      ['integer', 'int4', '7'],
      ['integer', 'int4', 1.5],
      ['bool', 'bool', 't'],
      ['timestamptz', 'timestamptz', 'yesterday'],
      ['text', 'text', undefined],
    ] as const) {
      assert.throws(() => rowValueKey(family, pgType, 'c', value), (error) => isShapeError(error, 'ES_SHAPE_ROW_VALUE'));
    }
  });
});
