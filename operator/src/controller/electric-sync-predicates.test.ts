import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newTestElectricSync } from '../testing/fixtures.ts';
import { isSpecOrLifecycleChange, ownerKey, referencesSecret } from './electric-sync-predicates.ts';

const es = newTestElectricSync({ generation: 1 });
const withMeta = (meta: object) => ({ ...es, metadata: { ...es.metadata, ...meta } });

for (const [given, expected] of [
  [{ type: 'add', object: es }, true],
  [{ type: 'delete', object: es }, true],
  [{ type: 'update', object: withMeta({ generation: 2 }), old: es }, true],
  [{ type: 'update', object: withMeta({ deletionTimestamp: '2026-01-01T00:00:00Z' }), old: es }, true],
  [{ type: 'update', object: withMeta({ finalizers: [] }), old: withMeta({ finalizers: ['x'] }) }, true],
  [{ type: 'update', object: { ...es, status: { phase: 'Ready' } }, old: es }, false],
] as const) {
  test(`reconciles on ${given.type} ${JSON.stringify(given.object.metadata).slice(0, 60)}…: ${expected}`, () => {
    assert.equal(isSpecOrLifecycleChange(given as never), expected);
  });
}

test('maps a child to its controlling ElectricSync only', () => {
  const ref = { apiVersion: 'electric-sync.dev/v1alpha1', kind: 'ElectricSync', name: 'sync', uid: 'u', controller: true };
  assert.equal(ownerKey({ metadata: { namespace: 'ns', ownerReferences: [ref] } }), 'ns/sync');
  assert.equal(ownerKey({ metadata: { namespace: 'ns', ownerReferences: [{ ...ref, controller: false }] } }), undefined);
  assert.equal(ownerKey({ metadata: { namespace: 'ns', ownerReferences: [{ ...ref, kind: 'ReplicaSet' }] } }), undefined);
});

test('knows which Secrets a resource references', () => {
  assert.equal(referencesSecret(es, 'db'), true);
  assert.equal(referencesSecret(es, 'jwt'), true);
  assert.equal(referencesSecret(es, 'other'), false);
});
