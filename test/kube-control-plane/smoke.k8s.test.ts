// Smoke test of the test control plane: a real etcd + kube-apiserver + kube-controller-manager built from Go modules
// (see build.sh). Proves the pieces the operator's tests rely on: CRUD, ownerReference garbage collection,
// Deployment → ReplicaSet → Pod, and namespace deletion.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { kubectl, startKubeControlPlane, type KubeControlPlane } from '../support/kube-control-plane.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitUntil<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await sleep(250);
  }
}

interface ObjectList {
  items: Array<{
    metadata: { name: string; uid: string; ownerReferences?: Array<{ kind: string; name: string; uid: string }> };
  }>;
}

describe('kube-control-plane (etcd + kube-apiserver + kube-controller-manager)', () => {
  let cp: KubeControlPlane;
  const k = (...args: string[]): string => kubectl(cp.kubeconfigPath, args);
  const create = (obj: object): string => kubectl(cp.kubeconfigPath, ['create', '-f', '-', '-o', 'json'], JSON.stringify(obj));
  const exists = (...args: string[]): boolean => k('get', ...args, '--ignore-not-found', '-o', 'name').trim() !== '';

  // A cold build of the binary takes over ten minutes on 2 cores; later runs use the cached binary.
  before(async () => {
    cp = await startKubeControlPlane({ withControllerManager: true });
  }, { timeout: 40 * 60_000 });

  after(async () => {
    if (!cp) return;
    const dir = cp.dir;
    await cp.stop();
    assert.equal(existsSync(dir), false, 'stop() removes the temp dir');
  });

  test('serves the API over TLS with the kubeconfig it wrote', async () => {
    assert.match(cp.server, /^https:\/\/127\.0\.0\.1:\d+$/);
    const version = JSON.parse(k('version', '-o', 'json')) as { serverVersion: { gitVersion: string } };
    assert.match(version.serverVersion.gitVersion, /^v1\.\d+\.\d+/);
    // The static token from --token-auth-file authenticates as an admin in system:masters.
    assert.match(k('auth', 'whoami', '-o', 'jsonpath={.status.userInfo.groups}'), /system:masters/);
  });

  test('creates a namespace', () => {
    create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'smoke' } });
    assert.ok(exists('namespace', 'smoke'));
  });

  test('garbage-collects a ConfigMap whose owner is deleted', async () => {
    const owner = JSON.parse(
      create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace: 'smoke' }, data: { a: '1' } }),
    ) as { metadata: { uid: string } };
    create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'child',
        namespace: 'smoke',
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid }],
      },
      data: { b: '2' },
    });
    assert.ok(exists('configmap', 'child', '-n', 'smoke'));
    k('delete', 'configmap', 'owner', '-n', 'smoke', '--wait=false');
    await waitUntil('child ConfigMap to be garbage-collected', () =>
      exists('configmap', 'child', '-n', 'smoke') ? undefined : true,
    );
  });

  test('a Deployment gets a ReplicaSet and the ReplicaSet a Pod', async () => {
    const labels = { app: 'smoke' };
    const deploy = JSON.parse(
      create({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'smoke' },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          // No kubelet runs, so the image is never pulled.
          template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'example.invalid/web:1' }] } },
        },
      }),
    ) as { metadata: { uid: string } };

    const rs = await waitUntil('a ReplicaSet owned by the Deployment', () => {
      const list = JSON.parse(k('get', 'replicasets', '-n', 'smoke', '-o', 'json')) as ObjectList;
      return list.items.find((i) => i.metadata.ownerReferences?.some((o) => o.uid === deploy.metadata.uid));
    });
    assert.match(rs.metadata.name, /^web-/);

    const pod = await waitUntil('a Pod owned by the ReplicaSet', () => {
      const list = JSON.parse(k('get', 'pods', '-n', 'smoke', '-o', 'json')) as ObjectList;
      return list.items.find((i) => i.metadata.ownerReferences?.some((o) => o.uid === rs.metadata.uid));
    });
    assert.match(pod.metadata.name, /^web-/);
  });

  test('deleting the namespace completes', async () => {
    k('delete', 'namespace', 'smoke', '--wait=false');
    await waitUntil('namespace smoke to be gone', () => (exists('namespace', 'smoke') ? undefined : true), 90_000);
  });
});
