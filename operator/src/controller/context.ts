// What a reconcile needs from the running operator: the API client, the informer caches, the Event recorder and the
// operator's settings. Passed explicitly, so each step is a plain function of (context, resource).
import type { Logger } from '../../../runtime/src/logging/logger.ts';
import type { ElectricSync } from '../api/v1alpha1/index.ts';
import type { EventRecorder } from '../k8s/events.ts';
import type { InformerSet } from '../k8s/informer-set.ts';
import type { KubeClient } from '../k8s/rest-client.ts';
import type { Deployment, NetworkPolicy, Secret, Service } from '../k8s/types.ts';
import type { DatabaseHealthChecker } from './database-health.ts';
import type { AppliedVersions } from './electric-sync-update.ts';

export interface Caches {
  readonly electricSyncs: InformerSet<ElectricSync>;
  readonly secrets: InformerSet<Secret>;
  readonly deployments: InformerSet<Deployment>;
  readonly services: InformerSet<Service>;
  readonly networkPolicies: InformerSet<NetworkPolicy>;
}

export interface ControllerSettings {
  /** Server-side apply field manager, for every write the operator makes. */
  readonly fieldManager: string;
  readonly finalizer: string;
  readonly clusterDomain: string;
  readonly defaultImage: string;
  /** How long deletion waits for the runtime pod to stop before cleaning up the database anyway. */
  readonly podStopTimeoutMs: number;
  /** Requeue delay while a prerequisite (a Secret) is missing. */
  readonly prerequisiteRetryMs: number;
}

export interface ControllerContext {
  readonly client: KubeClient;
  readonly caches: Caches;
  readonly recorder: EventRecorder;
  readonly logger: Logger;
  readonly databaseHealth: DatabaseHealthChecker;
  readonly settings: ControllerSettings;
  /** What the operator last wrote to each child, to notice changes made by others. */
  readonly applied: AppliedVersions;
}

export function keyOf(es: Pick<ElectricSync, 'metadata'>): string {
  return `${es.metadata.namespace}/${es.metadata.name}`;
}
