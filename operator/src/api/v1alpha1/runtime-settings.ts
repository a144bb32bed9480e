// Where each runtime environment variable comes from in an ElectricSync: a spec field, a Secret key the spec names,
// or the operator itself. This table is the one place that ties the runtime's configuration schema
// (runtime/src/config/schema.ts) to the custom resource: the CRD generator takes each field's type, default, enum,
// bounds and description from the runtime variable, and the env builder (specs/runtime-env.ts) reads the same paths.
// A test fails when the runtime gains a variable this table does not place.
import type { VariableName } from '../../../../runtime/src/config/schema.ts';

export type SettingSource =
  /** A plain spec field; the CRD schema for it is generated from the runtime variable. */
  | { readonly from: 'field'; readonly path: readonly string[]; readonly default?: 'runtime' | 'none' }
  /** A `{ name, key }` reference to a Secret; the value never appears in the resource. */
  | { readonly from: 'secret'; readonly path: readonly string[]; readonly defaultKey: string }
  /** Computed by the operator (not settable in the spec). */
  | { readonly from: 'operator'; readonly why: string };

export const runtimeSettings = {
  DATABASE_URL: { from: 'secret', path: ['database', 'urlSecretRef'], defaultKey: 'url' },
  // The runtime's default depends on the URL's sslmode, so the resource must not pin it: no CRD default.
  DATABASE_REQUIRE_SSL: { from: 'field', path: ['database', 'requireSsl'], default: 'none' },
  DATABASE_USE_IPV6: { from: 'field', path: ['database', 'useIpv6'] },
  ELECTRIC_USE_IPV6: { from: 'field', path: ['listenOnIpv6'] },
  HTTP_PORT: { from: 'field', path: ['httpPort'] },
  LOGICAL_PUBLISHER_HOST: { from: 'operator', why: 'the DNS name of the publisher Service the operator creates' },
  LOGICAL_PUBLISHER_PORT: { from: 'field', path: ['logicalPublisherPort'] },
  ELECTRIC_WRITE_TO_PG_MODE: { from: 'field', path: ['writeToPgMode'] },
  PG_PROXY_PORT: { from: 'field', path: ['pgProxy', 'port'] },
  PG_PROXY_PASSWORD: { from: 'secret', path: ['pgProxy', 'passwordSecretRef'], defaultKey: 'password' },
  AUTH_MODE: { from: 'field', path: ['auth', 'mode'] },
  AUTH_JWT_ALG: { from: 'field', path: ['auth', 'jwtAlgorithm'] },
  AUTH_JWT_KEY: { from: 'secret', path: ['auth', 'jwtKeySecretRef'], defaultKey: 'key' },
  AUTH_JWT_KEY_IS_BASE64_ENCODED: { from: 'field', path: ['auth', 'jwtKeyIsBase64Encoded'] },
  AUTH_JWT_NAMESPACE: { from: 'field', path: ['auth', 'jwtNamespace'] },
  AUTH_JWT_ISS: { from: 'field', path: ['auth', 'jwtIssuer'] },
  AUTH_JWT_AUD: { from: 'field', path: ['auth', 'jwtAudience'] },
  LOG_LEVEL: { from: 'field', path: ['logLevel'] },
  ELECTRIC_TELEMETRY: { from: 'field', path: ['telemetry'] },
  ELECTRIC_INSTANCE_ID: { from: 'field', path: ['instanceId'] },
  ELECTRIC_RESUMABLE_WAL_WINDOW: { from: 'field', path: ['resumableWalWindow'] },
  ELECTRIC_TXN_CACHE_SIZE: { from: 'field', path: ['txnCacheSize'] },
} as const satisfies Record<VariableName, SettingSource>;

export type FieldSetting = Extract<SettingSource, { from: 'field' }>;
export type SecretSetting = Extract<SettingSource, { from: 'secret' }>;

export const settingEntries = Object.entries(runtimeSettings) as [VariableName, SettingSource][];

/**
 * Variables the operator sets itself, so `spec.extraEnv` may not: every runtime variable, plus the generated
 * publisher password.
 */
export const publisherPasswordVariable = 'LOGICAL_PUBLISHER_PASSWORD';
export const managedVariables: readonly string[] = [...settingEntries.map(([name]) => name), publisherPasswordVariable];

/** Reads a value at a path of plain objects; undefined when any step is missing. */
export function valueAt(root: unknown, path: readonly string[]): unknown {
  let current = root;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}
