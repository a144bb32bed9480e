import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLsn, parseLsn } from '../pgwire/index.ts';
import { isClientProtocolError } from './errors.ts';
import { isEmptyLsn, parseClientLsn, parseServerLsn, serializeClientLsn, serializeServerLsn } from './lsn.ts';

const isMalformedLsn = (error: unknown) => isClientProtocolError(error, 'CP_MALFORMED_LSN');

describe('server LSNs: our Postgres LSN as ASCII decimal', () => {
  const roundTrips: [pgLsn: string, bytes: string][] = [
    ['0/0', '0'],
    ['0/1', '1'],
    ['0/16B3748', '23803720'],
    ['0/FFFFFFFF', '4294967295'],
    ['1/0', '4294967296'],
    ['16/B374D848', '97500059720'],
    ['7FFFFFFF/FFFFFFFF', '9223372036854775807'],
    ['FFFFFFFF/FFFFFFFF', '18446744073709551615'],
  ];
  for (const [pgLsn, text] of roundTrips) {
    test(`${pgLsn} travels as "${text}" and parses back`, () => {
      const bytes = serializeServerLsn(parseLsn(pgLsn));
      assert.deepEqual(bytes, Buffer.from(text, 'ascii'));
      assert.equal(formatLsn(parseServerLsn(bytes)), pgLsn);
    });
  }

  test('parses from a view into a larger buffer (as decoded protobuf bytes are)', () => {
    const frame = Buffer.from('xx97500059720yy', 'ascii');
    assert.equal(parseServerLsn(frame.subarray(2, 13)), 0x16_b374_d848n);
  });

  const malformed: [what: string, bytes: Uint8Array][] = [
    ['empty', new Uint8Array()],
    ['a leading zero', Buffer.from('0123')],
    ['two zeros', Buffer.from('00')],
    ['a sign', Buffer.from('+5')],
    ['a minus', Buffer.from('-1')],
    ['a space', Buffer.from(' 5')],
    ['a trailing newline', Buffer.from('5\n')],
    ['hex', Buffer.from('0x10')],
    ['the X/Y form', Buffer.from('16/B374D848')],
    ['a decimal point', Buffer.from('1.0')],
    ['2^64', Buffer.from('18446744073709551616')],
    ['21 digits', Buffer.from('100000000000000000000')],
    ['a client 4-byte LSN', Uint8Array.of(0, 0, 0, 7)],
    ['non-ASCII digits', Buffer.from('１２', 'utf8')],
    ['a NUL byte', Uint8Array.of(0x31, 0x00)],
  ];
  for (const [what, bytes] of malformed) {
    test(`refuses ${what} with CP_MALFORMED_LSN (→ ReplicationError MALFORMED_LSN)`, () => {
      assert.throws(() => parseServerLsn(bytes), isMalformedLsn);
    });
  }

  test('serializeServerLsn refuses positions outside 64 unsigned bits', () => {
    assert.throws(() => serializeServerLsn(-1n), RangeError);
    assert.throws(() => serializeServerLsn(2n ** 64n), RangeError);
  });

  test('isEmptyLsn marks the initial-sync request', () => {
    assert.equal(isEmptyLsn(new Uint8Array()), true);
    assert.equal(isEmptyLsn(serializeServerLsn(0n)), false);
  });
});

describe('client LSNs: 4-byte big-endian oplog row ids', () => {
  const cases: [rowId: number, hex: string][] = [
    [0, '00000000'],
    [1, '00000001'],
    [258, '00000102'],
    [0x7fff_ffff, '7fffffff'],
    [0x8000_0000, '80000000'], // the client's numberToBytes still writes these bytes; we read them unsigned
    [0xffff_ffff, 'ffffffff'],
  ];
  for (const [rowId, hex] of cases) {
    test(`row id ${rowId} is ${hex}`, () => {
      assert.deepEqual(serializeClientLsn(rowId), Buffer.from(hex, 'hex'));
      assert.equal(parseClientLsn(Buffer.from(hex, 'hex')), rowId);
    });
  }

  for (const length of [0, 1, 3, 5, 8]) {
    test(`refuses ${length} bytes with CP_MALFORMED_LSN`, () => {
      assert.throws(() => parseClientLsn(new Uint8Array(length)), isMalformedLsn);
    });
  }

  for (const rowId of [-1, 2 ** 32, 1.5, Number.NaN]) {
    test(`serializeClientLsn refuses ${rowId}`, () => {
      assert.throws(() => serializeClientLsn(rowId), RangeError);
    });
  }
});
