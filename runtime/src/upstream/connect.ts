// Opens connections to the upstream PostgreSQL the way the configuration says: SSL required (verified), SSL tried
// first with a plain fallback, or plain. Every connection gets Electric's display settings, so values come back in
// the text forms the rest of the service parses.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import pg from 'pg';
import type { RuntimeConfig } from '../config/index.ts';

/** Electric sets these on every connection (Electric.Postgres.display_settings). */
export const displaySettings = [
  "SET bytea_output = 'hex'",
  "SET DateStyle = 'ISO, DMY'",
  "SET TimeZone = 'UTC'",
  'SET extra_float_digits = 1',
] as const;

export type ConnectionPurpose = 'query' | 'replication';

export function clientConfig(
  config: RuntimeConfig,
  ssl: boolean,
  purpose: ConnectionPurpose,
  address: string = config.database.url.host,
): pg.ClientConfig {
  const { url } = config.database;
  return {
    host: address,
    port: url.port,
    user: url.user,
    password: url.password,
    database: url.database,
    application_name: 'electric-sync',
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    ...(purpose === 'replication' ? { replication: 'database' } : {}),
    // Verify the server only when SSL is required, as Electric does; "prefer" accepts any certificate.
    ssl: ssl ? { rejectUnauthorized: config.database.ssl === 'require', servername: url.host } : false,
  } as pg.ClientConfig;
}

/**
 * Connects with the configured SSL policy and applies the display settings — also on replication connections, where
 * they decide how pgoutput prints values in text format.
 */
export async function connectToDatabase(config: RuntimeConfig, purpose: ConnectionPurpose = 'query'): Promise<pg.Client> {
  const attempts = config.database.ssl === 'prefer' ? [true, false] : [config.database.ssl === 'require'];
  const address = await resolveDatabaseHost(config);
  let lastError: unknown;
  for (const ssl of attempts) {
    const client = new pg.Client(clientConfig(config, ssl, purpose, address));
    try {
      await client.connect();
      await client.query(displaySettings.join('; '));
      return client;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => {});
    }
  }
  throw lastError;
}

/**
 * DATABASE_USE_IPV6=true: prefer the host's IPv6 address and fall back to IPv4, as Electric does. Otherwise the host
 * name goes to the driver as it is and the system resolver's order applies.
 */
export async function resolveDatabaseHost(config: RuntimeConfig): Promise<string> {
  const { host } = config.database.url;
  if (!config.database.useIpv6 || isIP(host) !== 0) return host;
  try {
    return (await lookup(host, { family: 6 })).address;
  } catch {
    return (await lookup(host, { family: 4 })).address;
  }
}
