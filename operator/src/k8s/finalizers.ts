// Adding and removing the operator's finalizer. A merge patch carrying the resourceVersion we read: it fails with a
// conflict (409) if the object changed since, and it never creates an object that was deleted in the meantime (which
// a server-side apply would).
import type { KubeClient } from './rest-client.ts';
import type { KubeObject } from './types.ts';

export function hasFinalizer(object: KubeObject, finalizer: string): boolean {
  return object.metadata?.finalizers?.includes(finalizer) ?? false;
}

export async function addFinalizer<T extends KubeObject>(client: KubeClient, path: string, object: T, finalizer: string, fieldManager: string): Promise<T> {
  const finalizers = [...(object.metadata?.finalizers ?? []), finalizer];
  return client.mergePatch<T>(path, { metadata: { finalizers, resourceVersion: object.metadata?.resourceVersion } }, fieldManager);
}

export async function removeFinalizer<T extends KubeObject>(client: KubeClient, path: string, object: T, finalizer: string, fieldManager: string): Promise<T> {
  const finalizers = (object.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
  return client.mergePatch<T>(path, { metadata: { finalizers, resourceVersion: object.metadata?.resourceVersion } }, fieldManager);
}
