// The operator runs with exactly the permissions the Helm chart grants (operator/src/rbac.ts, from which the chart's
// rules are generated), as a ServiceAccount watching one namespace through a Role: the full life of a resource,
// including leader election, the NetworkPolicy and deletion with cleanup, gets no 403.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HttpMethod } from '@kubernetes/client-node';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../../../test/support/postgres.ts';
import { isNotFound } from '../../src/k8s/errors.ts';
import { collectionPath, objectPath, resourceTypes } from '../../src/k8s/resources.ts';
import type { KubeObject } from '../../src/k8s/types.ts';
import type { RunningOperator } from '../../src/operator.ts';
import { leaderElectionRules, operatorRules, toKubeRules } from '../../src/rbac.ts';
import {
  conditionOf,
  createNamespace,
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

const system = 'electric-system';
const ns = 'app';
let cluster: TestCluster;
let postgres: TestPostgres;
let operator: RunningOperator;

const rbac = '/apis/rbac.authorization.k8s.io/v1';

async function serviceAccountKubeconfig(): Promise<string> {
  const { client } = cluster;
  await client.create(`/api/v1/namespaces/${system}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'operator' } });
  const subject = [{ kind: 'ServiceAccount', name: 'operator', namespace: system }];
  await client.create(`${rbac}/namespaces/${ns}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'electric-sync' }, rules: toKubeRules(operatorRules) } as KubeObject);
  await client.create(`${rbac}/namespaces/${ns}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'electric-sync' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'electric-sync' },
    subjects: subject,
  } as KubeObject);
  await client.create(`${rbac}/namespaces/${system}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'leader' }, rules: toKubeRules(leaderElectionRules) } as KubeObject);
  await client.create(`${rbac}/namespaces/${system}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'leader' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'leader' },
    subjects: subject,
  } as KubeObject);
  const request = await client.request<{ status: { token: string } }>(HttpMethod.POST, `/api/v1/namespaces/${system}/serviceaccounts/operator/token`, {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  });
  const dir = mkdtempSync(join(tmpdir(), 'operator-sa-'));
  const path = join(dir, 'kubeconfig');
  const ca = Buffer.from(cluster.controlPlane.caPem).toString('base64');
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${cluster.controlPlane.server}\n    certificate-authority-data: ${ca}\n` +
      `users:\n- name: operator\n  user:\n    token: ${request.status.token}\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: operator\ncurrent-context: c\n`,
    { mode: 0o600 },
  );
  return path;
}

async function forbidden(): Promise<number> {
  return (await operator.metrics.apiRequests.get()).values.filter((v) => v.labels.code === '403').reduce((sum, v) => sum + v.value, 0);
}

describe('the operator with the chart’s RBAC only', { timeout: 180_000 }, () => {
  const context = suiteCleanups();
  after(() => context.run());
  before(async () => {
    [cluster, postgres] = await Promise.all([startTestCluster(context), startTestPostgres(context)]);
    await createNamespace(cluster.client, system);
    await createNamespace(cluster.client, ns);
    const admin = new pg.Client({ connectionString: postgres.url() });
    admin.on('error', () => {});
    await admin.connect();
    await admin.query('CREATE DATABASE app');
    await admin.end();
    await putSecret(cluster.client, ns, 'db', { url: postgres.url('app') });
    await putSecret(cluster.client, ns, 'jwt', { key: testJwtKey });
    const base = testOperatorConfig(cluster, { kubeconfig: await serviceAccountKubeconfig(), scope: { kind: 'namespaces', namespaces: [ns] } });
    operator = await startTestOperator(context, { ...base, leaderElection: { ...base.leaderElection, enabled: true, namespace: system } });
    await eventually('it leads', async () => operator.isLeader() && operator.controller.hasSynced());
  });

  test('creates, updates (with a NetworkPolicy) and deletes with cleanup, without a single 403', async () => {
    await cluster.client.create(collectionPath(resourceTypes.electricSync, ns), electricSyncManifest('app', ns, { networkPolicy: { enabled: true } }) as KubeObject);
    const es = await eventually('reconciled', async () => {
      const current = await getElectricSync(cluster.client, ns, 'app');
      return current.status?.observedGeneration === 1 ? current : undefined;
    });
    assert.equal(conditionOf(es, 'Degraded')?.status, 'False', JSON.stringify(es.status));
    assert.ok(await getOrUndefined(cluster.client, objectPath(resourceTypes.networkPolicy, ns, 'app')));

    await cluster.client.mergePatch(objectPath(resourceTypes.electricSync, ns, 'app'), { spec: { networkPolicy: { enabled: false } } }, 'tests');
    await eventually('the NetworkPolicy goes', async () => !(await getOrUndefined(cluster.client, objectPath(resourceTypes.networkPolicy, ns, 'app'))));

    await cluster.client.delete(objectPath(resourceTypes.electricSync, ns, 'app'));
    await eventually('the resource is gone after cleanup', async () => {
      try {
        await getElectricSync(cluster.client, ns, 'app');
        return false;
      } catch (error) {
        return isNotFound(error);
      }
    });
    assert.equal(await forbidden(), 0);
  });
});
