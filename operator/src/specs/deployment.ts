// The runtime Deployment: one pod (the runtime holds a replication slot, so never two at once: Recreate), readiness
// from /api/status, a locked-down security context, and the configuration checksum that rolls the pod.
import type { V1Container, V1EnvVar } from '@kubernetes/client-node';
import type { ElectricSync } from '../api/v1alpha1/index.ts';
import type { Deployment } from '../k8s/types.ts';
import { annotationKeys, childLabels, childMeta, childNames, selectorLabels } from './meta.ts';
import type { RuntimeEnv } from './runtime-env.ts';
import { portNames } from './services.ts';

export const runtimeContainerName = 'runtime';
/** A numeric non-root user, so `runAsNonRoot` can be verified whatever USER the image declares. */
export const runtimeUser = 10001;

export interface DeploymentInputs {
  /** The image when the spec names none. */
  readonly defaultImage: string;
  readonly env: RuntimeEnv;
  readonly checksum: string;
}

function runtimeContainer(es: ElectricSync, inputs: DeploymentInputs): V1Container {
  const secretEnv: V1EnvVar[] = inputs.env.fromSecrets.map(({ variable, ref }) => ({
    name: variable,
    valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } },
  }));
  const container: V1Container = {
    name: runtimeContainerName,
    image: es.spec.image ?? inputs.defaultImage,
    args: ['runtime'],
    ports: [
      { name: portNames.http, containerPort: es.spec.httpPort, protocol: 'TCP' },
      { name: portNames.publisher, containerPort: es.spec.logicalPublisherPort, protocol: 'TCP' },
    ],
    envFrom: [{ secretRef: { name: childNames(es).envSecret } }],
    env: [...secretEnv, ...(es.spec.extraEnv ?? [])],
    // 200 when ready, 503 otherwise (e.g. while the database is unreachable): take the pod out of the Services.
    readinessProbe: {
      httpGet: { path: '/api/status', port: portNames.http },
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 3,
    },
    // Not /api/status: it answers 503 during a database outage, and restarting a healthy process for that would only
    // turn an outage into a crash loop. Liveness asks whether the process still accepts connections.
    livenessProbe: {
      tcpSocket: { port: portNames.http },
      initialDelaySeconds: 10,
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 6,
    },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: runtimeUser,
      runAsGroup: runtimeUser,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
  if (es.spec.imagePullPolicy) container.imagePullPolicy = es.spec.imagePullPolicy;
  if (es.spec.resources) container.resources = es.spec.resources;
  return container;
}

export function buildDeployment(es: ElectricSync, inputs: DeploymentInputs): Deployment {
  const podLabels = { ...es.spec.podLabels, ...childLabels(es, 'runtime') };
  const podAnnotations = { ...es.spec.podAnnotations, [annotationKeys.configChecksum]: inputs.checksum };
  const spec: NonNullable<Deployment['spec']> = {
    replicas: 1,
    revisionHistoryLimit: 3,
    selector: { matchLabels: selectorLabels(es) },
    strategy: { type: 'Recreate' },
    template: {
      metadata: { labels: podLabels, annotations: podAnnotations },
      spec: {
        containers: [runtimeContainer(es, inputs)],
        volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
        securityContext: {
          runAsNonRoot: true,
          runAsUser: runtimeUser,
          runAsGroup: runtimeUser,
          fsGroup: runtimeUser,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        // The runtime never talks to the Kubernetes API, and Service env vars could shadow its settings.
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        terminationGracePeriodSeconds: 30,
      },
    },
  };
  const pod = spec.template.spec;
  if (es.spec.nodeSelector) pod.nodeSelector = es.spec.nodeSelector;
  if (es.spec.tolerations) pod.tolerations = es.spec.tolerations;
  if (es.spec.affinity) pod.affinity = es.spec.affinity;
  if (es.spec.imagePullSecrets) pod.imagePullSecrets = es.spec.imagePullSecrets;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: childMeta(es, childNames(es).deployment, 'runtime'),
    spec,
  };
}
