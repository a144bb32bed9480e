// Test support: a throwaway PostgreSQL per test, stopped and deleted when the test ends (or the process dies).
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
