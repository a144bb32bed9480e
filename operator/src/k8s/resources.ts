// The API resources the operator reads and writes, and how their URLs are formed.
import { apiVersion as electricSyncApiVersion, kind as electricSyncKind, plural as electricSyncPlural } from '../api/v1alpha1/index.ts';

export interface ResourceType {
  readonly apiVersion: string;
  readonly kind: string;
  readonly plural: string;
}

export const resourceTypes = {
  electricSync: { apiVersion: electricSyncApiVersion, kind: electricSyncKind, plural: electricSyncPlural },
  secret: { apiVersion: 'v1', kind: 'Secret', plural: 'secrets' },
  service: { apiVersion: 'v1', kind: 'Service', plural: 'services' },
  pod: { apiVersion: 'v1', kind: 'Pod', plural: 'pods' },
  event: { apiVersion: 'v1', kind: 'Event', plural: 'events' },
  namespace: { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces' },
  deployment: { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments' },
  networkPolicy: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', plural: 'networkpolicies' },
  lease: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', plural: 'leases' },
} as const satisfies Record<string, ResourceType>;

/** `/api/v1/namespaces/ns/secrets` or, with no namespace, the cluster-wide `/api/v1/secrets`. */
export function collectionPath(type: ResourceType, namespace?: string): string {
  const root = type.apiVersion.includes('/') ? `/apis/${type.apiVersion}` : `/api/${type.apiVersion}`;
  return namespace ? `${root}/namespaces/${encodeURIComponent(namespace)}/${type.plural}` : `${root}/${type.plural}`;
}

export function objectPath(type: ResourceType, namespace: string, name: string, subresource?: 'status'): string {
  return `${collectionPath(type, namespace)}/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}`;
}

export function resourceTypeOfKind(kind: string): ResourceType | undefined {
  return Object.values(resourceTypes).find((type) => type.kind === kind);
}
