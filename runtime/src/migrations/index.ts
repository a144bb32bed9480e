// migrations: the migrations clients receive, read from what Postgres captured in electric.ddl_commands.
//
// Purpose: turn captured DDL (one row per statement, written by the electric schema's routines, see
// postgres-setup/) into Migration values: a version plus statements in both dialects with the table metadata a
// SatOpMigrate needs. The replication path (one row at a time, columns as text) and the HTTP /api/migrations path
// (loadMigrations) share parseCapturedDdlRow, so both produce the same statements.
//
// Invariants:
// - A migration is one Postgres transaction that changed electrified tables; its version matches ^[0-9_]+$ and is
//   unique. Migrations are ordered by capture id, which is commit order (captures hold an advisory lock until commit).
// - postgresSql is the statement captured in Postgres; sqliteSql is generated from the captured metadata. No SQL is
//   ever parsed.
// - Only the supported column types (column-types.ts) occur; anything else in a captured row is ES_MIGRATION_MALFORMED.

// The values clients need (SatOpMigrate): migrations, statements, table and enum metadata.
export {
  statementKinds,
  type Migration,
  type MigrationStatement,
  type StatementKind,
  type TableMetadata,
  type ColumnMetadata,
  type ForeignKeyMetadata,
  type EnumTypeMetadata,
} from './table-metadata.ts';

// Reading captured migrations from Postgres.
export { loadMigrations, type LoadMigrationsOptions } from './load-migrations.ts';

// One captured row (e.g. from the replication stream) → statement; grouping records into migrations.
export {
  parseCapturedDdlRow,
  parseCapturedDdl,
  buildMigrationStatement,
  buildTableMetadata,
  groupIntoMigrations,
  type CapturedDdlRow,
  type CapturedDdlRecord,
  type CapturedDdl,
  type CapturedTable,
  type CapturedColumn,
  type CapturedForeignKey,
  type CapturedIndex,
  type CapturedEnumType,
  type ForeignKeyAction,
} from './captured-ddl.ts';

// Supported column types and their SQLite forms (postgres-setup builds its validation from the same table).
export { sqliteTypeByPgType, sqliteTypeOf, isSupportedPgType, enumLabelPattern, type SupportedPgType, type SqliteType } from './column-types.ts';

// The SQLite dialect.
export { buildSqliteCreateTable, buildSqliteAddColumn, buildSqliteCreateIndex, quoteSqliteIdentifier } from './sqlite-dialect.ts';

// Errors.
export { MigrationsError, isMigrationsError, migrationsErrorCodes, type MigrationsErrorCode } from './errors.ts';
