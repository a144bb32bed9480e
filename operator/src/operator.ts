// Wires one operator instance together: API client, metrics, health endpoint, leader election, the controller. Used
// by main.ts (the process) and by tests and benchmarks (several instances in one process).
import type { Logger } from '../../runtime/src/logging/logger.ts';
import type { OperatorConfig } from './config.ts';
import { DatabaseHealthChecker, ElectricSyncController } from './controller/index.ts';
import { startHealthServer, type Check, type HealthServer } from './http/index.ts';
import { EventRecorder } from './k8s/events.ts';
import { LeaderElector } from './k8s/leader-election.ts';
import { KubeClient, loadKubeConfig } from './k8s/rest-client.ts';
import { OperatorMetrics } from './metrics.ts';

export const fieldManager = 'electric-sync-operator';
export const finalizerName = 'electric-sync.dev/cleanup';

export interface RunningOperator {
  readonly metrics: OperatorMetrics;
  readonly controller: ElectricSyncController;
  readonly elector: LeaderElector | undefined;
  readonly http: HealthServer | undefined;
  readonly client: KubeClient;
  /** Resolves when the operator has stopped: 'stopped' after stop(), 'lost' when it lost leadership. */
  readonly done: Promise<'stopped' | 'lost'>;
  /** Stops; `releaseLease: false` keeps the Lease until it expires, as a crash would (for tests). */
  stop(options?: { releaseLease?: boolean }): Promise<void>;
  isLeader(): boolean;
}

export async function startOperator(
  config: OperatorConfig,
  logger: Logger,
  options: { withHttp?: boolean; defaultMetrics?: boolean } = {},
): Promise<RunningOperator> {
  const metrics = new OperatorMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  const client = new KubeClient(loadKubeConfig(config.kubeconfig), { onRequest: metrics.observeRequest });
  const le = config.leaderElection;
  const recorder = new EventRecorder({ client, component: 'electric-sync-operator', instance: le.identity, logger, fieldManager });
  const controller = new ElectricSyncController({
    client,
    logger: logger.child('controller'),
    recorder,
    metrics,
    databaseHealth: new DatabaseHealthChecker({ enabled: config.databaseProbe }),
    settings: {
      fieldManager,
      finalizer: finalizerName,
      clusterDomain: config.clusterDomain,
      defaultImage: config.runtimeImage,
      podStopTimeoutMs: 120_000,
      prerequisiteRetryMs: 30_000,
    },
    scope: config.scope,
    workers: config.workers,
    resyncPeriodMs: config.resyncPeriodMs,
    informer: { relistIntervalMs: config.relistIntervalMs, watchdogMs: config.watchdogMs },
  });
  const elector = le.enabled
    ? new LeaderElector({
        client,
        namespace: le.namespace,
        name: le.name,
        identity: le.identity,
        fieldManager,
        logger: logger.child('leader-election'),
        leaseDurationMs: le.leaseDurationMs,
        renewDeadlineMs: le.renewDeadlineMs,
        retryPeriodMs: le.retryPeriodMs,
      })
    : undefined;

  const stopping = new AbortController();
  let releaseLease = true;
  const isLeader = () => (elector ? elector.isLeader : !stopping.signal.aborted);
  const healthz = (): Check => {
    // A watch silent far beyond the watchdog means the informer loop itself is stuck: let the kubelet restart us.
    const silence = controller.running ? controller.maxWatchSilenceMs() : 0;
    if (silence > 3 * config.watchdogMs) return { ok: false, detail: `a watch has been silent for ${Math.round(silence / 1000)}s` };
    return { ok: true, detail: isLeader() ? 'leader' : 'standby' };
  };
  const readyz = (): Check => {
    if (stopping.signal.aborted) return { ok: false, detail: 'shutting down' };
    if (isLeader() && !controller.hasSynced()) return { ok: false, detail: 'leader, caches not synced yet' };
    return { ok: true, detail: isLeader() ? 'leader, reconciling' : 'standby' };
  };
  const http = options.withHttp === false ? undefined : await startHealthServer({ ...config.http, registry: metrics.registry, healthz, readyz });

  const done = (async (): Promise<'stopped' | 'lost'> => {
    if (!elector) {
      metrics.leader.set(1);
      await controller.run(stopping.signal);
      return 'stopped';
    }
    return elector.run(
      stopping.signal,
      async (leadership) => {
        metrics.leader.set(1);
        try {
          await controller.run(leadership);
        } finally {
          metrics.leader.set(0);
        }
      },
      { releaseOnStop: () => releaseLease },
    );
  })();

  return {
    metrics,
    controller,
    elector,
    http,
    client,
    done,
    isLeader,
    async stop(options = {}) {
      releaseLease = options.releaseLease ?? true;
      stopping.abort();
      await done;
      await http?.close();
    },
  };
}
