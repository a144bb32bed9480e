// Fixture makers for tests: ElectricSync resources and the Secrets they reference, with the CRD's defaults applied
// as the API server would. Imported only by tests.
import { apiVersion, kind, withDefaults, type ElectricSync, type ElectricSyncSpec } from '../api/v1alpha1/index.ts';
import type { Secret } from '../k8s/types.ts';
import type { BuildInputs } from '../specs/index.ts';

export type SpecOverrides = Partial<Omit<ElectricSyncSpec, 'auth' | 'database'>> & {
  auth?: Partial<ElectricSyncSpec['auth']>;
  database?: Partial<ElectricSyncSpec['database']>;
};

/** A secure-mode ElectricSync named `sync` in `default`, whose Secrets are `db` (url) and `jwt` (key). */
export function newTestElectricSync(
  options: { name?: string; namespace?: string; uid?: string; generation?: number; spec?: SpecOverrides } = {},
): ElectricSync {
  const { auth, database, ...rest } = options.spec ?? {};
  const spec = withDefaults({
    database: { urlSecretRef: { name: 'db', key: 'url' }, ...database },
    auth: { mode: 'secure', jwtAlgorithm: 'HS256', jwtKeySecretRef: { name: 'jwt', key: 'key' }, ...auth },
    ...rest,
  } as ElectricSyncSpec);
  return {
    apiVersion,
    kind,
    metadata: {
      name: options.name ?? 'sync',
      namespace: options.namespace ?? 'default',
      uid: options.uid ?? '11111111-2222-3333-4444-555555555555',
      generation: options.generation ?? 1,
    },
    spec,
  };
}

/** A manifest (no uid, no status) for creating through the API. */
export function electricSyncManifest(name: string, namespace: string, spec: SpecOverrides): Omit<ElectricSync, 'spec'> & { spec: object } {
  const { auth, database, ...rest } = spec;
  return {
    apiVersion,
    kind,
    metadata: { name, namespace },
    spec: {
      database: { urlSecretRef: { name: 'db' }, ...database },
      auth: { mode: 'secure', jwtAlgorithm: 'HS256', jwtKeySecretRef: { name: 'jwt' }, ...auth },
      ...rest,
    },
  };
}

export function newTestSecret(name: string, namespace: string, data: Record<string, string>): Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
  };
}

/** An HS256 key long enough for the runtime (32 bytes). */
export const testJwtKey = 'a-test-signing-key-of-32-bytes!!';

/** Inputs for buildDesiredObjects as a reconcile would pass them. */
export const testBuildInputs: BuildInputs = {
  clusterDomain: 'cluster.local',
  defaultImage: 'electric-sync:test',
  publisherPassword: 'p'.repeat(43),
  secretValues: { DATABASE_URL: 'postgresql://u:p@db:5432/app', AUTH_JWT_KEY: 'k'.repeat(32) },
};

/** A Secret's data, decoded. */
export function decodeSecretData(data: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}
