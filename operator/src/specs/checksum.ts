// The configuration checksum stamped on the pod template. It covers everything the runtime reads at start-up that is
// not already in the pod template: the env Secret's values and the value of every Secret key the pods reference. When
// it changes, the pod template changes, and the Deployment rolls the pods.
import { canonicalJson, sha256 } from './meta.ts';
import type { RuntimeEnv } from './runtime-env.ts';

/**
 * @param secretValues the current value of each Secret key in `env.fromSecrets`, by variable name (base64 as stored,
 *        or decoded: either works as long as it is consistent).
 */
export function configChecksum(env: RuntimeEnv, secretValues: Readonly<Record<string, string>>): string {
  const secrets = env.fromSecrets.map(({ variable, ref }) => [variable, ref.name, ref.key, sha256(secretValues[variable] ?? '')]);
  return sha256(canonicalJson({ plain: env.plain, secrets })).slice(0, 32);
}
