// Connections from the operator to an ElectricSync's database, with the runtime's rules for the URL (Electric's
// parser) and for SSL (DATABASE_REQUIRE_SSL over the URL's sslmode), so the operator reaches the database the same
// way the runtime does.
import pg from 'pg';
import { parseDatabaseUrl, redactDatabaseUrl, type DatabaseUrl } from '../../../runtime/src/config/database-url.ts';
import { databaseSslMode } from '../../../runtime/src/config/load-config.ts';

export interface DatabaseTarget {
  readonly url: DatabaseUrl;
  readonly ssl: 'require' | 'prefer' | 'disable';
  /** The URL with the password hidden, for messages. */
  readonly redacted: string;
}

export type ParsedTarget = { readonly ok: true; readonly target: DatabaseTarget } | { readonly ok: false; readonly problem: string };

export function databaseTarget(rawUrl: string, requireSsl: boolean | undefined): ParsedTarget {
  const parsed = parseDatabaseUrl(rawUrl);
  if (!parsed.ok) return { ok: false, problem: `the database URL ${parsed.problem}` };
  return { ok: true, target: { url: parsed.value, ssl: databaseSslMode(requireSsl, parsed.value), redacted: redactDatabaseUrl(rawUrl) } };
}

/** Connects (SSL first, then plain when the mode is "prefer"); the caller ends the client. */
export async function connectTo(target: DatabaseTarget, timeoutMs = 5_000): Promise<pg.Client> {
  const attempts = target.ssl === 'prefer' ? [true, false] : [target.ssl === 'require'];
  let lastError: unknown;
  for (const ssl of attempts) {
    const client = new pg.Client({
      host: target.url.host,
      port: target.url.port,
      user: target.url.user,
      password: target.url.password,
      database: target.url.database,
      application_name: 'electric-sync-operator',
      connectionTimeoutMillis: timeoutMs,
      query_timeout: 30_000,
      ssl: ssl ? { rejectUnauthorized: target.ssl === 'require', servername: target.url.host } : false,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      return client;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => {});
    }
  }
  throw lastError;
}

/** Can the operator open a connection and run a query? */
export async function probeDatabase(target: DatabaseTarget, timeoutMs = 5_000): Promise<{ ok: true } | { ok: false; message: string }> {
  try {
    const client = await connectTo(target, timeoutMs);
    try {
      await client.query('SELECT 1');
      return { ok: true };
    } finally {
      await client.end().catch(() => {});
    }
  } catch (error) {
    const message = error instanceof Error && error.message ? error.message : String(error);
    return { ok: false, message: `cannot reach ${target.redacted}: ${message}` };
  }
}
