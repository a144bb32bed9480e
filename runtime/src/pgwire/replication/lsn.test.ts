import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isPgwireError } from '../errors.ts';
import { formatLsn, INVALID_LSN, MAX_LSN, parseLsn } from './lsn.ts';

describe('parseLsn and formatLsn', () => {
  const roundTrips: [string, bigint][] = [
    ['0/0', 0n],
    ['0/1', 1n],
    ['0/FFFFFFFF', 0xffff_ffffn],
    ['1/0', 0x1_0000_0000n],
    ['16/B374D848', 0x16_b374_d848n],
    ['FFFFFFFF/FFFFFFFF', 0xffff_ffff_ffff_ffffn],
    ['7FFFFFFF/FFFFFFFF', 2n ** 63n - 1n],
    ['80000000/0', 2n ** 63n],
  ];
  for (const [text, lsn] of roundTrips) {
    test(`converts ${text} <=> ${lsn}`, () => {
      assert.equal(parseLsn(text), lsn);
      assert.equal(formatLsn(lsn), text);
    });
  }

  const lenient: [string, bigint][] = [
    ['16/b374d848', 0x16_b374_d848n],
    ['00000000/00000001', 1n],
    ['0A/0', 0xa_0000_0000n],
  ];
  for (const [text, lsn] of lenient) {
    test(`accepts ${text} as Postgres does and formats it canonically`, () => {
      assert.equal(parseLsn(text), lsn);
      assert.equal(formatLsn(parseLsn(text)), formatLsn(lsn));
    });
  }

  const invalid = [
    ...['', '0', '/0', '0/', '0/0/0', ' 0/0', '0/0 '],
    ...['123456789/0', '0/123456789', 'G/0', '-1/0', '0x1/0', '1.5/0'],
  ];
  for (const text of invalid) {
    test(`rejects ${JSON.stringify(text)} with PGWIRE_INVALID_LSN`, () => {
      assert.throws(() => parseLsn(text), (error) => isPgwireError(error, 'PGWIRE_INVALID_LSN'));
    });
  }

  for (const lsn of [-1n, MAX_LSN + 1n]) {
    test(`refuses to format ${lsn}, which is outside 64 unsigned bits`, () => {
      assert.throws(() => formatLsn(lsn), (error) => isPgwireError(error, 'PGWIRE_INVALID_LSN'));
    });
  }

  test('INVALID_LSN is 0/0', () => {
    assert.equal(formatLsn(INVALID_LSN), '0/0');
  });
});
