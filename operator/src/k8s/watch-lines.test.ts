import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readWatchEvents } from './watch-lines.ts';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]) {
  const out: unknown[] = [];
  for await (const event of readWatchEvents(streamOf(chunks))) out.push(event);
  return out;
}

const events = [
  { type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '1' } } },
  { type: 'BOOKMARK', object: { metadata: { resourceVersion: '2' } } },
  { type: 'DELETED', object: { metadata: { name: 'é', resourceVersion: '3' } } },
];
const wire = events.map((e) => `${JSON.stringify(e)}\n`).join('');

test('parses one event per line', async () => {
  assert.deepEqual(await collect([wire]), events);
});

test('parses events split at every byte offset, including inside a multi-byte character', async () => {
  const bytes = new TextEncoder().encode(wire);
  for (let cut = 1; cut < bytes.length; cut++) {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, cut));
        controller.enqueue(bytes.slice(cut));
        controller.close();
      },
    });
    const out: unknown[] = [];
    for await (const event of readWatchEvents(stream)) out.push(event);
    assert.deepEqual(out, events, `cut at ${cut}`);
  }
});

test('accepts a last event without a newline', async () => {
  assert.deepEqual(await collect([JSON.stringify(events[0])]), [events[0]]);
});

test('reports each chunk to the watchdog callback', async () => {
  let chunks = 0;
  for await (const _ of readWatchEvents(streamOf(['{"type":"ADDED",', '"object":{}}\n']), () => chunks++)) void _;
  assert.equal(chunks, 2);
});
