import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isPgwireError, PgwireError } from './errors.ts';
import { Reader } from './reader.ts';
import { bytes } from './testing/byte-builder.ts';

function isTruncated(error: unknown): boolean {
  return isPgwireError(error, 'PGWIRE_TRUNCATED');
}

describe('Reader', () => {
  test('reads big-endian integers of each width, signed and unsigned', () => {
    const buffer = bytes()
      .int8(0xfe)
      .int16(-2)
      .int32(-3)
      .int32(0xffff_fffe)
      .int64(-4n)
      .int64(0xffff_ffff_ffff_fffdn)
      .int16(0x7fff)
      .build();
    const reader = new Reader(buffer);
    assert.equal(reader.uint8(), 0xfe);
    assert.equal(reader.int16(), -2);
    assert.equal(reader.int32(), -3);
    assert.equal(reader.uint32(), 0xffff_fffe);
    assert.equal(reader.int64(), -4n);
    assert.equal(reader.uint64(), 0xffff_ffff_ffff_fffdn);
    assert.equal(reader.int16(), 0x7fff);
    assert.equal(reader.remaining, 0);
    reader.expectEnd('test');
  });

  test('reads int64 extremes', () => {
    const reader = new Reader(bytes().int64(-(2n ** 63n)).int64(2n ** 63n - 1n).build());
    assert.equal(reader.int64(), -(2n ** 63n));
    assert.equal(reader.int64(), 2n ** 63n - 1n);
  });

  test('reads NUL-terminated UTF-8 strings, including the empty string', () => {
    const reader = new Reader(bytes().cstring('public').cstring('').cstring('naïve ☃ 🎉').build());
    assert.equal(reader.cstring(), 'public');
    assert.equal(reader.cstring(), '');
    assert.equal(reader.cstring(), 'naïve ☃ 🎉');
    assert.equal(reader.remaining, 0);
  });

  test('returns bytes(n) as a view of the same memory, not a copy', () => {
    const buffer = bytes().raw([1, 2, 3, 4]).build();
    const reader = new Reader(buffer, 1);
    const view = reader.bytes(2);
    assert.deepEqual([...view], [2, 3]);
    buffer[1] = 9;
    assert.equal(view[0], 9);
    assert.equal(reader.offset, 3);
  });

  test('decodes utf8(n) without a terminator', () => {
    const encoded = new TextEncoder().encode('héllo');
    const reader = new Reader(bytes().raw(encoded).int8(7).build());
    assert.equal(reader.utf8(encoded.length), 'héllo');
    assert.equal(reader.uint8(), 7);
  });

  test('only sees bytes inside [offset, end)', () => {
    const buffer = bytes().int32(1).int32(2).int32(3).build();
    const reader = new Reader(buffer, 4, 8);
    assert.equal(reader.int32(), 2);
    assert.throws(() => reader.int32(), isTruncated);
  });

  test('can be reset to other bytes and reused', () => {
    const reader = new Reader(bytes().int8(1).build());
    reader.uint8();
    reader.reset(bytes().int16(300).build());
    assert.equal(reader.int16(), 300);
  });

  describe('throws PGWIRE_TRUNCATED instead of reading past the end', () => {
    const cases: [string, (reader: Reader) => unknown, number][] = [
      ['uint8 of 0 bytes', (r) => r.uint8(), 0],
      ['int16 of 1 byte', (r) => r.int16(), 1],
      ['int32 of 3 bytes', (r) => r.int32(), 3],
      ['uint32 of 3 bytes', (r) => r.uint32(), 3],
      ['int64 of 7 bytes', (r) => r.int64(), 7],
      ['uint64 of 7 bytes', (r) => r.uint64(), 7],
      ['bytes(5) of 4 bytes', (r) => r.bytes(5), 4],
      ['utf8(5) of 4 bytes', (r) => r.utf8(5), 4],
    ];
    for (const [name, read, available] of cases) {
      test(name, () => {
        const reader = new Reader(Buffer.alloc(available, 0x41));
        assert.throws(() => read(reader), (error: unknown) => {
          assert.ok(error instanceof PgwireError);
          assert.equal(error.code, 'PGWIRE_TRUNCATED');
          assert.equal(error.retryable, false);
          return true;
        });
        assert.equal(reader.offset, 0, 'a failed read does not move the cursor');
      });
    }

    test('cstring without a terminator', () => {
      assert.throws(() => new Reader(Buffer.from('abc')).cstring(), isTruncated);
    });

    test('cstring whose terminator lies beyond end', () => {
      assert.throws(() => new Reader(Buffer.from('abc\0'), 0, 3).cstring(), isTruncated);
    });
  });

  test('rejects a negative length as malformed', () => {
    assert.throws(() => new Reader(Buffer.alloc(4)).bytes(-1), (error) => isPgwireError(error, 'PGWIRE_MALFORMED'));
  });

  test('expectEnd reports trailing bytes as malformed', () => {
    const reader = new Reader(Buffer.alloc(3));
    reader.uint8();
    assert.throws(
      () => reader.expectEnd('Thing'),
      (error) => isPgwireError(error, 'PGWIRE_MALFORMED') && /Thing: 2 unexpected trailing bytes/.test(error.message),
    );
  });
});
