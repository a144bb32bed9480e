import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isVisibleInSnapshot, parseSnapshot } from './snapshot.ts';

test('parses a snapshot', () => {
  assert.deepEqual(parseSnapshot('10:20:12,15'), { xmin: 10n, xmax: 20n, inProgress: new Set([12n, 15n]) });
  assert.deepEqual(parseSnapshot('7:7:'), { xmin: 7n, xmax: 7n, inProgress: new Set() });
  assert.throws(() => parseSnapshot('garbage'), /not a PostgreSQL snapshot/);
});

const cases: Array<[string, number, boolean]> = [
  ['10:20:12,15', 9, true], // before xmin: committed before
  ['10:20:12,15', 11, true], // between, not in progress
  ['10:20:12,15', 12, false], // in progress when taken
  ['10:20:12,15', 20, false], // at xmax: not yet started
  ['10:20:12,15', 25, false],
];
for (const [text, xid, visible] of cases) {
  test(`xid ${xid} is ${visible ? '' : 'not '}visible in ${text}`, () => assert.equal(isVisibleInSnapshot(parseSnapshot(text), xid), visible));
}

test('rebuilds 64-bit xids across an epoch boundary', () => {
  const epoch1 = 1n << 32n;
  const snapshot = parseSnapshot(`${epoch1 - 5n}:${epoch1 + 5n}:${epoch1 + 1n}`);
  assert.equal(isVisibleInSnapshot(snapshot, 0xffff_fffe), true); // epoch 0, before the snapshot
  assert.equal(isVisibleInSnapshot(snapshot, 1), false); // epoch 1, in progress
  assert.equal(isVisibleInSnapshot(snapshot, 2), true); // epoch 1, committed before
  assert.equal(isVisibleInSnapshot(snapshot, 9), false); // epoch 1, after
});
