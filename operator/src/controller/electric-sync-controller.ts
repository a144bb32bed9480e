// The ElectricSync controller. Reconcile, in order (each step a named function in a sibling file):
//   1. read the resource from the cache; gone means done (its children go by garbage collection)
//   2. being deleted → finalize (electric-sync-finalizer.ts)
//   3. make sure our finalizer is on it
//   4. observe: children and referenced Secrets (electric-sync-resources.ts)
//   5. build the desired children (specs/)
//   6. bring the children in line (electric-sync-update.ts); the Deployment waits while a Secret is missing
//   7. check the database answers (database-health.ts)
//   8. compute and write the status, record Events (electric-sync-status.ts)
// Watches (electric-sync-predicates.ts) feed a per-key work queue; every key is also re-queued on a timer (resync).
import type { Logger } from '../../../runtime/src/logging/logger.ts';
import { reasons, type ElectricSync, type ElectricSyncStatus } from '../api/v1alpha1/index.ts';
import { describeError, isConflict, isNotFound } from '../k8s/errors.ts';
import type { EventRecorder } from '../k8s/events.ts';
import { addFinalizer, hasFinalizer } from '../k8s/finalizers.ts';
import type { Change } from '../k8s/informer.ts';
import { InformerSet, type WatchScope } from '../k8s/informer-set.ts';
import { objectPath, resourceTypes, type ResourceType } from '../k8s/resources.ts';
import type { KubeClient } from '../k8s/rest-client.ts';
import type { Deployment, KubeObject, NetworkPolicy, Secret, Service } from '../k8s/types.ts';
import { WorkQueue, type ProcessResult } from '../k8s/work-queue.ts';
import type { OperatorMetrics } from '../metrics.ts';
import {
  annotationKeys,
  buildDesiredObjects,
  clientUrl,
  generatePassword,
  managedBySelector,
  publisherHost,
  storedDatabaseUrl,
  storedPublisherPassword,
} from '../specs/index.ts';
import { keyOf, type Caches, type ControllerContext, type ControllerSettings } from './context.ts';
import type { DatabaseHealthChecker } from './database-health.ts';
import { finalize } from './electric-sync-finalizer.ts';
import { isMeaningfulChildChange, isSpecOrLifecycleChange, ownerKey, referencesSecret } from './electric-sync-predicates.ts';
import { observeChildren, readReferencedSecrets } from './electric-sync-resources.ts';
import { computeStatus, nowRfc3339, updateStatus, type Problem } from './electric-sync-status.ts';
import { AppliedVersions, updateOwnedObjects, type UpdateResult } from './electric-sync-update.ts';

export interface ControllerOptions {
  readonly client: KubeClient;
  readonly logger: Logger;
  readonly recorder: EventRecorder;
  readonly metrics: OperatorMetrics;
  readonly databaseHealth: DatabaseHealthChecker;
  readonly settings: ControllerSettings;
  readonly scope: WatchScope;
  readonly workers?: number;
  readonly resyncPeriodMs?: number;
  readonly informer?: { readonly relistIntervalMs?: number; readonly watchdogMs?: number };
}

export class ElectricSyncController {
  readonly caches: Caches;
  readonly queue: WorkQueue;
  readonly #o: ControllerOptions;
  readonly #ctx: ControllerContext;
  #running = false;

  constructor(options: ControllerOptions) {
    this.#o = options;
    const informer = <T extends KubeObject>(type: ResourceType, selectors: { labelSelector?: string; fieldSelector?: string } = {}) =>
      new InformerSet<T>(options.scope, {
        client: options.client,
        type,
        logger: options.logger.child(`informer.${type.plural}`),
        ...selectors,
        ...options.informer,
        onRestart: (reason) => options.metrics.informerRestarted(type.plural, reason),
      });
    this.caches = {
      electricSyncs: informer<ElectricSync>(resourceTypes.electricSync),
      // Every Secret (users' referenced ones and ours), except Helm release records, which are many and large.
      secrets: informer<Secret>(resourceTypes.secret, { fieldSelector: 'type!=helm.sh/release.v1' }),
      deployments: informer<Deployment>(resourceTypes.deployment, { labelSelector: managedBySelector }),
      services: informer<Service>(resourceTypes.service, { labelSelector: managedBySelector }),
      networkPolicies: informer<NetworkPolicy>(resourceTypes.networkPolicy, { labelSelector: managedBySelector }),
    };
    this.queue = new WorkQueue({
      concurrency: options.workers ?? 4,
      process: (key) => this.#process(key),
      onError: (key, error, retryInMs) =>
        options.logger.warn('reconcile failed; retrying', { resource: key, error: describeError(error), retry_in_ms: retryInMs }),
    });
    this.#ctx = {
      client: options.client,
      caches: this.caches,
      recorder: options.recorder,
      logger: options.logger,
      databaseHealth: options.databaseHealth,
      settings: options.settings,
      applied: new AppliedVersions(),
    };
    this.#watch();
  }

  get running(): boolean {
    return this.#running;
  }

  hasSynced(): boolean {
    return Object.values(this.caches).every((set: InformerSet<KubeObject>) => set.hasSynced());
  }

  /** The longest time any watch has been silent; the health check compares it with the watchdog. */
  maxWatchSilenceMs(): number {
    return Math.max(...Object.values(this.caches).map((set: InformerSet<KubeObject>) => set.maxSilenceMs()));
  }

  /** Starts the informers, waits for their caches, reconciles until `signal` aborts, then stops everything. */
  async run(signal: AbortSignal): Promise<void> {
    const sets = Object.values(this.caches) as InformerSet<KubeObject>[];
    for (const set of sets) set.start();
    const synced = Promise.all(sets.map((set) => set.waitForSync()));
    const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await Promise.race([synced, aborted]);
    if (!signal.aborted) {
      this.#o.logger.info('caches synced; reconciling', { electricsyncs: this.caches.electricSyncs.size });
      this.#running = true;
      this.queue.start();
      for (const es of this.caches.electricSyncs.list()) this.queue.add(keyOf(es));
      const resync = setInterval(() => {
        for (const es of this.caches.electricSyncs.list()) this.queue.add(keyOf(es));
      }, this.#o.resyncPeriodMs ?? 10 * 60_000);
      resync.unref();
      const gauges = setInterval(() => this.#updateGauges(), 5_000);
      gauges.unref();
      await aborted;
      clearInterval(resync);
      clearInterval(gauges);
    }
    this.#running = false;
    await this.queue.shutdown();
    await Promise.all(sets.map((set) => set.stop()));
  }

  #watch(): void {
    const { electricSyncs, secrets, deployments, services, networkPolicies } = this.caches;
    electricSyncs.onChange((change) => {
      if (change.type === 'delete') this.queue.forget(keyOf(change.object));
      if (isSpecOrLifecycleChange(change)) this.queue.add(keyOf(change.object));
    });
    const toOwner = (change: Change<KubeObject>) => {
      if (!isMeaningfulChildChange(change)) return;
      const key = ownerKey(change.object);
      if (key) this.queue.add(key);
    };
    deployments.onChange(toOwner);
    services.onChange(toOwner);
    networkPolicies.onChange(toOwner);
    secrets.onChange((change) => {
      const key = ownerKey(change.object);
      if (key) return this.queue.add(key);
      const namespace = change.object.metadata?.namespace ?? '';
      const name = change.object.metadata?.name ?? '';
      for (const es of electricSyncs.list(namespace)) if (referencesSecret(es, name)) this.queue.add(keyOf(es));
    });
  }

  #updateGauges(): void {
    const { metrics } = this.#o;
    metrics.queueDepth.set(this.queue.depth);
    const addsSoFar = this.queue.adds;
    metrics.queueAdds.inc(Math.max(0, addsSoFar - this.#countedAdds));
    this.#countedAdds = addsSoFar;
    for (const [name, set] of Object.entries(this.caches) as [string, InformerSet<KubeObject>][]) {
      metrics.informerObjects.set({ resource: name }, set.size);
    }
    const phases = new Map<string, number>();
    for (const es of this.caches.electricSyncs.list()) {
      const phase = es.status?.phase ?? 'Pending';
      phases.set(phase, (phases.get(phase) ?? 0) + 1);
    }
    metrics.resources.reset();
    for (const [phase, count] of phases) metrics.resources.set({ phase }, count);
  }
  #countedAdds = 0;

  async #process(key: string): Promise<ProcessResult> {
    const end = this.#o.metrics.reconcileDuration.startTimer();
    try {
      const result = await this.reconcile(key);
      this.#o.metrics.reconciles.inc({ result: result.requeueAfterMs === undefined ? 'success' : 'requeue' });
      return result;
    } catch (error) {
      if (isConflict(error)) {
        // Someone wrote the object since our cache saw it: read the newer version and try again, no error.
        this.#o.metrics.reconciles.inc({ result: 'conflict' });
        return { requeueAfterMs: 250 };
      }
      this.#o.metrics.reconciles.inc({ result: 'error' });
      this.#o.metrics.reconcileErrors.inc();
      await this.#reportFailure(key, error);
      throw error;
    } finally {
      end();
    }
  }

  #get(key: string): ElectricSync | undefined {
    const slash = key.indexOf('/');
    return this.caches.electricSyncs.get(key.slice(0, slash), key.slice(slash + 1));
  }

  /** One reconcile of one ElectricSync; see the steps at the top of this file. */
  async reconcile(key: string): Promise<ProcessResult> {
    const cached = this.#get(key);
    if (!cached) {
      this.#ctx.databaseHealth.forget(key);
      this.#ctx.applied.forget(key);
      return {};
    }
    if (cached.metadata.deletionTimestamp) return finalize(this.#ctx, cached);
    const es = await this.#ensureFinalizer(cached);
    return this.#sync(es);
  }

  async #ensureFinalizer(es: ElectricSync): Promise<ElectricSync> {
    const { finalizer, fieldManager } = this.#o.settings;
    if (hasFinalizer(es, finalizer)) return es;
    const path = objectPath(resourceTypes.electricSync, es.metadata.namespace, es.metadata.name);
    return addFinalizer(this.#o.client, path, es, finalizer, fieldManager);
  }

  async #sync(es: ElectricSync): Promise<ProcessResult> {
    const { settings, databaseHealth } = this.#o;
    const key = keyOf(es);
    const observed = observeChildren(es, this.caches);
    const secrets = readReferencedSecrets(es, this.caches.secrets);
    const desired = buildDesiredObjects(es, {
      clusterDomain: settings.clusterDomain,
      defaultImage: settings.defaultImage,
      publisherPassword: storedPublisherPassword(observed.publisherAuthSecret) ?? generatePassword(),
      secretValues: secrets.values,
      databaseUrl: secrets.databaseUrl ?? storedDatabaseUrl(observed.publisherAuthSecret),
    });
    const update = await updateOwnedObjects(this.#ctx, es, desired, observed, { includeDeployment: !secrets.problem });
    const database =
      !secrets.problem && secrets.database && secrets.databaseUrl
        ? await databaseHealth.check(key, secrets.database, secrets.databaseUrl)
        : undefined;
    const status = computeStatus({
      es,
      now: nowRfc3339(),
      publisherHost: desired.publisherHost,
      clientUrl: desired.clientUrl,
      checksum: secrets.problem ? undefined : desired.checksum,
      deployment: update.deployment,
      ...(secrets.problem ? { prerequisite: secrets.problem } : {}),
      ...(update.conflict ? { failure: update.conflict } : {}),
      database,
    });
    await this.#report(es, status, update, observed.deployment);
    if (secrets.problem) return { requeueAfterMs: settings.prerequisiteRetryMs };
    if (update.conflict) return { requeueAfterMs: 60_000 };
    if (database && !database.ok) return { requeueAfterMs: databaseHealth.retryAfterMs };
    return {};
  }

  async #report(es: ElectricSync, status: ElectricSyncStatus, update: UpdateResult, before: Deployment | undefined): Promise<void> {
    const { recorder, client, settings } = this.#o;
    if (update.applied.length > 0) {
      await recorder.record(es, 'Normal', before ? 'Updated' : 'Created', `applied ${update.applied.join(', ')}`);
      const was = before?.spec?.template.metadata?.annotations?.[annotationKeys.configChecksum];
      const now = update.deployment?.spec?.template.metadata?.annotations?.[annotationKeys.configChecksum];
      if (before && was && now && was !== now) {
        await recorder.record(es, 'Normal', 'RollingOut', 'the configuration or a referenced Secret changed: replacing the runtime pod');
      }
    }
    const wasDegraded = es.status?.conditions?.find((c) => c.type === 'Degraded');
    const isDegraded = status.conditions?.find((c) => c.type === 'Degraded');
    if (isDegraded?.status === 'True' && (wasDegraded?.reason !== isDegraded.reason || wasDegraded.message !== isDegraded.message)) {
      await recorder.record(es, 'Warning', isDegraded.reason, isDegraded.message);
    } else if (isDegraded?.status === 'False' && wasDegraded?.status === 'True') {
      await recorder.record(es, 'Normal', 'Recovered', `no longer degraded (was ${wasDegraded.reason})`);
    }
    await updateStatus(client, es, status, settings.fieldManager);
  }

  /** After an unexpected error: Degraded/ReconcileError in the status, and a Warning Event. Best effort. */
  async #reportFailure(key: string, error: unknown): Promise<void> {
    const es = this.#get(key);
    if (!es || es.metadata.deletionTimestamp || isNotFound(error)) return;
    const failure: Problem = { reason: reasons.ReconcileError, message: describeError(error) };
    const { settings } = this.#o;
    const status = computeStatus({
      es,
      now: nowRfc3339(),
      publisherHost: publisherHost(es, settings.clusterDomain),
      clientUrl: clientUrl(es, settings.clusterDomain),
      checksum: undefined,
      deployment: observeChildren(es, this.caches).deployment,
      failure,
    });
    try {
      await this.#o.recorder.record(es, 'Warning', failure.reason, failure.message);
      await updateStatus(this.#o.client, es, status, settings.fieldManager);
    } catch (statusError) {
      this.#o.logger.warn('cannot report a reconcile failure in the status', { resource: key, error: describeError(statusError) });
    }
  }
}
