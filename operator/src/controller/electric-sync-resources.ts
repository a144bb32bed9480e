// The observed state of one ElectricSync, read from the informer caches once per reconcile: its children (undefined
// when absent) and the values of the Secret keys it references (or why they cannot be read).
import { reasons, type ElectricSync } from '../api/v1alpha1/index.ts';
import type { Deployment, NetworkPolicy, Secret, Service } from '../k8s/types.ts';
import { databaseTarget, type DatabaseTarget } from '../postgres/index.ts';
import { childNames, referencedSecrets } from '../specs/index.ts';
import type { Caches } from './context.ts';
import type { Problem } from './electric-sync-status.ts';

export interface ObservedChildren {
  readonly deployment: Deployment | undefined;
  readonly httpService: Service | undefined;
  readonly publisherService: Service | undefined;
  readonly envSecret: Secret | undefined;
  readonly publisherAuthSecret: Secret | undefined;
  readonly networkPolicy: NetworkPolicy | undefined;
}

export function observeChildren(es: ElectricSync, caches: Caches): ObservedChildren {
  const ns = es.metadata.namespace;
  const names = childNames(es);
  return {
    deployment: caches.deployments.get(ns, names.deployment),
    httpService: caches.services.get(ns, names.httpService),
    publisherService: caches.services.get(ns, names.publisherService),
    envSecret: caches.secrets.get(ns, names.envSecret),
    publisherAuthSecret: caches.secrets.get(ns, names.publisherAuthSecret),
    networkPolicy: caches.networkPolicies.get(ns, names.networkPolicy),
  };
}

export interface SecretReadout {
  /** Stored (base64) value of each readable referenced key, by runtime variable. */
  readonly values: Record<string, string>;
  /** DATABASE_URL in clear, when readable. */
  readonly databaseUrl: string | undefined;
  readonly database: DatabaseTarget | undefined;
  /** The first thing that stops the runtime from starting, if any. */
  readonly problem: Problem | undefined;
}

export function readReferencedSecrets(es: ElectricSync, secrets: Caches['secrets']): SecretReadout {
  const ns = es.metadata.namespace;
  const values: Record<string, string> = {};
  let problem: Problem | undefined;
  let databaseUrl: string | undefined;
  let database: DatabaseTarget | undefined;
  for (const { variable, ref, field } of referencedSecrets(es)) {
    const secret = secrets.get(ns, ref.name);
    const value = secret?.data?.[ref.key];
    if (!secret) {
      problem ??= {
        reason: reasons.SecretNotFound,
        message: `Secret "${ref.name}" (${field}, the runtime's ${variable}) not found in namespace "${ns}"; the runtime is not rolled out until it exists`,
      };
      continue;
    }
    if (value === undefined) {
      problem ??= {
        reason: reasons.SecretKeyNotFound,
        message: `Secret "${ref.name}" has no key "${ref.key}" (${field}.key, the runtime's ${variable})`,
      };
      continue;
    }
    values[variable] = value;
    if (variable === 'DATABASE_URL') {
      databaseUrl = Buffer.from(value, 'base64').toString('utf8');
      const parsed = databaseTarget(databaseUrl, es.spec.database.requireSsl);
      if (parsed.ok) database = parsed.target;
      else problem ??= { reason: reasons.InvalidDatabaseUrl, message: `Secret "${ref.name}" key "${ref.key}": ${parsed.problem}` };
    }
  }
  return { values, databaseUrl, database, problem };
}
