import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppliedVersions, needsApply } from './electric-sync-update.ts';

const secret = (rv: string, hash = 'h1') => ({ kind: 'Secret', metadata: { resourceVersion: rv, annotations: { 'electric-sync.dev/applied-hash': hash } } });
const deployment = (generation: number, rv: string) => ({ kind: 'Deployment', metadata: { generation, resourceVersion: rv } });

test('applies when the child is missing or was built differently, not when it is as we left it', () => {
  assert.equal(needsApply(secret('1'), undefined, false), true);
  assert.equal(needsApply(secret('1', 'h2'), secret('1'), false), true);
  assert.equal(needsApply(secret('1'), secret('1'), false), false);
  assert.equal(needsApply(secret('1'), secret('1'), true), true);
});

test('notices a change made by someone else since our last apply', () => {
  const applied = new AppliedVersions();
  assert.equal(applied.drifted('ns/a', '/s', secret('5')), false, 'unknown after a restart: trust the hash');
  applied.record('ns/a', '/s', secret('5'));
  assert.equal(applied.drifted('ns/a', '/s', secret('5')), false);
  assert.equal(applied.drifted('ns/a', '/s', secret('6')), true);
  applied.forget('ns/a');
  assert.equal(applied.drifted('ns/a', '/s', secret('6')), false);
});

test('judges a Deployment by its generation, so status updates are not drift', () => {
  const applied = new AppliedVersions();
  applied.record('ns/a', '/d', deployment(3, '100'));
  assert.equal(applied.drifted('ns/a', '/d', deployment(3, '150')), false);
  assert.equal(applied.drifted('ns/a', '/d', deployment(4, '160')), true);
});
