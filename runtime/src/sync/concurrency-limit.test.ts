import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConcurrencyLimit } from './concurrency-limit.ts';

test('runs at most `limit` tasks at once, the rest in arrival order', async () => {
  const limit = createConcurrencyLimit(2);
  let active = 0;
  let peak = 0;
  const order: number[] = [];
  const task = (id: number) => async () => {
    active++;
    peak = Math.max(peak, active);
    await new Promise((resolve) => setTimeout(resolve, 5));
    order.push(id);
    active--;
    return id;
  };
  const results = await Promise.all([1, 2, 3, 4, 5].map((id) => limit.run(task(id))));
  assert.deepEqual(results, [1, 2, 3, 4, 5]);
  assert.equal(peak, 2);
  assert.deepEqual(limit.stats(), { running: 0, waiting: 0 });
});

test('a failing task frees its place', async () => {
  const limit = createConcurrencyLimit(1);
  await assert.rejects(limit.run(async () => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(await limit.run(async () => 'next'), 'next');
});
