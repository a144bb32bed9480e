// Everything an ElectricSync should own, built in one call from the resource and what was observed (Secret values,
// the stored publisher password). The controller applies these; tests compare them.
import type { ElectricSync } from '../api/v1alpha1/index.ts';
import type { Deployment, NetworkPolicy, Secret, Service } from '../k8s/types.ts';
import { configChecksum } from './checksum.ts';
import { buildDeployment } from './deployment.ts';
import { childNames, withAppliedHash } from './meta.ts';
import { buildNetworkPolicy } from './network-policy.ts';
import { buildRuntimeEnv, type RuntimeEnv } from './runtime-env.ts';
import { buildEnvSecret, buildPublisherAuthSecret } from './secrets.ts';
import { buildHttpService, buildPublisherService, clientUrl, publisherHost } from './services.ts';

export interface BuildInputs {
  readonly clusterDomain: string;
  readonly defaultImage: string;
  readonly publisherPassword: string;
  /** Values of the referenced Secret keys by variable name (see RuntimeEnv.fromSecrets). */
  readonly secretValues: Readonly<Record<string, string>>;
  /** The database URL in clear, copied into the operator's Secret for the finalizer. */
  readonly databaseUrl?: string;
}

export interface DesiredObjects {
  readonly env: RuntimeEnv;
  readonly checksum: string;
  readonly publisherHost: string;
  readonly clientUrl: string;
  readonly envSecret: Secret;
  readonly publisherAuthSecret: Secret;
  readonly httpService: Service;
  readonly publisherService: Service;
  readonly deployment: Deployment;
  /** Undefined when the spec does not ask for one. */
  readonly networkPolicy: NetworkPolicy | undefined;
}

export function buildDesiredObjects(es: ElectricSync, inputs: BuildInputs): DesiredObjects {
  const host = publisherHost(es, inputs.clusterDomain);
  const env = buildRuntimeEnv(es, { host, passwordSecretName: childNames(es).publisherAuthSecret });
  const secretValues = { ...inputs.secretValues, LOGICAL_PUBLISHER_PASSWORD: inputs.publisherPassword };
  const checksum = configChecksum(env, secretValues);
  return {
    env,
    checksum,
    publisherHost: host,
    clientUrl: clientUrl(es, inputs.clusterDomain),
    envSecret: withAppliedHash(buildEnvSecret(es, env)),
    publisherAuthSecret: withAppliedHash(buildPublisherAuthSecret(es, inputs.publisherPassword, inputs.databaseUrl)),
    httpService: withAppliedHash(buildHttpService(es)),
    publisherService: withAppliedHash(buildPublisherService(es)),
    deployment: withAppliedHash(buildDeployment(es, { defaultImage: inputs.defaultImage, env, checksum })),
    networkPolicy: es.spec.networkPolicy?.enabled ? withAppliedHash(buildNetworkPolicy(es)) : undefined,
  };
}
