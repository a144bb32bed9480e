// Our own migrations of the electric schema: an ordered, append-only list. Each runs once, in the setup transaction,
// and is recorded in electric.schema_migrations. Never edit a released entry; add a new one.
// (Functions and procedures are not here: they are replaced as a whole when their text changes, see sql/index.ts.)

export interface SchemaMigration {
  /** Increasing; recorded in electric.schema_migrations.version. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const electricSchemaMigrations: readonly SchemaMigration[] = [
  {
    version: 1,
    name: 'tables for electrification and migration capture',
    sql: `
      -- Electrified tables, with the structure their last captured migration left them in.
      CREATE TABLE electric.electrified (
        oid oid PRIMARY KEY,
        schema_name text NOT NULL,
        table_name text NOT NULL,
        electrified_at timestamptz NOT NULL DEFAULT now(),
        structure jsonb NOT NULL,
        UNIQUE (schema_name, table_name)
      );

      -- One row per transaction that captured DDL: its migration version.
      CREATE TABLE electric.migration_versions (
        txid xid8 PRIMARY KEY,
        txts timestamptz NOT NULL,
        version text NOT NULL UNIQUE CHECK (version ~ '^[0-9_]+$'),
        explicit boolean NOT NULL,
        inserted_at timestamptz NOT NULL DEFAULT now()
      );

      -- One row per captured statement, in capture (= commit) order. Published: migrations reach the replication
      -- stream in commit order with the data. metadata is the JSON read by migrations/captured-ddl.ts.
      CREATE TABLE electric.ddl_commands (
        id bigserial PRIMARY KEY,
        txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        txts timestamptz NOT NULL DEFAULT transaction_timestamp(),
        version text NOT NULL,
        query text NOT NULL,
        metadata jsonb NOT NULL
      );
      CREATE INDEX ddl_commands_version_idx ON electric.ddl_commands (version);

      -- Fingerprint of the routines now installed (sql/index.ts).
      CREATE TABLE electric.installed_routines (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        fingerprint text NOT NULL,
        installed_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];
