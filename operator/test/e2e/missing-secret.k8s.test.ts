// A referenced Secret that does not exist: the resource reports Degraded with reason SecretNotFound, the operator
// keeps running and creates no Deployment (so no pod crash-loops on a missing key), and everything recovers as soon
// as the Secret appears.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { collectionPath, objectPath, resourceTypes } from '../../src/k8s/resources.ts';
import type { Deployment, KubeObject } from '../../src/k8s/types.ts';
import {
  conditionOf,
  createNamespace,
  eventsFor,
  eventually,
  getElectricSync,
  getOrUndefined,
  putSecret,
  startTestCluster,
  startTestOperator,
  suiteCleanups,
  testOperatorConfig,
  type TestCluster,
} from '../../src/testing/cluster.ts';
import type { RunningOperator } from '../../src/operator.ts';
import { electricSyncManifest, testJwtKey } from '../../src/testing/fixtures.ts';

const ns = 'missing';
let cluster: TestCluster;
let operator: RunningOperator;

describe('a missing Secret', { timeout: 180_000 }, () => {
  const context = suiteCleanups();
  after(() => context.run());
  before(async () => {
    cluster = await startTestCluster(context);
    await createNamespace(cluster.client, ns);
    await putSecret(cluster.client, ns, 'jwt', { key: testJwtKey });
    // The database is never reachable here; its check is off so that recovery ends in AsExpected.
    operator = await startTestOperator(context, testOperatorConfig(cluster, { databaseProbe: false }));
  });

  test('gives Degraded with reason SecretNotFound, and no Deployment', async () => {
    await cluster.client.create(collectionPath(resourceTypes.electricSync, ns), electricSyncManifest('app', ns, {}) as KubeObject);
    const es = await eventually('the status says why', async () => {
      const current = await getElectricSync(cluster.client, ns, 'app');
      return conditionOf(current, 'Degraded')?.status === 'True' ? current : undefined;
    });
    assert.equal(es.status?.phase, 'Degraded');
    assert.equal(conditionOf(es, 'Degraded')?.reason, 'SecretNotFound');
    assert.match(conditionOf(es, 'Degraded')?.message ?? '', /Secret "db" \(spec\.database\.urlSecretRef, the runtime's DATABASE_URL\) not found in namespace "missing"/);
    assert.equal(conditionOf(es, 'Ready')?.reason, 'SecretNotFound');
    assert.equal(await getOrUndefined(cluster.client, objectPath(resourceTypes.deployment, ns, 'app')), undefined);
    // The rest is in place, so that the publisher host is known and resolvable already.
    assert.ok(await getOrUndefined(cluster.client, objectPath(resourceTypes.service, ns, 'app-publisher')));
    const events = await eventsFor(cluster.client, ns, 'app');
    assert.ok(events.some((e) => e.type === 'Warning' && e.reason === 'SecretNotFound'), JSON.stringify(events));
  });

  test('keeps reconciling without crashing or spinning', async () => {
    const before = await operator.metrics.totalReconciles();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const during = (await operator.metrics.totalReconciles()) - before;
    assert.ok(during <= 2, `${during} reconciles in 2 s while waiting for the Secret`);
    assert.equal((await operator.metrics.reconcileErrors.get()).values[0]?.value ?? 0, 0);
  });

  test('recovers as soon as the Secret appears', async () => {
    await putSecret(cluster.client, ns, 'db', { url: 'postgresql://electric@db.example:5432/app' });
    const deployment = await eventually('the Deployment is created', () => getOrUndefined<Deployment>(cluster.client, objectPath(resourceTypes.deployment, ns, 'app')), { timeoutMs: 10_000 });
    assert.equal(deployment.spec?.replicas, 1);
    const es = await eventually('Degraded clears', async () => {
      const current = await getElectricSync(cluster.client, ns, 'app');
      return conditionOf(current, 'Degraded')?.status === 'False' ? current : undefined;
    });
    assert.equal(conditionOf(es, 'Degraded')?.reason, 'AsExpected');
    assert.equal(es.status?.phase, 'Progressing');
    const events = await eventsFor(cluster.client, ns, 'app');
    assert.ok(events.some((e) => e.reason === 'Recovered'), JSON.stringify(events));
  });

  test('a missing key in an existing Secret gives SecretKeyNotFound', async () => {
    await cluster.client.create(
      collectionPath(resourceTypes.electricSync, ns),
      electricSyncManifest('keyless', ns, { database: { urlSecretRef: { name: 'db', key: 'dsn' } } }) as KubeObject,
    );
    const es = await eventually('the status says why', async () => {
      const current = await getElectricSync(cluster.client, ns, 'keyless');
      return conditionOf(current, 'Degraded')?.status === 'True' ? current : undefined;
    });
    assert.equal(conditionOf(es, 'Degraded')?.reason, 'SecretKeyNotFound');
    assert.match(conditionOf(es, 'Degraded')?.message ?? '', /Secret "db" has no key "dsn"/);
  });
});
