// Talking to the Kubernetes API: a JSON REST client over client-node's KubeConfig, informers that do not go deaf,
// the per-key work queue, server-side apply helpers, finalizers, Events and leader election. Nothing here knows
// about ElectricSync beyond resources.ts.
export { KubeClient, loadKubeConfig, type RequestInfo } from './rest-client.ts';
export { Informer, objectKey, type Change, type RestartReason, type InformerOptions } from './informer.ts';
export { InformerSet, type WatchScope } from './informer-set.ts';
export { WorkQueue, type ProcessResult, type Timers } from './work-queue.ts';
export { LeaderElector, decide, microTime, type LeaderElectionOptions } from './leader-election.ts';
export { EventRecorder, type EventType } from './events.ts';
export { addFinalizer, removeFinalizer, hasFinalizer } from './finalizers.ts';
export { isOwnedBy, controllerOf } from './ownership.ts';
export { KubeApiError, isNotFound, isConflict, isGone, isAlreadyExists, describeError } from './errors.ts';
export { resourceTypes, collectionPath, objectPath, type ResourceType } from './resources.ts';
export type * from './types.ts';
