// Deletion. With deletionPolicy Delete, the finalizer stops the runtime (deletes its Deployment and waits for the pod
// to go), then drops the runtime's subscription, replication slot and publication from the database, and only then
// lets the resource go; the children follow through garbage collection (ownerReferences). With Retain, it lets go
// at once and the database keeps everything. A cleanup that fails keeps the finalizer, reports CleanupFailed, and is
// retried with backoff: a replication slot left behind would hold WAL until the database's disk is full.
import { reasons, type ElectricSync } from '../api/v1alpha1/index.ts';
import { describeError, isNotFound } from '../k8s/errors.ts';
import { hasFinalizer, removeFinalizer } from '../k8s/finalizers.ts';
import { isOwnedBy } from '../k8s/ownership.ts';
import { collectionPath, objectPath, resourceTypes } from '../k8s/resources.ts';
import type { Pod } from '../k8s/types.ts';
import type { ProcessResult } from '../k8s/work-queue.ts';
import { cleanUpDatabase, connectTo, databaseTarget, replicationSlotName, subscriptionName, publicationName } from '../postgres/index.ts';
import { childNames, selectorLabels, storedDatabaseUrl } from '../specs/index.ts';
import { keyOf, type ControllerContext } from './context.ts';
import { readReferencedSecrets } from './electric-sync-resources.ts';
import { deletingStatus, nowRfc3339, updateStatus, type Problem } from './electric-sync-status.ts';

async function reportDeleting(ctx: ControllerContext, es: ElectricSync, waitingFor: Problem): Promise<void> {
  try {
    await updateStatus(ctx.client, es, deletingStatus(es, nowRfc3339(), waitingFor), ctx.settings.fieldManager);
  } catch (error) {
    if (!isNotFound(error)) ctx.logger.warn('cannot write the Deleting status', { resource: keyOf(es), error: describeError(error) });
  }
}

/** Deletes the runtime Deployment; true once no runtime pod is left (or we waited long enough). */
async function stopRuntime(ctx: ControllerContext, es: ElectricSync): Promise<boolean> {
  const ns = es.metadata.namespace;
  const deployment = ctx.caches.deployments.get(ns, childNames(es).deployment);
  if (deployment && isOwnedBy(deployment, es.metadata.uid ?? '') && !deployment.metadata?.deletionTimestamp) {
    try {
      await ctx.client.delete(objectPath(resourceTypes.deployment, ns, childNames(es).deployment), { propagationPolicy: 'Background' });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  const selector = Object.entries(selectorLabels(es)).map(([k, v]) => `${k}=${v}`).join(',');
  const pods = await ctx.client.list<Pod>(collectionPath(resourceTypes.pod, ns), { labelSelector: selector });
  const running = pods.items.filter((pod) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed');
  if (running.length === 0) return true;
  const since = Date.parse(es.metadata.deletionTimestamp ?? '') || Date.now();
  if (Date.now() - since > ctx.settings.podStopTimeoutMs) {
    ctx.logger.warn('runtime pods still present after the stop timeout; cleaning up anyway', { resource: keyOf(es), pods: running.length });
    return true;
  }
  return false;
}

/** The database URL: from the user's Secret if it is still there, else from the operator's copy. */
function databaseUrlFor(ctx: ControllerContext, es: ElectricSync): string | undefined {
  const readout = readReferencedSecrets(es, ctx.caches.secrets);
  if (readout.databaseUrl) return readout.databaseUrl;
  return storedDatabaseUrl(ctx.caches.secrets.get(es.metadata.namespace, childNames(es).publisherAuthSecret));
}

export async function finalize(ctx: ControllerContext, es: ElectricSync): Promise<ProcessResult> {
  const { finalizer, fieldManager } = ctx.settings;
  if (!hasFinalizer(es, finalizer)) return {};
  const path = objectPath(resourceTypes.electricSync, es.metadata.namespace, es.metadata.name);

  if (es.spec.deletionPolicy === 'Retain') {
    await ctx.recorder.record(es, 'Normal', 'Retained', 'deletionPolicy is Retain: the subscription, replication slot and publication stay in the database');
    await removeFinalizer(ctx.client, path, es, finalizer, fieldManager);
    return {};
  }

  if (!(await stopRuntime(ctx, es))) {
    await reportDeleting(ctx, es, { reason: reasons.Deleting, message: 'waiting for the runtime pod to stop before cleaning up the database' });
    return { requeueAfterMs: 2_000 };
  }

  const url = databaseUrlFor(ctx, es);
  const parsed = url ? databaseTarget(url, es.spec.database.requireSsl) : undefined;
  let failure: string | undefined;
  if (!parsed) {
    failure =
      `cannot clean up the database: Secret "${es.spec.database.urlSecretRef.name}" is gone and no copy is left. ` +
      'Restore the Secret, or set spec.deletionPolicy to Retain to delete without cleaning up';
  } else if (!parsed.ok) {
    failure = `cannot clean up the database: ${parsed.problem}`;
  } else {
    try {
      const client = await connectTo(parsed.target);
      try {
        const report = await cleanUpDatabase(client);
        const slot = replicationSlotName(parsed.target.url.database);
        const dropped = [
          report.subscriptionDropped ? `subscription ${subscriptionName}` : undefined,
          report.slotDropped ? `replication slot ${slot}` : undefined,
          report.publicationDropped ? `publication ${publicationName}` : undefined,
        ].filter(Boolean);
        await ctx.recorder.record(
          es,
          'Normal',
          'CleanupCompleted',
          dropped.length > 0 ? `dropped ${dropped.join(', ')} in ${parsed.target.redacted}` : `nothing to drop in ${parsed.target.redacted}`,
        );
      } finally {
        await client.end().catch(() => {});
      }
    } catch (error) {
      failure = `cannot clean up ${parsed.target.redacted}: ${describeError(error)}`;
    }
  }
  if (failure) {
    await reportDeleting(ctx, es, { reason: reasons.CleanupFailed, message: failure });
    await ctx.recorder.record(es, 'Warning', reasons.CleanupFailed, failure);
    throw new Error(failure);
  }
  await removeFinalizer(ctx.client, path, es, finalizer, fieldManager);
  ctx.databaseHealth.forget(keyOf(es));
  return {};
}
