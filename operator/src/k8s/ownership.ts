// Whether an object belongs to a given owner: the operator never takes over an object another controller owns.
import type { KubeObject, OwnerReference } from './types.ts';

export function controllerOf(object: KubeObject): OwnerReference | undefined {
  return object.metadata?.ownerReferences?.find((ref) => ref.controller === true);
}

/** True when the object is absent or controlled by the owner with this uid. */
export function isOwnedBy(object: KubeObject | undefined, ownerUid: string): boolean {
  if (!object) return true;
  return controllerOf(object)?.uid === ownerUid;
}
