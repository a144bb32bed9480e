// What a client needs to know about one migration statement: the SQL in both dialects and, for table changes, the
// table as it is after the statement (columns with their Postgres and SQLite types, primary key, foreign keys).
// This is the payload of Electric's SatOpMigrate (notes §3.4, §6.2 item 5): `Stmt{type, sql}` plus either
// `affected_entity.table` or `affected_entity.enum_type`.

import type { SqliteType } from './column-types.ts';

export interface ColumnMetadata {
  readonly name: string;
  /** pg_type.typname: 'int4', 'varchar', 'timestamptz', or the enum's own name, e.g. 'mood'. */
  readonly pgType: string;
  readonly sqliteType: SqliteType;
  readonly notNull: boolean;
}

export interface ForeignKeyMetadata {
  readonly columns: readonly string[];
  /** The referenced table's name (electrified tables all live in schema public). */
  readonly referencedTable: string;
  readonly referencedColumns: readonly string[];
}

export interface TableMetadata {
  readonly schema: string;
  readonly name: string;
  /** In column order. */
  readonly columns: readonly ColumnMetadata[];
  /** In key order. */
  readonly primaryKeys: readonly string[];
  readonly foreignKeys: readonly ForeignKeyMetadata[];
}

export interface EnumTypeMetadata {
  readonly schema: string;
  readonly name: string;
  /** In sort order. */
  readonly values: readonly string[];
}

/** SatOpMigrate.Stmt.Type, by our names. */
export const statementKinds = ['create_table', 'create_index', 'alter_add_column', 'create_enum_type'] as const;
export type StatementKind = (typeof statementKinds)[number];

export type MigrationStatement =
  | {
      readonly kind: 'create_table' | 'create_index' | 'alter_add_column';
      /** One Postgres statement, ending in ';'. */
      readonly postgresSql: string;
      /** The same change for a SQLite client, one statement ending in ';'. */
      readonly sqliteSql: string;
      /** The table after this statement. */
      readonly table: TableMetadata;
    }
  | {
      /** An enum type an electrified column uses, captured before the first statement that needs it. */
      readonly kind: 'create_enum_type';
      readonly postgresSql: string;
      /** SQLite has no enum types: enum columns are TEXT there, so a SQLite client has nothing to run. */
      readonly sqliteSql: null;
      readonly enumType: EnumTypeMetadata;
    };

export interface Migration {
  /** Matches ^[0-9_]+$. Unique per migration (one migration = one Postgres transaction that changed electrified tables). */
  readonly version: string;
  readonly statements: readonly MigrationStatement[];
}
