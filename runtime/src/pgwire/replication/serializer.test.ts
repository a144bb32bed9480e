import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isPgwireError } from '../errors.ts';
import { buildStandbyStatusUpdate } from '../testing/replication-builders.ts';
import { serializeStandbyStatusUpdate } from './serializer.ts';
import { dateToPgMicros } from './time.ts';

describe('serializeStandbyStatusUpdate', () => {
  const cases = [
    { written: 0n, flushed: 0n, applied: 0n, clientTime: 0n, replyRequested: false },
    {
      written: 0x16_b374_d848n,
      flushed: 0x16_b374_d000n,
      applied: 0x16_b374_0000n,
      clientTime: 757_479_845_123_456n,
      replyRequested: true,
    },
    { written: 2n ** 64n - 1n, flushed: 2n ** 63n, applied: 1n, clientTime: -(2n ** 63n), replyRequested: false },
    { written: 5n, flushed: 5n, applied: 5n, clientTime: 2n ** 63n - 1n, replyRequested: true },
  ];
  for (const update of cases) {
    const name = `written=${update.written} replyRequested=${update.replyRequested}`;
    test(`writes the documented 34-byte layout for ${name}`, () => {
      const bytes = serializeStandbyStatusUpdate(update);
      assert.equal(bytes.length, 34);
      assert.deepEqual(bytes, buildStandbyStatusUpdate(update));
    });
  }

  test('writes the client clock as microseconds since 2000-01-01', () => {
    const clientTime = dateToPgMicros(new Date('2000-01-01T00:00:01Z'));
    const update = { written: 1n, flushed: 1n, applied: 1n, clientTime, replyRequested: false };
    const bytes = serializeStandbyStatusUpdate(update);
    assert.equal(bytes.readBigInt64BE(25), 1_000_000n);
  });

  test('rejects LSNs outside 64 unsigned bits and times outside Int64', () => {
    const base = { written: 1n, flushed: 1n, applied: 1n, clientTime: 0n, replyRequested: false };
    const invalidLsn = (error: unknown) => isPgwireError(error, 'PGWIRE_INVALID_LSN');
    assert.throws(() => serializeStandbyStatusUpdate({ ...base, flushed: -1n }), invalidLsn);
    assert.throws(() => serializeStandbyStatusUpdate({ ...base, written: 2n ** 64n }), invalidLsn);
    assert.throws(
      () => serializeStandbyStatusUpdate({ ...base, clientTime: 2n ** 63n }),
      (error) => isPgwireError(error, 'PGWIRE_INVALID_VALUE'),
    );
  });
});
