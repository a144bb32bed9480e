import assert from 'node:assert/strict';
import { test } from 'node:test';
import { databaseTarget } from '../postgres/index.ts';
import { DatabaseHealthChecker } from './database-health.ts';

const url = 'postgresql://u@db/app';
const parsed = databaseTarget(url, undefined);
if (!parsed.ok) throw new Error('bad fixture');
const target = parsed.target;

function checker(results: boolean[]) {
  let now = 0;
  let probes = 0;
  const health = new DatabaseHealthChecker({
    enabled: true,
    okTtlMs: 60_000,
    failureTtlMs: 15_000,
    now: () => now,
    probe: async () => (results[probes++] ?? true ? { ok: true } : { ok: false, message: 'down' }),
  });
  return { health, advance: (ms: number) => (now += ms), probes: () => probes };
}

test('trusts a success for a minute and a failure for fifteen seconds', async () => {
  const { health, advance, probes } = checker([false, true]);
  assert.deepEqual(await health.check('ns/a', target, url), { ok: false, message: 'down' });
  advance(10_000);
  await health.check('ns/a', target, url);
  assert.equal(probes(), 1);
  advance(6_000);
  assert.deepEqual(await health.check('ns/a', target, url), { ok: true });
  assert.equal(probes(), 2);
  advance(59_000);
  await health.check('ns/a', target, url);
  assert.equal(probes(), 2);
});

test('checks again at once when the URL changes', async () => {
  const { health, probes } = checker([]);
  await health.check('ns/a', target, url);
  await health.check('ns/a', target, `${url}?sslmode=disable`);
  assert.equal(probes(), 2);
});

test('reports nothing when disabled', async () => {
  const health = new DatabaseHealthChecker({ enabled: false, probe: async () => assert.fail('probed') });
  assert.equal(await health.check('ns/a', target, url), undefined);
});
