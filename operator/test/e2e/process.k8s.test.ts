// The operator as a process (`node operator/src/main.ts`, what `electric-sync operator` runs): configured by
// environment variables, serving /readyz and /metrics, reconciling, and on SIGTERM releasing its Lease and exiting 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../../../test/support/kube-control-plane.ts';
import { collectionPath, objectPath, resourceTypes } from '../../src/k8s/resources.ts';
import type { KubeObject, Lease } from '../../src/k8s/types.ts';
import { createNamespace, eventually, getElectricSync, putSecret, startTestCluster, suiteCleanups, type TestCluster } from '../../src/testing/cluster.ts';
import { electricSyncManifest, testJwtKey } from '../../src/testing/fixtures.ts';

const main = join(import.meta.dirname, '../../src/main.ts');
let cluster: TestCluster;

describe('electric-sync operator as a process', { timeout: 120_000 }, () => {
  const context = suiteCleanups();
  after(() => context.run());
  before(async () => {
    cluster = await startTestCluster(context);
    await createNamespace(cluster.client, 'proc');
    await putSecret(cluster.client, 'proc', 'db', { url: 'postgresql://electric@db.invalid/app' });
    await putSecret(cluster.client, 'proc', 'jwt', { key: testJwtKey });
  });

  test('serves /readyz and /metrics, reconciles, and exits 0 on SIGTERM after releasing its Lease', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [main, '--namespaces', 'proc', '--database-probe', 'false'], {
      env: {
        ...process.env,
        KUBECONFIG: cluster.controlPlane.kubeconfigPath,
        ELECTRIC_SYNC_HTTP_ADDRESS: `127.0.0.1:${port}`,
        POD_NAME: 'operator-0',
        POD_NAMESPACE: 'default',
        ELECTRIC_SYNC_LOG_LEVEL: 'warning',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    context.after(() => child.kill('SIGKILL'));
    const get = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: response.status, text: await response.text() };
    };
    // A standby is ready too; wait until this one has the Lease and its caches.
    await eventually('/readyz says it leads and reconciles', async () => {
      const readyz = await get('/readyz');
      return readyz.status === 200 && /leader, reconciling/.test(readyz.text);
    }, { timeoutMs: 20_000 });
    assert.equal((await get('/healthz')).status, 200);

    await cluster.client.create(collectionPath(resourceTypes.electricSync, 'proc'), electricSyncManifest('app', 'proc', {}) as KubeObject);
    await eventually('reconciled', async () => (await getElectricSync(cluster.client, 'proc', 'app')).status?.observedGeneration === 1);
    const metrics = (await get('/metrics')).text;
    assert.match(metrics, /^electric_sync_operator_reconcile_total\{result="success"\} [1-9]/m);
    assert.match(metrics, /^electric_sync_operator_leader 1$/m);
    assert.match(metrics, /^electric_sync_operator_api_requests_total\{verb="PATCH",code="201"\} [1-9]/m);

    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    const lease = await cluster.client.get<Lease>(objectPath(resourceTypes.lease, 'default', 'electric-sync-operator'));
    assert.equal(lease.spec?.holderIdentity, '', 'released, so a standby need not wait for it to expire');
  });
});
