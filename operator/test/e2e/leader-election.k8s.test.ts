// Two operator replicas against one API server: exactly one holds the Lease and reconciles; when it stops, the other
// takes over and reconciles what changed meanwhile.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { collectionPath, objectPath, resourceTypes } from '../../src/k8s/resources.ts';
import type { KubeObject, Lease } from '../../src/k8s/types.ts';
import {
  createNamespace,
  eventually,
  getElectricSync,
  putSecret,
  startTestCluster,
  startTestOperator,
  suiteCleanups,
  testOperatorConfig,
  type TestCluster,
} from '../../src/testing/cluster.ts';
import type { OperatorConfig } from '../../src/config.ts';
import type { RunningOperator } from '../../src/operator.ts';
import { electricSyncManifest, testJwtKey } from '../../src/testing/fixtures.ts';

const ns = 'ha';
let cluster: TestCluster;
let first: RunningOperator;
let second: RunningOperator;
let third: RunningOperator;

function replicaConfig(identity: string): OperatorConfig {
  const base = testOperatorConfig(cluster, { databaseProbe: false });
  return { ...base, leaderElection: { ...base.leaderElection, enabled: true, identity } };
}

const lease = () => cluster.client.get<Lease>(objectPath(resourceTypes.lease, 'default', 'electric-sync-operator'));
const observedGeneration = async (name: string) => (await getElectricSync(cluster.client, ns, name)).status?.observedGeneration;

describe('two operator replicas', { timeout: 180_000 }, () => {
  const context = suiteCleanups();
  after(() => context.run());
  before(async () => {
    cluster = await startTestCluster(context);
    await createNamespace(cluster.client, ns);
    await putSecret(cluster.client, ns, 'db', { url: 'postgresql://electric@db.example/app' });
    await putSecret(cluster.client, ns, 'jwt', { key: testJwtKey });
    first = await startTestOperator(context, replicaConfig('replica-a'));
    await eventually('replica-a leads', async () => first.isLeader());
    second = await startTestOperator(context, replicaConfig('replica-b'));
  });

  test('exactly one reconciles', async () => {
    await cluster.client.create(collectionPath(resourceTypes.electricSync, ns), electricSyncManifest('one', ns, {}) as KubeObject);
    await eventually('the resource is reconciled', async () => (await observedGeneration('one')) === 1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(first.isLeader(), true);
    assert.equal(second.isLeader(), false);
    assert.equal((await lease()).spec?.holderIdentity, 'replica-a');
    assert.ok((await first.metrics.totalReconciles()) >= 1);
    assert.equal(await second.metrics.totalReconciles(), 0, 'the standby never reconciles');
    assert.equal(second.controller.running, false);
    // The standby only reads the Lease: no list, watch or write.
    const standbyVerbs = (await second.metrics.apiRequests.get()).values.map((v) => v.labels.verb);
    assert.deepEqual([...new Set(standbyVerbs)], ['GET']);
  });

  test('the other takes over when the leader stops', async () => {
    await first.stop();
    await eventually('replica-b leads', async () => second.isLeader(), { timeoutMs: 10_000 });
    assert.equal((await lease()).spec?.holderIdentity, 'replica-b');
    assert.ok(((await lease()).spec?.leaseTransitions ?? 0) >= 1);
    await cluster.client.create(collectionPath(resourceTypes.electricSync, ns), electricSyncManifest('two', ns, {}) as KubeObject);
    await cluster.client.mergePatch(objectPath(resourceTypes.electricSync, ns, 'one'), { spec: { logLevel: 'debug' } }, 'tests');
    await eventually('the new leader reconciles both', async () => (await observedGeneration('two')) === 1 && (await observedGeneration('one')) === 2);
    assert.ok((await second.metrics.totalReconciles()) >= 2);
  });

  test('when the leader dies without releasing the Lease, a standby takes over once it expires', async () => {
    third = await startTestOperator(context, replicaConfig('replica-c'));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(third.isLeader(), false);
    const died = Date.now();
    await second.stop({ releaseLease: false });
    assert.equal((await lease()).spec?.holderIdentity, 'replica-b', 'the Lease still names the dead leader');
    await eventually('replica-c leads', async () => third.isLeader(), { timeoutMs: 15_000 });
    const tookMs = Date.now() - died;
    // The Lease lasts 4 s in these tests: no takeover before it expires, and soon after.
    assert.ok(tookMs >= 3_500 && tookMs < 8_000, `took ${tookMs} ms`);
    await cluster.client.mergePatch(objectPath(resourceTypes.electricSync, ns, 'two'), { spec: { logLevel: 'debug' } }, 'tests');
    await eventually('the new leader reconciles', async () => (await observedGeneration('two')) === 2);
  });
});
