// Status: computed from what was observed (pure), then written only when it changed. Conditions keep their
// lastTransitionTime while their status stays the same, and carry the generation they were computed for.
import {
  apiVersion,
  conditionTypes,
  kind,
  reasons,
  type ConditionType,
  type ElectricSync,
  type ElectricSyncStatus,
  type Phase,
  type Reason,
} from '../api/v1alpha1/index.ts';
import { objectPath, resourceTypes } from '../k8s/resources.ts';
import type { KubeClient } from '../k8s/rest-client.ts';
import type { Condition, Deployment } from '../k8s/types.ts';
import { canonicalJson } from '../specs/index.ts';

export interface Problem {
  readonly reason: Reason;
  readonly message: string;
}

export type DatabaseHealth = { readonly ok: true } | { readonly ok: false; readonly message: string } | undefined;

export interface StatusInputs {
  readonly es: ElectricSync;
  /** RFC 3339, seconds precision. */
  readonly now: string;
  readonly publisherHost: string;
  readonly clientUrl: string;
  readonly checksum: string | undefined;
  /** The runtime Deployment as last observed or applied; undefined when there is none. */
  readonly deployment: Deployment | undefined;
  /** A missing prerequisite: nothing new is rolled out. */
  readonly prerequisite?: Problem;
  /** Anything else that went wrong in this reconcile (ownership conflict, API error). */
  readonly failure?: Problem;
  readonly database?: DatabaseHealth;
}

export type Rollout =
  | { readonly state: 'missing' }
  | { readonly state: 'rolling'; readonly message: string }
  | { readonly state: 'failed'; readonly message: string }
  | { readonly state: 'available' };

/** Where the Deployment's rollout stands, from its status. */
export function rolloutOf(deployment: Deployment | undefined): Rollout {
  if (!deployment) return { state: 'missing' };
  const status = deployment.status ?? {};
  const generation = deployment.metadata?.generation ?? 1;
  if ((status.observedGeneration ?? 0) < generation) {
    return { state: 'rolling', message: `waiting for the Deployment controller to observe generation ${generation}` };
  }
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return { state: 'failed', message: progressing.message ?? 'the rollout exceeded its progress deadline' };
  }
  const wanted = deployment.spec?.replicas ?? 1;
  if ((status.updatedReplicas ?? 0) < wanted) {
    return { state: 'rolling', message: `${status.updatedReplicas ?? 0} of ${wanted} runtime pod(s) run the current configuration` };
  }
  if ((status.replicas ?? 0) > wanted) return { state: 'rolling', message: 'waiting for the previous runtime pod to stop' };
  if ((status.availableReplicas ?? 0) < wanted) {
    return { state: 'rolling', message: 'waiting for the runtime pod to become ready (GET /api/status answers 200)' };
  }
  return { state: 'available' };
}

type ConditionInput = { type: ConditionType; status: Condition['status']; reason: Reason; message: string };

function condition(previous: readonly Condition[], input: ConditionInput, generation: number | undefined, now: string): Condition {
  const before = previous.find((c) => c.type === input.type);
  return {
    type: input.type,
    status: input.status,
    observedGeneration: generation ?? 0,
    lastTransitionTime: before && before.status === input.status ? before.lastTransitionTime : now,
    reason: input.reason,
    message: input.message.slice(0, 32_768),
  };
}

export function computeStatus(inputs: StatusInputs): ElectricSyncStatus {
  const { es, prerequisite, failure, database } = inputs;
  const rollout = rolloutOf(inputs.deployment);
  let ready: ConditionInput;
  let progressing: ConditionInput;
  if (prerequisite) {
    ready = { type: conditionTypes.Ready, status: 'False', reason: prerequisite.reason, message: prerequisite.message };
    progressing = { type: conditionTypes.Progressing, status: 'False', reason: prerequisite.reason, message: `blocked: ${prerequisite.message}` };
  } else {
    switch (rollout.state) {
      case 'available':
        ready = { type: conditionTypes.Ready, status: 'True', reason: reasons.Available, message: `the runtime serves ${inputs.clientUrl}` };
        progressing = { type: conditionTypes.Progressing, status: 'False', reason: reasons.RolloutComplete, message: 'the runtime runs the current configuration' };
        break;
      case 'rolling':
        ready = { type: conditionTypes.Ready, status: 'False', reason: reasons.DeploymentUnavailable, message: rollout.message };
        progressing = { type: conditionTypes.Progressing, status: 'True', reason: reasons.RollingOut, message: rollout.message };
        break;
      case 'failed':
        ready = { type: conditionTypes.Ready, status: 'False', reason: reasons.DeploymentUnavailable, message: rollout.message };
        progressing = { type: conditionTypes.Progressing, status: 'False', reason: reasons.ProgressDeadlineExceeded, message: rollout.message };
        break;
      case 'missing':
        ready = { type: conditionTypes.Ready, status: 'False', reason: reasons.Reconciling, message: 'the runtime Deployment does not exist yet' };
        progressing = { type: conditionTypes.Progressing, status: 'True', reason: reasons.Reconciling, message: 'creating the runtime Deployment' };
        break;
    }
  }
  const trouble: Problem | undefined =
    prerequisite ??
    failure ??
    (database && !database.ok ? { reason: reasons.DatabaseUnreachable, message: database.message } : undefined) ??
    (rollout.state === 'failed' ? { reason: reasons.ProgressDeadlineExceeded, message: rollout.message } : undefined);
  const degraded: ConditionInput = trouble
    ? { type: conditionTypes.Degraded, status: 'True', reason: trouble.reason, message: trouble.message }
    : { type: conditionTypes.Degraded, status: 'False', reason: reasons.AsExpected, message: '' };

  const previous = es.status?.conditions ?? [];
  const generation = es.metadata.generation;
  const conditions = [ready, progressing, degraded].map((c) => condition(previous, c, generation, inputs.now));
  const phase: Phase = es.metadata.deletionTimestamp
    ? 'Deleting'
    : trouble
      ? 'Degraded'
      : ready.status === 'True'
        ? 'Ready'
        : 'Progressing';
  const status: ElectricSyncStatus = {
    observedGeneration: generation ?? 0,
    phase,
    conditions,
    publisherHost: inputs.publisherHost,
    clientUrl: inputs.clientUrl,
  };
  const checksum = inputs.checksum ?? es.status?.configChecksum;
  if (checksum) status.configChecksum = checksum;
  return status;
}

/** The status for a resource being deleted: phase Deleting, and why it is still here. */
export function deletingStatus(es: ElectricSync, now: string, waitingFor: Problem): ElectricSyncStatus {
  const previous = es.status?.conditions ?? [];
  const generation = es.metadata.generation;
  const degraded: ConditionInput =
    waitingFor.reason === reasons.CleanupFailed
      ? { type: conditionTypes.Degraded, status: 'True', reason: reasons.CleanupFailed, message: waitingFor.message }
      : { type: conditionTypes.Degraded, status: 'False', reason: reasons.AsExpected, message: '' };
  return {
    ...es.status,
    observedGeneration: generation ?? 0,
    phase: 'Deleting',
    conditions: [
      { type: conditionTypes.Ready, status: 'False', reason: reasons.Deleting, message: waitingFor.message },
      { type: conditionTypes.Progressing, status: 'True', reason: reasons.Deleting, message: waitingFor.message },
      degraded,
    ].map((c) => condition(previous, c as ConditionInput, generation, now)),
  };
}

export function statusChanged(current: ElectricSyncStatus | undefined, next: ElectricSyncStatus): boolean {
  return canonicalJson(current ?? {}) !== canonicalJson(next);
}

export function nowRfc3339(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Writes the status (server-side apply on /status) when it differs from the observed one. Returns whether it wrote. */
export async function updateStatus(client: KubeClient, es: ElectricSync, next: ElectricSyncStatus, fieldManager: string): Promise<boolean> {
  if (!statusChanged(es.status, next)) return false;
  await client.apply(
    objectPath(resourceTypes.electricSync, es.metadata.namespace, es.metadata.name, 'status'),
    { apiVersion, kind, metadata: { name: es.metadata.name, namespace: es.metadata.namespace }, status: next } as never,
    fieldManager,
  );
  return true;
}
