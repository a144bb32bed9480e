// The life of one ElectricSync on a real API server with kube-controller-manager (garbage collection, Deployment →
// ReplicaSet) and a real PostgreSQL: creation with the right environment, rollouts on spec and Secret changes, and
// deletion that cleans up the database before the resource and its children go.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../../../test/support/postgres.ts';
import { isNotFound } from '../../src/k8s/errors.ts';
import { collectionPath, objectPath, resourceTypes } from '../../src/k8s/resources.ts';
import type { Deployment, KubeObject, Secret, Service } from '../../src/k8s/types.ts';
import { replicationSlotName } from '../../src/postgres/index.ts';
import { annotationKeys } from '../../src/specs/index.ts';
import {
  conditionOf,
  createNamespace,
  decodeData,
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
import { electricSyncManifest, testJwtKey } from '../../src/testing/fixtures.ts';

const ns = 'shop';
const name = 'orders';
let cluster: TestCluster;
let postgres: TestPostgres;

const path = (type: (typeof resourceTypes)[keyof typeof resourceTypes], objectName: string) => objectPath(type, ns, objectName);
const deploymentOf = () => cluster.client.get<Deployment>(path(resourceTypes.deployment, name));
const checksumOf = (d: Deployment) => d.spec?.template.metadata?.annotations?.[annotationKeys.configChecksum];
type ReplicaSet = KubeObject & { spec?: { replicas?: number } };
const replicaSets = async () =>
  (await cluster.client.list<ReplicaSet>(`/apis/apps/v1/namespaces/${ns}/replicasets`, { labelSelector: `app.kubernetes.io/instance=${name}` })).items;

/** What a running runtime leaves in its database: a publication, its replication slot, and Postgres's subscription. */
async function createRuntimeObjects(database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgres.url() });
  admin.on('error', () => {});
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const client = new pg.Client({ connectionString: postgres.url(database) });
  client.on('error', () => {});
  await client.connect();
  await client.query('CREATE SCHEMA electric');
  await client.query('CREATE PUBLICATION electric_publication');
  await client.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [replicationSlotName(database)]);
  await client.query("CREATE SUBSCRIPTION postgres_1 CONNECTION 'host=orders-publisher.shop.svc.cluster.local port=5433 dbname=app' PUBLICATION p WITH (connect = false)");
  await client.end();
}

async function runtimeObjectsLeft(database: string) {
  const client = new pg.Client({ connectionString: postgres.url(database) });
  client.on('error', () => {});
  await client.connect();
  try {
    const count = async (sql: string, params: unknown[] = []) => (await client.query(sql, params)).rowCount ?? 0;
    return {
      subscription: await count("SELECT 1 FROM pg_subscription WHERE subname = 'postgres_1'"),
      slot: await count('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [replicationSlotName(database)]),
      publication: await count("SELECT 1 FROM pg_publication WHERE pubname = 'electric_publication'"),
      electricSchema: await count("SELECT 1 FROM pg_namespace WHERE nspname = 'electric'"),
    };
  } finally {
    await client.end();
  }
}

describe('an ElectricSync on a real cluster', { timeout: 300_000 }, () => {
  const context = suiteCleanups();
  after(() => context.run());
  before(async () => {
    [cluster, postgres] = await Promise.all([
      startTestCluster(context, { withControllerManager: true }),
      startTestPostgres(context),
    ]);
    await createNamespace(cluster.client, ns);
    await createRuntimeObjects('app');
    await putSecret(cluster.client, ns, 'db', { url: postgres.url('app') });
    await putSecret(cluster.client, ns, 'jwt', { key: testJwtKey });
    await startTestOperator(context, testOperatorConfig(cluster, { scope: { kind: 'namespaces', namespaces: [ns] } }));
  });

  test('applying it creates the Secrets, both Services and the Deployment, with the runtime environment', async () => {
    await cluster.client.create(collectionPath(resourceTypes.electricSync, ns), electricSyncManifest(name, ns, { logLevel: 'info' }) as KubeObject);
    const deployment = await eventually('the Deployment exists', () => getOrUndefined<Deployment>(cluster.client, path(resourceTypes.deployment, name)));
    const publisher = await cluster.client.get<Service>(path(resourceTypes.service, `${name}-publisher`));
    const http = await cluster.client.get<Service>(path(resourceTypes.service, name));
    const env = decodeData(await cluster.client.get<Secret>(path(resourceTypes.secret, `${name}-env`)));
    const auth = decodeData(await cluster.client.get<Secret>(path(resourceTypes.secret, `${name}-publisher-auth`)));

    assert.equal(env.LOGICAL_PUBLISHER_HOST, `${publisher.metadata?.name}.${ns}.svc.cluster.local`);
    assert.equal(env.LOGICAL_PUBLISHER_PORT, '5433');
    assert.equal(env.HTTP_PORT, '5133');
    assert.equal(env.AUTH_MODE, 'secure');
    assert.equal(env.AUTH_JWT_ALG, 'HS256');
    assert.equal(env.DATABASE_URL, undefined, 'the database URL stays in the user’s Secret');
    assert.match(auth.password ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(publisher.spec?.ports?.map((p) => p.port), [5433]);
    assert.deepEqual(http.spec?.ports?.map((p) => p.port), [5133]);

    const container = deployment.spec?.template.spec.containers[0];
    assert.equal(deployment.spec?.replicas, 1);
    assert.equal(deployment.spec?.strategy?.type, 'Recreate');
    assert.deepEqual(container?.readinessProbe?.httpGet, { path: '/api/status', port: 'http', scheme: 'HTTP' });
    assert.equal(container?.securityContext?.readOnlyRootFilesystem, true);
    assert.deepEqual(container?.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef, { name: 'db', key: 'url' });
    for (const child of [deployment, publisher, http]) {
      assert.equal(child.metadata?.ownerReferences?.[0]?.kind, 'ElectricSync');
      assert.equal(child.metadata?.ownerReferences?.[0]?.controller, true);
    }

    const es = await eventually('the status is written', async () => {
      const current = await getElectricSync(cluster.client, ns, name);
      return current.status?.observedGeneration === 1 ? current : undefined;
    });
    assert.equal(es.status?.publisherHost, env.LOGICAL_PUBLISHER_HOST);
    assert.equal(es.status?.clientUrl, `http://${name}.${ns}.svc.cluster.local:5133`);
    assert.deepEqual(es.metadata.finalizers, ['electric-sync.dev/cleanup']);
    // No kubelet here: the pod never becomes ready, so the resource is rolling out, and the database answers.
    assert.equal(conditionOf(es, 'Progressing')?.status, 'True');
    assert.equal(conditionOf(es, 'Degraded')?.status, 'False');
    assert.equal(es.status?.phase, 'Progressing');
    assert.ok((await replicaSets()).length >= 1, 'the Deployment controller made a ReplicaSet');
    const reasons = (await eventsFor(cluster.client, ns, name)).map((e) => e.reason);
    assert.ok(reasons.includes('Created'), `events: ${reasons.join(', ')}`);
  });

  test('a spec change rolls the Deployment', async () => {
    const before = await deploymentOf();
    await cluster.client.mergePatch(path(resourceTypes.electricSync, name), { spec: { logLevel: 'debug' } }, 'tests');
    const after = await eventually('the pod template changes', async () => {
      const d = await deploymentOf();
      return checksumOf(d) !== checksumOf(before) ? d : undefined;
    });
    assert.ok((after.metadata?.generation ?? 0) > (before.metadata?.generation ?? 0));
    assert.equal(decodeData(await cluster.client.get<Secret>(path(resourceTypes.secret, `${name}-env`))).LOG_LEVEL, 'debug');
    await eventually('a second ReplicaSet replaces the first', async () => (await replicaSets()).length >= 2);
    const es = await eventually('the status observes generation 2', async () => {
      const current = await getElectricSync(cluster.client, ns, name);
      return current.status?.observedGeneration === 2 ? current : undefined;
    });
    assert.equal(es.status?.configChecksum, checksumOf(after));
  });

  test('a change to a referenced Secret rolls the Deployment', async () => {
    const before = await deploymentOf();
    const replicaSetsBefore = (await replicaSets()).length;
    await putSecret(cluster.client, ns, 'jwt', { key: `${testJwtKey}-rotated` });
    await eventually('the checksum changes', async () => checksumOf(await deploymentOf()) !== checksumOf(before));
    await eventually('a new ReplicaSet rolls out', async () => (await replicaSets()).length > replicaSetsBefore);
    const reasons = (await eventsFor(cluster.client, ns, name)).map((e) => e.reason);
    assert.ok(reasons.includes('RollingOut'), `events: ${reasons.join(', ')}`);
  });

  test('a manual change to a child is reverted', async () => {
    await cluster.client.mergePatch(path(resourceTypes.deployment, name), { spec: { replicas: 3 } }, 'kubectl-edit');
    await eventually('the operator restores one replica', async () => (await deploymentOf()).spec?.replicas === 1);
  });

  test('deleting it drops the subscription, slot and publication, then the resource and its children go', async () => {
    assert.deepEqual(await runtimeObjectsLeft('app'), { subscription: 1, slot: 1, publication: 1, electricSchema: 1 });
    await cluster.client.delete(path(resourceTypes.electricSync, name));
    await eventually('the resource is gone', async () => {
      try {
        await getElectricSync(cluster.client, ns, name);
        return false;
      } catch (error) {
        return isNotFound(error);
      }
    }, { timeoutMs: 60_000 });
    assert.deepEqual(await runtimeObjectsLeft('app'), { subscription: 0, slot: 0, publication: 0, electricSchema: 1 });
    await eventually('the garbage collector removes the children', async () => {
      const left = await Promise.all([
        getOrUndefined(cluster.client, path(resourceTypes.deployment, name)),
        getOrUndefined(cluster.client, path(resourceTypes.service, name)),
        getOrUndefined(cluster.client, path(resourceTypes.service, `${name}-publisher`)),
        getOrUndefined(cluster.client, path(resourceTypes.secret, `${name}-env`)),
        getOrUndefined(cluster.client, path(resourceTypes.secret, `${name}-publisher-auth`)),
      ]);
      return left.every((object) => object === undefined);
    // The garbage collector finds a CRD created after it started only at its next discovery (every 30 s).
    }, { timeoutMs: 90_000 });
    const reasons = (await eventsFor(cluster.client, ns, name)).map((e) => `${e.reason}: ${e.message}`);
    assert.ok(
      reasons.some((r) => r.startsWith('CleanupCompleted: dropped subscription postgres_1, replication slot electric_replication_out_app, publication electric_publication')),
      reasons.join('\n'),
    );
    assert.deepEqual(await replicaSets(), []);
  });
});
