// postgres-setup: makes the upstream database ready for sync, and everything Electric 0.x runs inside it.
//
// Purpose: ensurePostgresSetup checks the server (wal_level = logical, PostgreSQL 14+) and our role (superuser, or
// REPLICATION plus the right to create event triggers), then installs or upgrades the `electric` schema:
// - electric.schema_migrations: our own versioned schema migrations (schema-migrations.ts), applied once each;
// - electric.electrified, electric.migration_versions, electric.ddl_commands (captured migrations);
// - routines (sql/): CALL electric.electrify('items'), CALL electric.migration_version('…'), and two event triggers
//   that turn ADD COLUMN / CREATE INDEX on electrified tables into migrations and refuse every other change;
// - the publication electric_publication with electric.ddl_commands and every electrified table.
// replicationSlotName gives the durable slot's name (the replication consumer creates the slot).
//
// Invariants:
// - Setup runs in one transaction under pg_advisory_xact_lock(setupLockKey): concurrent starts are safe, and a
//   failed setup changes nothing.
// - Captures hold pg_advisory_xact_lock(captureLockKey) until their transaction ends, so electric.ddl_commands ids
//   follow commit order; migrations/ relies on that.
// - Every routine runs with search_path = pg_catalog, pg_temp; the public ones are SECURITY DEFINER and check the
//   caller (electrify: table owner).
// - Errors are PostgresSetupError with a code from postgresSetupErrorCodes; refusals inside Postgres are SQL
//   errors (SQLSTATE 0A000 feature_not_supported for unsupported tables and changes) whose message names the table,
//   the column/constraint/index and the fix.

// Setting the database up.
export { ensurePostgresSetup, type PostgresSetupResult, type PostgresSetupOptions } from './ensure-postgres-setup.ts';

// The checks ensurePostgresSetup runs first, for a status page or a CLI "doctor".
export { readSetupFacts, findPrerequisiteProblems, minimumServerVersionNum, type SetupFacts } from './prerequisites.ts';

// Our schema migrations (append-only).
export { electricSchemaMigrations, type SchemaMigration } from './schema-migrations.ts';

// Names and lock keys shared with the replication consumer and tests.
export { replicationSlotName, replicationSlotPrefix } from './slot-name.ts';
export { publicationName, electricSchema, setupLockKey, captureLockKey } from './sql/index.ts';

// Errors.
export { PostgresSetupError, isPostgresSetupError, postgresSetupErrorCodes, type PostgresSetupErrorCode, type SetupProblem } from './errors.ts';
