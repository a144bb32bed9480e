// Names, labels, annotations and owner references shared by every object the operator builds for an ElectricSync.
import { createHash } from 'node:crypto';
import { apiVersion, kind, type ElectricSync } from '../api/v1alpha1/index.ts';
import type { ObjectMeta, OwnerReference } from '../k8s/types.ts';

export const labelKeys = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  managedBy: 'app.kubernetes.io/managed-by',
  partOf: 'app.kubernetes.io/part-of',
} as const;

export const appName = 'electric-sync';
export const managedBy = 'electric-sync-operator';
/** Every child carries this, so the operator's informers list only its own objects. */
export const managedBySelector = `${labelKeys.managedBy}=${managedBy}`;

export const annotationKeys = {
  /** On the pod template: changes when the configuration or a referenced Secret changes, which rolls the pods. */
  configChecksum: 'electric-sync.dev/config-checksum',
  /** On each child: hash of what the operator last applied; an unchanged hash means no request is needed. */
  appliedHash: 'electric-sync.dev/applied-hash',
} as const;

export const components = ['runtime', 'http', 'publisher', 'config', 'publisher-auth', 'network-policy'] as const;
export type Component = (typeof components)[number];

/** Child object names. Services must be DNS-1035 labels; the CRD caps the resource name so these fit. */
export function childNames(es: Pick<ElectricSync, 'metadata'>) {
  const name = es.metadata.name;
  return {
    deployment: name,
    httpService: name,
    publisherService: `${name}-publisher`,
    envSecret: `${name}-env`,
    publisherAuthSecret: `${name}-publisher-auth`,
    networkPolicy: name,
  } as const;
}

/** Labels that select the runtime pods. Fixed at creation: a Deployment's selector is immutable. */
export function selectorLabels(es: Pick<ElectricSync, 'metadata'>): Record<string, string> {
  return { [labelKeys.name]: appName, [labelKeys.instance]: es.metadata.name };
}

export function childLabels(es: Pick<ElectricSync, 'metadata'>, component: Component): Record<string, string> {
  return {
    ...selectorLabels(es),
    [labelKeys.component]: component,
    [labelKeys.managedBy]: managedBy,
    [labelKeys.partOf]: appName,
  };
}

export function ownerReference(es: Pick<ElectricSync, 'metadata'>): OwnerReference {
  if (!es.metadata.uid) throw new Error(`ElectricSync ${es.metadata.namespace}/${es.metadata.name} has no uid yet`);
  return { apiVersion, kind, name: es.metadata.name, uid: es.metadata.uid, controller: true, blockOwnerDeletion: true };
}

export function childMeta(
  es: Pick<ElectricSync, 'metadata'>,
  name: string,
  component: Component,
  annotations?: Record<string, string>,
): ObjectMeta & { name: string; namespace: string } {
  return {
    name,
    namespace: es.metadata.namespace,
    labels: childLabels(es, component),
    ...(annotations && Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
    ownerReferences: [ownerReference(es)],
  };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted, so equal values hash equally whatever order they were built in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Stamps the applied-hash annotation: a hash over the object as built (without the annotation itself). */
export function withAppliedHash<T extends { metadata?: ObjectMeta }>(object: T): T {
  const hash = sha256(canonicalJson(object)).slice(0, 32);
  const metadata = object.metadata ?? {};
  return { ...object, metadata: { ...metadata, annotations: { ...metadata.annotations, [annotationKeys.appliedHash]: hash } } };
}

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
