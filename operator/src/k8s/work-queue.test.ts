import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WorkQueue, type Timers } from './work-queue.ts';

/** Timers that fire only when the test says so. */
function manualTimers() {
  let now = 0;
  const pending: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = nextId++;
      pending.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (handle) => {
      const index = pending.findIndex((t) => t.id === handle);
      if (index >= 0) pending.splice(index, 1);
    },
  };
  return {
    timers,
    now: () => now,
    pendingDelays: () => pending.map((t) => t.at - now).sort((a, b) => a - b),
    advance(ms: number) {
      now += ms;
      for (const timer of pending.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)) {
        pending.splice(pending.indexOf(timer), 1);
        timer.fn();
      }
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('WorkQueue', () => {
  test('processes a key added many times while it waits only once', async () => {
    const seen: string[] = [];
    const queue = new WorkQueue({ process: async (key) => void seen.push(key), concurrency: 1 });
    queue.add('a');
    queue.add('a');
    queue.add('b');
    queue.add('a');
    queue.start();
    await tick();
    await tick();
    assert.deepEqual(seen, ['a', 'b']);
  });

  test('never runs one key on two workers; an add during processing runs it once more afterwards', async () => {
    const gates = [deferred(), deferred()];
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    const queue = new WorkQueue({
      concurrency: 4,
      process: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await gates[calls++]?.promise;
        running--;
      },
    });
    queue.start();
    queue.add('a');
    await tick();
    queue.add('a');
    queue.add('a');
    await tick();
    assert.equal(calls, 1);
    gates[0]?.resolve();
    await tick();
    await tick();
    assert.equal(calls, 2);
    gates[1]?.resolve();
    await tick();
    assert.equal(maxRunning, 1);
    assert.equal(calls, 2);
  });

  test('runs different keys concurrently up to the limit', async () => {
    const gate = deferred();
    let running = 0;
    const queue = new WorkQueue({ concurrency: 2, process: async () => void (running++, await gate.promise) });
    queue.start();
    for (const key of ['a', 'b', 'c']) queue.add(key);
    await tick();
    assert.equal(running, 2);
    assert.equal(queue.depth, 1);
    gate.resolve();
  });

  test('retries a failing key with exponential backoff, capped, and resets after a success', async () => {
    const clock = manualTimers();
    let fail = true;
    const retries: number[] = [];
    const queue = new WorkQueue({
      timers: clock.timers,
      backoff: { baseMs: 100, maxMs: 1000 },
      process: async () => {
        if (fail) throw new Error('boom');
      },
      onError: (_key, _error, retryInMs) => retries.push(retryInMs),
    });
    queue.start();
    queue.add('a');
    for (let i = 0; i < 6; i++) {
      await tick();
      clock.advance(clock.pendingDelays()[0] ?? 0);
    }
    assert.deepEqual(retries, [100, 200, 400, 800, 1000, 1000]);
    fail = false;
    await tick();
    clock.advance(clock.pendingDelays()[0] ?? 0);
    await tick();
    assert.equal(queue.failures('a'), 0);
    fail = true;
    queue.add('a');
    await tick();
    assert.deepEqual(retries.at(-1), 100);
  });

  test('requeues after the delay a success asks for; an earlier add wins over a later delay', async () => {
    const clock = manualTimers();
    const seen: number[] = [];
    const queue = new WorkQueue({
      timers: clock.timers,
      process: async () => {
        seen.push(clock.now());
        return { requeueAfterMs: 30_000 };
      },
    });
    queue.start();
    queue.add('a');
    await tick();
    assert.deepEqual(clock.pendingDelays(), [30_000]);
    queue.addAfter('a', 5_000, clock.now());
    assert.deepEqual(clock.pendingDelays(), [5_000]);
    queue.addAfter('a', 60_000, clock.now());
    assert.deepEqual(clock.pendingDelays(), [5_000]);
    clock.advance(5_000);
    await tick();
    assert.deepEqual(seen, [0, 5_000]);
  });

  test('an immediate add cancels the delayed one', async () => {
    const clock = manualTimers();
    let calls = 0;
    const queue = new WorkQueue({ timers: clock.timers, process: async () => void calls++ });
    queue.start();
    queue.addAfter('a', 10_000, clock.now());
    queue.add('a');
    await tick();
    assert.equal(calls, 1);
    assert.deepEqual(clock.pendingDelays(), []);
  });

  test('shutdown waits for keys in progress and drops the rest', async () => {
    const gate = deferred();
    let finished = false;
    const queue = new WorkQueue({ concurrency: 1, process: async () => ((await gate.promise), (finished = true)) && undefined });
    queue.start();
    queue.add('a');
    queue.add('b');
    await tick();
    const done = queue.shutdown();
    gate.resolve();
    await done;
    assert.equal(finished, true);
    assert.equal(queue.depth, 0);
  });
});
