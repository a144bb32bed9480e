import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newTestElectricSync, testBuildInputs as inputs } from '../testing/fixtures.ts';
import { buildDesiredObjects } from './desired.ts';
import { annotationKeys, childNames } from './meta.ts';

describe('owned objects', () => {
  const es = newTestElectricSync();
  const desired = buildDesiredObjects(es, inputs);
  const all = [desired.envSecret, desired.publisherAuthSecret, desired.httpService, desired.publisherService, desired.deployment];

  test('all carry a controller ownerReference to the ElectricSync and the managed-by label', () => {
    for (const object of all) {
      assert.deepEqual(object.metadata?.ownerReferences, [
        { apiVersion: 'electric-sync.dev/v1alpha1', kind: 'ElectricSync', name: 'sync', uid: es.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
      assert.equal(object.metadata?.labels?.['app.kubernetes.io/managed-by'], 'electric-sync-operator');
      assert.match(object.metadata?.annotations?.[annotationKeys.appliedHash] ?? '', /^[0-9a-f]{32}$/);
    }
  });

  test('exposes HTTP on 5133 and the publisher on 5433, selecting the runtime pod', () => {
    assert.deepEqual(desired.httpService.spec?.ports?.map((p) => [p.name, p.port, p.targetPort]), [['http', 5133, 'http']]);
    assert.deepEqual(desired.publisherService.spec?.ports?.map((p) => [p.name, p.port]), [['publisher', 5433]]);
    assert.deepEqual(desired.httpService.spec?.selector, desired.deployment.spec?.selector.matchLabels);
    assert.equal(desired.httpService.spec?.type, 'ClusterIP');
  });

  test('names children after the resource', () => {
    assert.deepEqual(childNames(es), {
      deployment: 'sync',
      httpService: 'sync',
      publisherService: 'sync-publisher',
      envSecret: 'sync-env',
      publisherAuthSecret: 'sync-publisher-auth',
      networkPolicy: 'sync',
    });
  });

  test('builds a NetworkPolicy only when asked', () => {
    assert.equal(desired.networkPolicy, undefined);
    const withPolicy = buildDesiredObjects(newTestElectricSync({ spec: { networkPolicy: { enabled: true } } }), inputs);
    assert.equal(withPolicy.networkPolicy?.kind, 'NetworkPolicy');
  });

});
