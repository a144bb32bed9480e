// Test support: a throwaway PostgreSQL per test, stopped and deleted when the test ends (or the process dies).
import pg from 'pg';
import { startThrowawayPostgres, type LocalPostgres, type LocalPostgresOptions } from '../../local-postgres/index.ts';

export type TestPostgres = LocalPostgres;

/** Anything with node:test's `after` hook: a TestContext or a SuiteContext. */
interface HasAfter {
  after(fn: () => unknown): void;
}

/** Starts a fresh PostgreSQL (wal_level=logical, loopback, free port) for one test or suite. */
export async function startTestPostgres(
  context: HasAfter,
  options: Omit<LocalPostgresOptions, 'dataDir' | 'ephemeral'> = {},
): Promise<TestPostgres> {
  const server = await startThrowawayPostgres(options);
  context.after(() => server.stop());
  return server;
}

/**
 * A connected pg client, ended after the test. It ignores connection errors, because node:test runs `after` hooks
 * in the order they were added, so the server may stop before the client ends.
 */
export async function connectTestClient(context: HasAfter, url: string): Promise<pg.Client> {
  const client = new pg.Client(url);
  client.on('error', () => {});
  await client.connect();
  context.after(() => client.end().catch(() => {}));
  return client;
}
