import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClientRegistry } from './client-registry.ts';

test('one live connection per client id; the id is free again once released', () => {
  const registry = createClientRegistry();
  const [first, second] = [{}, {}];
  assert.equal(registry.claim('c1', first), true);
  assert.equal(registry.claim('c1', second), false);
  registry.release('c1', second); // not the owner: no effect
  assert.equal(registry.claim('c1', second), false);
  registry.release('c1', first);
  assert.equal(registry.claim('c1', second), true);
});

test('state is per user and client id', () => {
  const registry = createClientRegistry();
  registry.state('alice', 'c1').sentUpTo = 10n;
  assert.equal(registry.state('mallory', 'c1').sentUpTo, 0n, 'another user with the same client id starts empty');
  assert.equal(registry.state('alice', 'c1').sentUpTo, 10n);
});

test('forgets offline clients behind the window, never live ones', () => {
  const registry = createClientRegistry();
  registry.state('alice', 'old').position = 100n;
  registry.state('bob', 'recent').position = 900n;
  registry.state('carol', 'live').position = 50n;
  registry.claim('live', {});
  assert.equal(registry.evictBehind(500n), 1);
  assert.equal(registry.stateCount(), 2);
  assert.equal(registry.state('bob', 'recent').position, 900n);
  assert.equal(registry.state('carol', 'live').position, 50n);
});
