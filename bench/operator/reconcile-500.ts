// Benchmark: N ElectricSync resources (default 500) on a real API server. Measures
//   1. cold start: time from starting the operator until every resource is reconciled (status written for its
//      generation, Deployment applied), with the reconcile rate and the API requests it took;
//   2. at rest: the operator's API request rate once everything is reconciled, by verb (the operator's own counters),
//      and the API server's total request rate with and without the operator (its apiserver_request_total), so the
//      baseline is measured in the same run.
//
//   node bench/operator/reconcile-500.ts [--count 500] [--workers 4] [--rest-seconds 60] [--db-probe true]
//                                        [--leader-elect true] [--namespaces 10]
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startThrowawayPostgres } from '../../local-postgres/index.ts';
import { startKubeControlPlane } from '../../test/support/kube-control-plane.ts';
import type { ElectricSync } from '../../operator/src/api/v1alpha1/index.ts';
import { collectionPath, resourceTypes } from '../../operator/src/k8s/resources.ts';
import { KubeClient, loadKubeConfig } from '../../operator/src/k8s/rest-client.ts';
import type { KubeObject } from '../../operator/src/k8s/types.ts';
import { createNamespace, installCrd, putSecret, testLogger, testOperatorConfig } from '../../operator/src/testing/cluster.ts';
import { electricSyncManifest, testJwtKey } from '../../operator/src/testing/fixtures.ts';
import { startOperator } from '../../operator/src/operator.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '500' },
    workers: { type: 'string', default: '4' },
    'rest-seconds': { type: 'string', default: '60' },
    'db-probe': { type: 'string', default: 'true' },
    'leader-elect': { type: 'string', default: 'true' },
    namespaces: { type: 'string', default: '10' },
  },
});
const count = Number(values.count);
const workers = Number(values.workers);
const restSeconds = Number(values['rest-seconds']);
const dbProbe = values['db-probe'] === 'true';
const leaderElect = values['leader-elect'] === 'true';
const namespaceCount = Number(values.namespaces);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Sum of apiserver_request_total over every label set (all verbs, resources, codes and clients). */
async function apiServerRequests(client: KubeClient): Promise<number> {
  const text = await client.getText('/metrics');
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('apiserver_request_total{')) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

async function restRate(client: KubeClient, seconds: number): Promise<number> {
  const before = await apiServerRequests(client);
  await sleep(seconds * 1000);
  const after = await apiServerRequests(client);
  // Our own two /metrics reads are requests too; leave them out.
  return (after - before - 1) / seconds;
}

// Two Services per resource: the test control plane's default /24 Service range holds only ~250.
const controlPlane = await startKubeControlPlane({ apiServerArgs: ['--service-cluster-ip-range=10.96.0.0/16'] });
const postgres = dbProbe ? await startThrowawayPostgres() : undefined;
const client = new KubeClient(loadKubeConfig(controlPlane.kubeconfigPath), { userAgent: 'electric-sync-bench' });
try {
  await installCrd(client);
  let databaseUrl = 'postgresql://electric@db.invalid:5432/app';
  if (postgres) {
    const admin = new pg.Client({ connectionString: postgres.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE app');
    await admin.end();
    databaseUrl = postgres.url('app');
  }
  const namespaces = Array.from({ length: namespaceCount }, (_, i) => `bench-${i}`);
  for (const ns of namespaces) {
    await createNamespace(client, ns);
    await putSecret(client, ns, 'db', { url: databaseUrl });
    await putSecret(client, ns, 'jwt', { key: testJwtKey });
  }
  log(`creating ${count} ElectricSync resources in ${namespaceCount} namespaces`);
  const created = Date.now();
  for (let i = 0; i < count; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, count - i) }, (_, j) => {
        const ns = namespaces[(i + j) % namespaceCount] as string;
        return client.create(collectionPath(resourceTypes.electricSync, ns), electricSyncManifest(`es-${i + j}`, ns, {}) as KubeObject);
      }),
    );
  }
  log(`created in ${((Date.now() - created) / 1000).toFixed(1)} s`);

  log(`API server at rest without the operator: measuring for ${Math.min(restSeconds, 30)} s`);
  const baselineRate = await restRate(client, Math.min(restSeconds, 30));

  const config = testOperatorConfig({ controlPlane, client }, { workers, databaseProbe: dbProbe, logLevel: 'warning' });
  const operatorConfig = { ...config, leaderElection: { ...config.leaderElection, enabled: leaderElect, leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 } };
  const cpuBefore = process.cpuUsage();
  const started = Date.now();
  const operator = await startOperator(operatorConfig, testLogger('warning'), { withHttp: false, defaultMetrics: false });
  let reconciledAt = 0;
  let lastProgress = 0;
  for (;;) {
    const done = operator.controller.caches.electricSyncs
      .list()
      .filter((es: ElectricSync) => es.status?.observedGeneration === es.metadata.generation && es.status?.configChecksum).length;
    const deployments = operator.controller.caches.deployments.size;
    if (done >= count && deployments >= count) {
      reconciledAt = Date.now();
      break;
    }
    if (Date.now() - lastProgress > 10_000) {
      log(`${done}/${count} reconciled, ${deployments} Deployments, queue ${operator.controller.queue.depth}`);
      lastProgress = Date.now();
    }
    if (Date.now() - started > 15 * 60_000) throw new Error('not reconciled within 15 minutes');
    await sleep(100);
  }
  const coldSeconds = (reconciledAt - started) / 1000;
  const coldRequests = await operator.metrics.totalApiRequests();
  const coldReconciles = await operator.metrics.totalReconciles();
  const cpu = process.cpuUsage(cpuBefore);
  log(`all ${count} reconciled in ${coldSeconds.toFixed(1)} s`);

  // Let the tail (requeues, the Events and status echoes of the last writes) settle before measuring rest.
  while (operator.controller.queue.depth > 0 || operator.controller.queue.processingCount > 0) await sleep(200);
  await sleep(10_000);
  log(`at rest with the operator: measuring for ${restSeconds} s`);
  const operatorBefore = (await operator.metrics.apiRequests.get()).values.map((v) => ({ ...v }));
  const reconcilesBefore = await operator.metrics.totalReconciles();
  const withOperatorRate = await restRate(client, restSeconds);
  const operatorAfter = (await operator.metrics.apiRequests.get()).values;
  const byVerb = new Map<string, number>();
  for (const v of operatorAfter) {
    const was = operatorBefore.find((b) => b.labels.verb === v.labels.verb && b.labels.code === v.labels.code)?.value ?? 0;
    byVerb.set(String(v.labels.verb), (byVerb.get(String(v.labels.verb)) ?? 0) + v.value - was);
  }
  const restReconciles = (await operator.metrics.totalReconciles()) - reconcilesBefore;
  const operatorRestTotal = [...byVerb.values()].reduce((a, b) => a + b, 0);
  const memory = process.memoryUsage();
  await operator.stop();

  const result = {
    count,
    workers,
    namespaces: namespaceCount,
    databaseProbe: dbProbe,
    leaderElection: leaderElect,
    coldStart: {
      seconds: Number(coldSeconds.toFixed(2)),
      reconcilesPerSecond: Number((count / coldSeconds).toFixed(1)),
      reconciles: coldReconciles,
      apiRequests: coldRequests,
      apiRequestsPerResource: Number((coldRequests / count).toFixed(2)),
      benchProcessCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
    },
    atRest: {
      windowSeconds: restSeconds,
      operatorRequestsPerSecond: Number((operatorRestTotal / restSeconds).toFixed(3)),
      operatorRequestsByVerb: Object.fromEntries([...byVerb].filter(([, n]) => n > 0)),
      reconcilesInWindow: restReconciles,
      apiServerRequestsPerSecondWithoutOperator: Number(baselineRate.toFixed(3)),
      apiServerRequestsPerSecondWithOperator: Number(withOperatorRate.toFixed(3)),
    },
    processRssMiB: Math.round(memory.rss / 2 ** 20),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await controlPlane.stop();
  await postgres?.stop();
}
