import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Registry } from 'prom-client';
import { startHealthServer } from './health-server.ts';

test('serves /metrics, /healthz and /readyz on loopback', async (t) => {
  const registry = new Registry();
  new Counter({ name: 'example_total', help: 'an example', registers: [registry] }).inc(3);
  let ready = false;
  const server = await startHealthServer({
    host: '127.0.0.1',
    port: 0,
    registry,
    healthz: () => ({ ok: true, detail: 'leader' }),
    readyz: () => ({ ok: ready, detail: ready ? 'leader, reconciling' : 'leader, caches not synced yet' }),
  });
  t.after(() => server.close());
  const get = async (path: string) => {
    const response = await fetch(`http://127.0.0.1:${server.port}${path}`);
    return { status: response.status, text: await response.text() };
  };
  assert.match((await get('/metrics')).text, /^example_total 3$/m);
  assert.deepEqual(await get('/healthz'), { status: 200, text: 'ok: leader\n' });
  assert.deepEqual(await get('/readyz'), { status: 503, text: 'not ok: leader, caches not synced yet\n' });
  ready = true;
  assert.equal((await get('/readyz')).status, 200);
  assert.equal((await get('/nope')).status, 404);
});
