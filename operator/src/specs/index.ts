// Pure builders: one ElectricSync (plus what the operator observed) in, the Kubernetes objects it should own out.
// No client, no clock; the same inputs give the same objects, byte for byte.
export {
  annotationKeys,
  labelKeys,
  managedBy,
  managedBySelector,
  childNames,
  childLabels,
  selectorLabels,
  ownerReference,
  withAppliedHash,
  canonicalJson,
  sha256,
} from './meta.ts';
export { buildRuntimeEnv, referencedSecrets, type RuntimeEnv, type SecretEnv } from './runtime-env.ts';
export { buildHttpService, buildPublisherService, publisherHost, clientUrl, serviceDnsName, portNames } from './services.ts';
export {
  buildEnvSecret,
  buildPublisherAuthSecret,
  generatePassword,
  storedPublisherPassword,
  storedDatabaseUrl,
  cleanupDatabaseUrlKey,
} from './secrets.ts';
export { buildNetworkPolicy } from './network-policy.ts';
export { buildDeployment, runtimeContainerName, runtimeUser, type DeploymentInputs } from './deployment.ts';
export { configChecksum } from './checksum.ts';
export { buildDesiredObjects, type DesiredObjects, type BuildInputs } from './desired.ts';
