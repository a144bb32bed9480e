// The ElectricSync custom resource, version v1alpha1: what a user asks for (spec) and what the operator reports
// (status). The OpenAPI schema in crd-schema.ts is the authority on names, defaults and rules; these types mirror it
// for the TypeScript side, and a test checks that every spec field named in runtime-settings.ts exists in the schema.
import type { JwtAlgorithm, LogLevel } from '../../../../runtime/src/config/schema.ts';
import type {
  Condition,
  KubeObject,
  ObjectMeta,
  V1Affinity,
  V1EnvVar,
  V1NetworkPolicyPeer,
  V1ResourceRequirements,
  V1Toleration,
} from '../../k8s/types.ts';

export const group = 'electric-sync.dev';
export const version = 'v1alpha1';
export const apiVersion = `${group}/${version}`;
export const kind = 'ElectricSync';
export const plural = 'electricsyncs';
export const singular = 'electricsync';
export const shortNames = ['esync'] as const;
export const crdName = `${plural}.${group}`;

/** A key in a Secret in the ElectricSync's namespace. */
export interface SecretKeyRef {
  name: string;
  key: string;
}

/** A size in bytes: a whole number, or a string with a suffix k, m, g (×1000ⁿ) or K, M, G (×1024ⁿ). */
export type Size = number | string;

export const deletionPolicies = ['Delete', 'Retain'] as const;
export type DeletionPolicy = (typeof deletionPolicies)[number];

export const serviceTypes = ['ClusterIP', 'NodePort', 'LoadBalancer'] as const;
export type ServiceType = (typeof serviceTypes)[number];

export const imagePullPolicies = ['Always', 'IfNotPresent', 'Never'] as const;
export type ImagePullPolicy = (typeof imagePullPolicies)[number];

export interface ElectricSyncSpec {
  /** Runtime image; the operator's default image when unset. */
  image?: string;
  imagePullPolicy?: ImagePullPolicy;
  imagePullSecrets?: { name: string }[];

  database: {
    /** DATABASE_URL, always from a Secret. Immutable once set. */
    urlSecretRef: SecretKeyRef;
    requireSsl?: boolean;
    useIpv6?: boolean;
  };
  auth: {
    mode: 'secure' | 'insecure';
    jwtAlgorithm?: JwtAlgorithm;
    jwtKeySecretRef?: SecretKeyRef;
    jwtKeyIsBase64Encoded?: boolean;
    jwtNamespace?: string;
    jwtIssuer?: string;
    jwtAudience?: string;
  };
  writeToPgMode: 'logical_replication' | 'direct_writes';
  httpPort: number;
  logicalPublisherPort: number;
  listenOnIpv6?: boolean;
  pgProxy?: { port?: number | string; passwordSecretRef?: SecretKeyRef };
  logLevel: LogLevel;
  telemetry: boolean;
  instanceId?: string;
  resumableWalWindow: Size;
  txnCacheSize: Size;

  resources?: V1ResourceRequirements;
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
  affinity?: V1Affinity;
  podLabels?: Record<string, string>;
  podAnnotations?: Record<string, string>;
  service: { type: ServiceType; annotations?: Record<string, string> };
  publisherService?: { annotations?: Record<string, string> };
  extraEnv?: V1EnvVar[];
  networkPolicy: { enabled: boolean; databasePeers?: V1NetworkPolicyPeer[] };
  /** What happens to the Postgres subscription, replication slot and publication when the resource is deleted. */
  deletionPolicy: DeletionPolicy;
}

export const phases = ['Pending', 'Progressing', 'Ready', 'Degraded', 'Deleting'] as const;
/**
 * Pending: not reconciled yet.
 * Progressing: the runtime is being rolled out and is not yet available with the current configuration.
 * Ready: the runtime is available with the current configuration.
 * Degraded: something needs attention; the Degraded condition's reason says what (a referenced Secret is missing,
 *   the database is unreachable, the rollout is stuck, reconciling fails). With a missing Secret nothing new is rolled
 *   out until it appears; the pods already running keep running.
 * Deleting: the finalizer is cleaning up Postgres before the resource goes.
 */
export type Phase = (typeof phases)[number];

export interface ElectricSyncStatus {
  observedGeneration?: number;
  phase?: Phase;
  conditions?: Condition[];
  /** LOGICAL_PUBLISHER_HOST: the publisher Service's DNS name. */
  publisherHost?: string;
  /** Where clients connect (the HTTP Service). */
  clientUrl?: string;
  /** Checksum of the configuration the Deployment's pods were last rolled with. */
  configChecksum?: string;
}

export interface ElectricSync extends KubeObject {
  apiVersion?: typeof apiVersion;
  kind?: typeof kind;
  metadata: ObjectMeta & { name: string; namespace: string };
  spec: ElectricSyncSpec;
  status?: ElectricSyncStatus;
}
