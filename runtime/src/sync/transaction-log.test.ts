import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReplicatedTransaction } from '../upstream/transaction.ts';
import { createTransactionLog } from './transaction-log.ts';

const txn = (endLsn: number, bytes = 100): ReplicatedTransaction => ({
  xid: endLsn,
  commitLsn: BigInt(endLsn - 1),
  endLsn: BigInt(endLsn),
  commitTimeMs: 0,
  changes: [],
  messages: [],
  approximateBytes: bytes,
});

test('returns the transactions that end after an LSN, in order', () => {
  const log = createTransactionLog<ReplicatedTransaction>(10_000);
  for (const lsn of [10, 20, 30, 40]) log.append(txn(lsn));
  assert.deepEqual((log.since(20n) as ReplicatedTransaction[]).map((t) => t.endLsn), [30n, 40n]);
  assert.deepEqual((log.since(25n) as ReplicatedTransaction[]).map((t) => t.endLsn), [30n, 40n]);
  assert.deepEqual(log.since(40n), []);
  assert.equal(log.latestLsn(), 40n);
});

test('drops the oldest transactions past its byte bound, and says when a resume point is behind the window', () => {
  const log = createTransactionLog<ReplicatedTransaction>(250);
  for (const lsn of [10, 20, 30, 40]) log.append(txn(lsn));
  assert.deepEqual(log.stats(), { transactions: 2, bytes: 200, oldestLsn: 30n, droppedUpTo: 20n });
  assert.equal(log.since(10n), 'behind-window');
  assert.deepEqual((log.since(20n) as ReplicatedTransaction[]).map((t) => t.endLsn), [30n, 40n]);
});

test('ignores a transaction replayed after a reconnect', () => {
  const log = createTransactionLog<ReplicatedTransaction>(10_000);
  log.append(txn(10));
  log.append(txn(20));
  log.append(txn(20));
  log.append(txn(15));
  assert.equal(log.stats().transactions, 2);
});

test('stays bounded over many appends', () => {
  const log = createTransactionLog<ReplicatedTransaction>(1000);
  for (let lsn = 1; lsn <= 100_000; lsn++) log.append(txn(lsn, 10));
  assert.equal(log.stats().transactions, 100);
  assert.deepEqual((log.since(99_990n) as ReplicatedTransaction[]).length, 10);
});

test('tells listeners about each append', () => {
  const log = createTransactionLog<ReplicatedTransaction>(10_000);
  let calls = 0;
  const stop = log.onAppend(() => calls++);
  log.append(txn(10));
  log.append(txn(20));
  stop();
  log.append(txn(30));
  assert.equal(calls, 2);
});

test('limits what since() returns, and lists the latest transactions up to a position', () => {
  const log = createTransactionLog<ReplicatedTransaction>(10_000);
  for (const lsn of [10, 20, 30, 40, 50]) log.append(txn(lsn));
  assert.deepEqual((log.since(10n, 2) as ReplicatedTransaction[]).map((t) => t.endLsn), [20n, 30n]);
  assert.deepEqual(log.recentUpTo(35n, 2).map((t) => t.endLsn), [20n, 30n]);
  assert.deepEqual(log.recentUpTo(5n, 2), []);
});

test('a floor makes older positions behind the window', () => {
  const log = createTransactionLog<ReplicatedTransaction>(10_000);
  log.setFloor(100n);
  log.append(txn(150));
  assert.equal(log.since(50n), 'behind-window');
  assert.deepEqual((log.since(100n) as ReplicatedTransaction[]).map((t) => t.endLsn), [150n]);
});
