// Test support for the operator against a real API server (test/support/kube-control-plane.ts): install the CRD,
// make namespaces and Secrets, run operator instances in this process, and wait for conditions. Imported only by
// *.k8s.test.ts files and benchmarks.
import { createLogger, type Logger } from '../../../runtime/src/logging/logger.ts';
import { startKubeControlPlane, type KubeControlPlane, type KubeControlPlaneOptions } from '../../../test/support/kube-control-plane.ts';
import { buildElectricSyncCrd, crdName } from '../api/v1alpha1/index.ts';
import type { OperatorConfig } from '../config.ts';
import { isAlreadyExists, isNotFound } from '../k8s/errors.ts';
import { collectionPath, objectPath, resourceTypes } from '../k8s/resources.ts';
import { KubeClient, loadKubeConfig } from '../k8s/rest-client.ts';
import type { KubeObject, Secret } from '../k8s/types.ts';
import { startOperator, type RunningOperator } from '../operator.ts';
import { newTestSecret } from './fixtures.ts';

export interface TestCluster {
  readonly controlPlane: KubeControlPlane;
  readonly client: KubeClient;
}

interface HasAfter {
  after(fn: () => unknown): void;
}

/** Starts a control plane for a test or suite, with the ElectricSync CRD installed and established. */
export async function startTestCluster(context: HasAfter, options: KubeControlPlaneOptions = {}): Promise<TestCluster> {
  const controlPlane = await startKubeControlPlane(options);
  context.after(() => controlPlane.stop());
  const client = new KubeClient(loadKubeConfig(controlPlane.kubeconfigPath));
  await installCrd(client);
  return { controlPlane, client };
}

export async function installCrd(client: KubeClient): Promise<void> {
  const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crdName}`;
  await client.apply(path, buildElectricSyncCrd() as KubeObject, 'electric-sync-tests');
  await eventually('the CRD is established', async () => {
    const crd = await client.get<KubeObject & { status?: { conditions?: { type: string; status: string }[] } }>(path);
    return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
  });
  // Discovery of a new group lags establishment a little: wait until a list answers.
  await eventually('the ElectricSync API is served', async () => {
    await client.list(collectionPath(resourceTypes.electricSync, 'default'));
    return true;
  });
}

export async function createNamespace(client: KubeClient, name: string): Promise<void> {
  try {
    await client.create(collectionPath(resourceTypes.namespace), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
}

export async function putSecret(client: KubeClient, namespace: string, name: string, data: Record<string, string>): Promise<Secret> {
  return client.apply(objectPath(resourceTypes.secret, namespace, name), newTestSecret(name, namespace, data), 'electric-sync-tests');
}

export async function getOrUndefined<T extends KubeObject>(client: KubeClient, path: string): Promise<T | undefined> {
  try {
    return await client.get<T>(path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Polls `check` until it returns a truthy value (returned) or the time is up (throws with the last error). */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = undefined;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}${last ? `: ${last instanceof Error ? last.message : String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}

export function testOperatorConfig(cluster: TestCluster, overrides: Partial<OperatorConfig> = {}): OperatorConfig {
  return {
    kubeconfig: cluster.controlPlane.kubeconfigPath,
    scope: { kind: 'all' },
    leaderElection: {
      enabled: false,
      namespace: 'default',
      name: 'electric-sync-operator',
      identity: 'test-operator',
      leaseDurationMs: 4_000,
      renewDeadlineMs: 3_000,
      retryPeriodMs: 500,
    },
    clusterDomain: 'cluster.local',
    runtimeImage: 'electric-sync:test',
    http: { host: '127.0.0.1', port: 0 },
    workers: 4,
    resyncPeriodMs: 60_000,
    relistIntervalMs: 600_000,
    watchdogMs: 150_000,
    databaseProbe: true,
    logLevel: 'warning',
    ...overrides,
  };
}

export function testLogger(level: 'error' | 'warning' | 'info' | 'debug' = process.env.OPERATOR_TEST_LOG === '1' ? 'debug' : 'error'): Logger {
  return createLogger({ level, component: 'operator' });
}

/** Starts an operator in this process, stopped when the test ends. */
export async function startTestOperator(context: HasAfter, config: OperatorConfig, logger = testLogger()): Promise<RunningOperator> {
  const operator = await startOperator(config, logger, { defaultMetrics: false });
  context.after(() => operator.stop());
  return operator;
}

export function getElectricSync(client: KubeClient, namespace: string, name: string) {
  return client.get<import('../api/v1alpha1/index.ts').ElectricSync>(objectPath(resourceTypes.electricSync, namespace, name));
}

export function conditionOf(es: { status?: { conditions?: { type: string; status: string; reason: string; message: string }[] } }, type: string) {
  return es.status?.conditions?.find((c) => c.type === type);
}

export function decodeData(secret: Secret | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

/** Events recorded about one object, oldest first. */
export async function eventsFor(client: KubeClient, namespace: string, name: string) {
  const { items } = await client.list<import('../k8s/types.ts').KubeEvent>(collectionPath(resourceTypes.event, namespace), {
    fieldSelector: `involvedObject.name=${name}`,
  });
  return items.map((e) => ({ type: e.type, reason: e.reason, message: e.message, count: e.count ?? 1 }));
}

/**
 * Cleanups for resources a suite's `before` hook starts: pass the returned object where a context is expected, and
 * call `run` from the suite's `after` hook. They run in reverse order of registration.
 */
export function suiteCleanups(): HasAfter & { run(): Promise<void> } {
  const cleanups: (() => unknown)[] = [];
  return {
    after: (fn) => void cleanups.push(fn),
    async run() {
      for (const fn of cleanups.reverse()) await fn();
    },
  };
}
