// Makes the database ready for sync: checks the server and role, then installs or upgrades the electric schema in
// one transaction under an advisory lock, so runtimes that start at the same time take turns and the second finds
// everything done.

import type pg from 'pg';
import type { Logger } from '../logging/logger.ts';
import { PostgresSetupError } from './errors.ts';
import { findPrerequisiteProblems, readSetupFacts } from './prerequisites.ts';
import { electricSchemaMigrations, type SchemaMigration } from './schema-migrations.ts';
import { routinesFingerprint, routinesSql, setupLockKey } from './sql/index.ts';

export interface PostgresSetupResult {
  /** Highest schema migration version now recorded in the database. */
  readonly schemaVersion: number;
  /** Schema migrations this call applied (empty when another runtime, or an earlier start, did). */
  readonly appliedMigrations: readonly number[];
  /** Whether this call (re)installed the routines and event triggers. */
  readonly installedRoutines: boolean;
}

export interface PostgresSetupOptions {
  /** Our schema migrations; only tests pass another list, to exercise upgrades. */
  readonly schemaMigrations?: readonly SchemaMigration[];
}

/**
 * Idempotent: checks wal_level, server version and role privileges (throwing a PostgresSetupError listing every
 * problem with its fix), then brings the electric schema, its routines, event triggers and the publication
 * `electric_publication` up to date. The client must not be inside a transaction.
 */
export async function ensurePostgresSetup(
  client: pg.Client,
  logger: Logger,
  options: PostgresSetupOptions = {},
): Promise<PostgresSetupResult> {
  const facts = await readSetupFacts(client);
  const [first, ...rest] = findPrerequisiteProblems(facts);
  if (first) throw PostgresSetupError.fromProblems([first, ...rest]);

  const migrations = [...(options.schemaMigrations ?? electricSchemaMigrations)].sort((a, b) => a.version - b.version);
  const latest = migrations.at(-1)?.version ?? 0;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1::int8)', [setupLockKey.toString()]);
    // No "already exists, skipping" notices on every start.
    await client.query('SET LOCAL client_min_messages = warning');
    await client.query('CREATE SCHEMA IF NOT EXISTS electric');
    await client.query(
      `CREATE TABLE IF NOT EXISTS electric.schema_migrations (
         version int8 PRIMARY KEY,
         name text NOT NULL,
         inserted_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: string }>('SELECT version::text FROM electric.schema_migrations');
    const recorded = new Set(rows.map((row) => Number(row.version)));
    const newest = Math.max(0, ...recorded);

    const appliedMigrations: number[] = [];
    for (const migration of migrations) {
      if (recorded.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO electric.schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      appliedMigrations.push(migration.version);
      logger.info('applied electric schema migration', { version: migration.version, name: migration.name });
    }

    let installedRoutines = false;
    if (newest > latest) {
      // A newer electric-sync upgraded this database. Its routines stay: ours would be older.
      logger.warn('the electric schema is newer than this electric-sync; leaving its routines as they are', {
        database_schema_version: newest,
        our_schema_version: latest,
      });
    } else if (!(await routinesAreCurrent(client))) {
      await client.query(routinesSql);
      await client.query(
        `INSERT INTO electric.installed_routines (singleton, fingerprint) VALUES (true, $1)
         ON CONFLICT (singleton) DO UPDATE SET fingerprint = excluded.fingerprint, installed_at = now()`,
        [routinesFingerprint],
      );
      installedRoutines = true;
      logger.info('installed electric routines and event triggers', { fingerprint: routinesFingerprint.slice(0, 12) });
    }

    await client.query('SELECT electric.__ensure_publication()');
    await client.query('COMMIT');
    const schemaVersion = Math.max(newest, ...appliedMigrations);
    logger.debug('electric schema is ready', { schema_version: schemaVersion });
    return { schemaVersion, appliedMigrations, installedRoutines };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    if (error instanceof PostgresSetupError) throw error;
    throw new PostgresSetupError('ES_PG_SETUP_FAILED', `while installing the electric schema: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Same routines text installed, and both event triggers present and enabled. */
async function routinesAreCurrent(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ current: boolean }>(
    `SELECT (SELECT fingerprint FROM electric.installed_routines) IS NOT DISTINCT FROM $1
        AND (SELECT count(*) FROM pg_catalog.pg_event_trigger
              WHERE evtname IN ('electric_ddl_command_end', 'electric_sql_drop') AND evtenabled <> 'D') = 2 AS current`,
    [routinesFingerprint],
  );
  return rows[0]?.current === true;
}
