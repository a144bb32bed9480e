// Prometheus metrics of the operator (prom-client), on a registry of its own (never the global one), so two operator
// instances in one process (tests) do not collide.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RestartReason } from './k8s/informer.ts';
import type { RequestInfo } from './k8s/rest-client.ts';

const prefix = 'electric_sync_operator_';

export type ReconcileResult = 'success' | 'requeue' | 'conflict' | 'error';

export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconciles = new Counter({
    name: `${prefix}reconcile_total`,
    help: 'Reconciles of ElectricSync resources, by result.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly reconcileErrors = new Counter({
    name: `${prefix}reconcile_errors_total`,
    help: 'Reconciles that failed and were retried with backoff.',
    registers: [this.registry],
  });
  readonly reconcileDuration = new Histogram({
    name: `${prefix}reconcile_duration_seconds`,
    help: 'Time to reconcile one ElectricSync.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly apiRequests = new Counter({
    name: `${prefix}api_requests_total`,
    help: 'Requests to the Kubernetes API, by verb and HTTP status (0: no response).',
    labelNames: ['verb', 'code'] as const,
    registers: [this.registry],
  });
  readonly apiRequestDuration = new Histogram({
    name: `${prefix}api_request_duration_seconds`,
    help: 'Latency of Kubernetes API requests (for watches: until the stream opened).',
    labelNames: ['verb'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly informerRestarts = new Counter({
    name: `${prefix}informer_restarts_total`,
    help: 'Watch restarts, by resource and reason (closed, watchdog, relist-timer, expired, error).',
    labelNames: ['resource', 'reason'] as const,
    registers: [this.registry],
  });
  readonly informerObjects = new Gauge({
    name: `${prefix}informer_objects`,
    help: 'Objects held in the informer caches, by resource.',
    labelNames: ['resource'] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: `${prefix}workqueue_depth`,
    help: 'ElectricSync keys waiting to be reconciled.',
    registers: [this.registry],
  });
  readonly queueAdds = new Counter({
    name: `${prefix}workqueue_adds_total`,
    help: 'Keys put into the work queue.',
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: `${prefix}leader`,
    help: '1 while this replica holds the leader Lease (or runs without leader election).',
    registers: [this.registry],
  });
  readonly resources = new Gauge({
    name: `${prefix}resources`,
    help: 'ElectricSync resources by status.phase, as last seen.',
    labelNames: ['phase'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix });
  }

  observeRequest = (info: RequestInfo): void => {
    this.apiRequests.inc({ verb: info.verb, code: String(info.code) });
    this.apiRequestDuration.observe({ verb: info.verb }, info.seconds);
  };

  informerRestarted(resource: string, reason: RestartReason): void {
    this.informerRestarts.inc({ resource, reason });
  }

  /** Total API requests so far (all verbs, all codes). */
  async totalApiRequests(): Promise<number> {
    const metric = await this.apiRequests.get();
    return metric.values.reduce((sum, v) => sum + v.value, 0);
  }

  async totalReconciles(): Promise<number> {
    const metric = await this.reconciles.get();
    return metric.values.reduce((sum, v) => sum + v.value, 0);
  }
}
