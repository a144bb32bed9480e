import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide, microTime } from './leader-election.ts';

test('writes Lease times with microseconds, as the API server’s MicroTime requires', () => {
  assert.equal(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), '2026-01-02T03:04:05.678000Z');
});

test.describe('deciding what to do with a Lease', () => {
  const spec = (holderIdentity: string | undefined) => ({ holderIdentity, leaseDurationSeconds: 15 });
  for (const [given, observedAgoMs, expected] of [
    [spec('me'), 0, 'renew'],
    [spec(undefined), 0, 'take'],
    [spec(''), 0, 'take'],
    [spec('other'), 1_000, 'wait'],
    [spec('other'), 15_000, 'wait'],
    [spec('other'), 15_001, 'take'],
  ] as const) {
    test(`holder ${JSON.stringify(given.holderIdentity)} last seen changing ${observedAgoMs} ms ago: ${expected}`, () => {
      const now = 1_000_000;
      assert.equal(decide(given, 'me', now - observedAgoMs, now), expected);
    });
  }
  test('no Lease yet: take it', () => assert.equal(decide(undefined, 'me', 0, 1), 'take'));
});
