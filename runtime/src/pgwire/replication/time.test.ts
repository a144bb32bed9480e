import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isPgwireError } from '../errors.ts';
import { dateToPgMicros, millisToPgMicros, PG_EPOCH_UNIX_MILLIS, pgMicrosToDate, pgMicrosToMillis } from './time.ts';

describe('Postgres epoch time helpers', () => {
  test('the Postgres epoch is 2000-01-01T00:00:00Z', () => {
    assert.equal(new Date(PG_EPOCH_UNIX_MILLIS).toISOString(), '2000-01-01T00:00:00.000Z');
    assert.equal(pgMicrosToDate(0n).toISOString(), '2000-01-01T00:00:00.000Z');
  });

  const cases: [string, bigint][] = [
    ['2000-01-01T00:00:00.001Z', 1_000n],
    ['2024-01-02T03:04:05.123Z', 757_479_845_123_000n],
    ['1999-12-31T23:59:59.999Z', -1_000n],
    ['1970-01-01T00:00:00.000Z', -946_684_800_000_000n],
  ];
  for (const [iso, micros] of cases) {
    test(`converts ${iso} <=> ${micros} µs`, () => {
      assert.equal(pgMicrosToDate(micros).toISOString(), iso);
      assert.equal(dateToPgMicros(new Date(iso)), micros);
    });
  }

  test('drops sub-millisecond precision by rounding down, also before 2000', () => {
    assert.equal(pgMicrosToMillis(1_999n), PG_EPOCH_UNIX_MILLIS + 1);
    assert.equal(pgMicrosToMillis(-1n), PG_EPOCH_UNIX_MILLIS - 1);
    assert.equal(pgMicrosToMillis(-1_001n), PG_EPOCH_UNIX_MILLIS - 2);
  });

  test('keeps microseconds of fractional milliseconds', () => {
    assert.equal(millisToPgMicros(PG_EPOCH_UNIX_MILLIS + 1.5), 1_500n);
  });

  test('rejects a non-finite time', () => {
    assert.throws(() => millisToPgMicros(Number.NaN), (error) => isPgwireError(error, 'PGWIRE_INVALID_VALUE'));
    assert.throws(() => dateToPgMicros(new Date(Number.NaN)), (error) => isPgwireError(error, 'PGWIRE_INVALID_VALUE'));
  });
});
