// The optional NetworkPolicy: clients may reach the HTTP port from anywhere; only the database peers listed in the
// spec may reach the publisher port. With no peers listed, nobody can (an ingress rule with no `from` would admit all).
import type { ElectricSync } from '../api/v1alpha1/index.ts';
import type { NetworkPolicy } from '../k8s/types.ts';
import { childMeta, childNames, selectorLabels } from './meta.ts';

export function buildNetworkPolicy(es: ElectricSync): NetworkPolicy {
  const peers = es.spec.networkPolicy?.databasePeers ?? [];
  const ingress: NonNullable<NetworkPolicy['spec']>['ingress'] = [{ ports: [{ port: es.spec.httpPort, protocol: 'TCP' }] }];
  if (peers.length > 0) ingress.push({ from: peers, ports: [{ port: es.spec.logicalPublisherPort, protocol: 'TCP' }] });
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: childMeta(es, childNames(es).networkPolicy, 'network-policy'),
    spec: { podSelector: { matchLabels: selectorLabels(es) }, policyTypes: ['Ingress'], ingress },
  };
}
