// The Secrets the operator owns: the runtime's environment, and the generated publisher password.
import { randomBytes } from 'node:crypto';
import type { ElectricSync } from '../api/v1alpha1/index.ts';
import type { Secret } from '../k8s/types.ts';
import { base64, childMeta, childNames } from './meta.ts';
import type { RuntimeEnv } from './runtime-env.ts';

export function buildEnvSecret(es: ElectricSync, env: RuntimeEnv): Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: childMeta(es, childNames(es).envSecret, 'config'),
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(env.plain).map(([name, value]) => [name, base64(value)])),
  };
}

/** A new random password: 32 bytes, base64url (43 characters, safe in a connection string). */
export function generatePassword(random: (size: number) => Buffer = randomBytes): string {
  return random(32).toString('base64url');
}

/** Key of the operator's copy of the database URL, read by the finalizer if the user's Secret is gone by then. */
export const cleanupDatabaseUrlKey = 'cleanup-database-url';

/**
 * The operator's own Secret: the generated publisher password, and a copy of the database URL so that deletion can
 * still clean up the database when the user's Secret was deleted first. The password is generated once: pass the one
 * already stored, if any, so that every apply writes the same value back.
 */
export function buildPublisherAuthSecret(es: ElectricSync, password: string, databaseUrl?: string): Secret {
  const data: Record<string, string> = { password: base64(password) };
  if (databaseUrl) data[cleanupDatabaseUrlKey] = base64(databaseUrl);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: childMeta(es, childNames(es).publisherAuthSecret, 'publisher-auth'),
    type: 'Opaque',
    data,
  };
}

/** The database URL copy kept in the operator's Secret, if any. */
export function storedDatabaseUrl(secret: Secret | undefined): string | undefined {
  const encoded = secret?.data?.[cleanupDatabaseUrlKey];
  return encoded ? Buffer.from(encoded, 'base64').toString('utf8') : undefined;
}

/** The password stored in an existing publisher Secret, if it holds a usable one. */
export function storedPublisherPassword(secret: Secret | undefined): string | undefined {
  const encoded = secret?.data?.password;
  if (!encoded) return undefined;
  const password = Buffer.from(encoded, 'base64').toString('utf8');
  return password.length >= 16 ? password : undefined;
}
