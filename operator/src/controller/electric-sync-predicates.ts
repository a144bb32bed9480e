// Which watch events lead to which reconciles. The resource itself: creation, deletion, and changes a user makes
// (generation, deletion, finalizers), not the operator's own status writes. Children: their controlling ElectricSync.
// User Secrets: every ElectricSync in the namespace that references them.
import { apiVersion, kind, type ElectricSync } from '../api/v1alpha1/index.ts';
import type { Change } from '../k8s/informer.ts';
import { controllerOf } from '../k8s/ownership.ts';
import type { KubeObject } from '../k8s/types.ts';
import { referencedSecrets } from '../specs/index.ts';

export function isSpecOrLifecycleChange(change: Change<ElectricSync>): boolean {
  if (change.type !== 'update' || !change.old) return true;
  const before = change.old.metadata;
  const after = change.object.metadata;
  return (
    before.generation !== after.generation ||
    Boolean(before.deletionTimestamp) !== Boolean(after.deletionTimestamp) ||
    (before.finalizers ?? []).join() !== (after.finalizers ?? []).join() ||
    before.uid !== after.uid
  );
}

/** The namespace/name of the ElectricSync that controls this object, if one does. */
export function ownerKey(object: KubeObject): string | undefined {
  const owner = controllerOf(object);
  if (!owner || owner.kind !== kind || owner.apiVersion !== apiVersion) return undefined;
  return `${object.metadata?.namespace}/${owner.name}`;
}

export function referencesSecret(es: ElectricSync, secretName: string): boolean {
  return referencedSecrets(es).some(({ ref }) => ref.name === secretName);
}

/** For a Deployment, only status and spec changes matter; label-only churn is ignored. */
export function isMeaningfulChildChange(change: Change<KubeObject>): boolean {
  if (change.type !== 'update' || !change.old) return true;
  const strip = (o: KubeObject) => JSON.stringify({ ...o, metadata: { annotations: o.metadata?.annotations, ownerReferences: o.metadata?.ownerReferences } });
  return strip(change.old) !== strip(change.object);
}
