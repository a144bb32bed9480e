// The two Services of an ElectricSync: HTTP (clients: /ws and /api) and the logical publisher (PostgreSQL subscribes
// through it; its DNS name becomes LOGICAL_PUBLISHER_HOST).
import type { ElectricSync } from '../api/v1alpha1/index.ts';
import type { Service } from '../k8s/types.ts';
import { childMeta, childNames, selectorLabels } from './meta.ts';

export const portNames = { http: 'http', publisher: 'publisher' } as const;

export function serviceDnsName(service: string, namespace: string, clusterDomain: string): string {
  return `${service}.${namespace}.svc.${clusterDomain}`;
}

export function publisherHost(es: ElectricSync, clusterDomain: string): string {
  return serviceDnsName(childNames(es).publisherService, es.metadata.namespace, clusterDomain);
}

export function clientUrl(es: ElectricSync, clusterDomain: string): string {
  return `http://${serviceDnsName(childNames(es).httpService, es.metadata.namespace, clusterDomain)}:${es.spec.httpPort}`;
}

export function buildHttpService(es: ElectricSync): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: childMeta(es, childNames(es).httpService, 'http', es.spec.service?.annotations),
    spec: {
      type: es.spec.service?.type ?? 'ClusterIP',
      selector: selectorLabels(es),
      ports: [{ name: portNames.http, port: es.spec.httpPort, targetPort: portNames.http, protocol: 'TCP', appProtocol: 'http' }],
    },
  };
}

export function buildPublisherService(es: ElectricSync): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: childMeta(es, childNames(es).publisherService, 'publisher', es.spec.publisherService?.annotations),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(es),
      ports: [{ name: portNames.publisher, port: es.spec.logicalPublisherPort, targetPort: portNames.publisher, protocol: 'TCP' }],
    },
  };
}
