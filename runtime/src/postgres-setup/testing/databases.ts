// Test helpers for the *.pg.test.ts files of postgres-setup and migrations: a fresh database per test on a shared
// throwaway server, connections as other roles, a silent logger, and notice collection.

import pg from 'pg';
import type { TestPostgres } from '../../../../test/support/postgres.ts';
import { createLogger, type Logger } from '../../logging/logger.ts';
import { ensurePostgresSetup } from '../ensure-postgres-setup.ts';

interface HasAfter {
  after(fn: () => unknown): void;
}

let databases = 0;

/** Creates an empty database on `server` and returns a connected client (superuser unless `user` is given). */
export async function connectToFreshDatabase(
  server: TestPostgres,
  context: HasAfter,
  options: { user?: string } = {},
): Promise<{ client: pg.Client; database: string }> {
  const database = `test_${process.pid}_${++databases}`;
  const admin = new pg.Client(server.url());
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const client = await connectAs(server, database, options.user, context);
  return { client, database };
}

/** A connection to `database` as `user` (trust auth: no password). */
export async function connectAs(server: TestPostgres, database: string, user: string | undefined, context: HasAfter): Promise<pg.Client> {
  const url = new URL(server.url(database));
  if (user !== undefined) url.username = encodeURIComponent(user);
  const client = new pg.Client(url.toString());
  // The server may stop before this client ends (cleanup order); an idle connection dying then is not a failure.
  // Errors of queries still reject their promises.
  client.on('error', () => {});
  await client.connect();
  context.after(() => client.end().catch(() => {}));
  return client;
}

/** A fresh database with the electric schema installed. */
export async function connectToElectrifiedDatabase(server: TestPostgres, context: HasAfter): Promise<{ client: pg.Client; database: string }> {
  const fresh = await connectToFreshDatabase(server, context);
  await ensurePostgresSetup(fresh.client, silentLogger());
  return fresh;
}

export function silentLogger(): Logger {
  return createLogger({ level: 'debug', write: () => {} });
}

/** A logger that keeps its lines, for asserting on warnings. */
export function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }), lines };
}

/** Collects NOTICE messages the client receives from now on. */
export function collectNotices(client: pg.Client): string[] {
  const notices: string[] = [];
  client.on('notice', (notice) => notices.push(notice.message ?? ''));
  return notices;
}

/** Runs `sql` and returns the Postgres error it raises (failing the test if it succeeds). */
export async function queryError(client: pg.Client, sql: string): Promise<pg.DatabaseError> {
  try {
    await client.query(sql);
  } catch (error) {
    if (error instanceof pg.DatabaseError) return error;
    throw error;
  }
  throw new Error(`expected an error from: ${sql}`);
}
