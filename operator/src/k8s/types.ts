// Kubernetes objects as they travel over the wire: plain JSON, timestamps as RFC 3339 strings. The operator's REST
// client and informers return these shapes (never client-node's model classes, whose timestamps are Date objects), so
// what the builders produce, what the cache holds and what tests compare are the same kind of value.
import type {
  V1Affinity,
  V1Container,
  V1EnvVar,
  V1LocalObjectReference,
  V1NetworkPolicyPeer,
  V1ResourceRequirements,
  V1Toleration,
  V1Volume,
  V1PodSecurityContext,
} from '@kubernetes/client-node';

export type { V1Affinity, V1EnvVar, V1NetworkPolicyPeer, V1ResourceRequirements, V1Toleration };

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

export interface KubeList<T extends KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items: T[];
}

/** `metav1.Condition`. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface Secret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
  immutable?: boolean;
}

export interface ServicePort {
  name: string;
  port: number;
  targetPort: number | string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  appProtocol?: string;
}

export interface Service extends KubeObject {
  spec?: {
    type?: string;
    selector?: Record<string, string>;
    ports?: ServicePort[];
    clusterIP?: string;
    publishNotReadyAddresses?: boolean;
  };
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    containers: V1Container[];
    volumes?: V1Volume[];
    securityContext?: V1PodSecurityContext;
    automountServiceAccountToken?: boolean;
    enableServiceLinks?: boolean;
    terminationGracePeriodSeconds?: number;
    nodeSelector?: Record<string, string>;
    tolerations?: V1Toleration[];
    affinity?: V1Affinity;
    imagePullSecrets?: V1LocalObjectReference[];
  };
}

export interface DeploymentCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface Deployment extends KubeObject {
  spec?: {
    replicas?: number;
    revisionHistoryLimit?: number;
    progressDeadlineSeconds?: number;
    selector: { matchLabels: Record<string, string> };
    strategy?: { type: 'Recreate' | 'RollingUpdate' };
    template: PodTemplate;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: DeploymentCondition[];
  };
}

export interface NetworkPolicy extends KubeObject {
  spec?: {
    podSelector: { matchLabels?: Record<string, string> };
    policyTypes?: string[];
    ingress?: { from?: V1NetworkPolicyPeer[]; ports?: { port: number | string; protocol?: string }[] }[];
  };
}

export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number;
    acquireTime?: string | null;
    renewTime?: string | null;
    leaseTransitions?: number;
  };
}

export interface Pod extends KubeObject {
  status?: { phase?: string };
}

/** core/v1 Event. */
export interface KubeEvent extends KubeObject {
  involvedObject: { apiVersion?: string; kind?: string; name?: string; namespace?: string; uid?: string; resourceVersion?: string };
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  source?: { component?: string; host?: string };
  firstTimestamp?: string;
  lastTimestamp?: string;
  count?: number;
  reportingComponent?: string;
  reportingInstance?: string;
}
