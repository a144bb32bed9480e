import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReplicatedTransaction } from '../upstream/transaction.ts';
import { parseSnapshot } from './snapshot.ts';
import { createSubscription, isInInitialData, snapshotMissesDelivered } from './subscription.ts';

const txn = (xid: number, commitLsn: bigint): ReplicatedTransaction => ({
  xid,
  commitLsn,
  endLsn: commitLsn + 8n,
  commitTimeMs: 0,
  changes: [],
  messages: [],
  approximateBytes: 0,
});

// Snapshot 100:110:105 taken when the WAL insert position was 5000; the stream stood at 1000.
const subscription = createSubscription('s', [], 1000n, parseSnapshot('100:110:105'), 5000n);

const cases: Array<[string, ReplicatedTransaction, boolean]> = [
  ['a transaction the stream passed before the snapshot', txn(90, 900n), true],
  ['a later transaction the snapshot saw (committed before it)', txn(104, 2000n), true],
  ['a transaction still running when the snapshot was taken', txn(105, 3000n), false],
  ['a transaction that started after the snapshot', txn(120, 6000n), false],
  // xids wrap around: an id that reads as old but whose commit is past the snapshot's WAL position is new.
  ['a commit past the snapshot’s WAL position, whatever its xid', txn(50, 7000n), false],
];
for (const [name, transaction, expected] of cases) {
  test(`isInInitialData: ${name} → ${expected}`, () => assert.equal(isInInitialData(subscription, transaction), expected));
}

test('a snapshot that still counts a delivered transaction as running must be taken again', () => {
  const snapshot = parseSnapshot('100:110:105');
  assert.equal(snapshotMissesDelivered(snapshot, [txn(99, 10n), txn(104, 20n)]), false);
  assert.equal(snapshotMissesDelivered(snapshot, [txn(104, 20n), txn(105, 30n)]), true);
});
