// The column types a table may have to be electrified, and how each is stored on a SQLite client
// (Electric 0.12: Electric.Postgres.supported_types/0 and the SQLite dialect's type table, notes §5.3/§5.4).
// postgres-setup builds its validation SQL from this table, so the two never disagree.

/** Supported Postgres types (pg_type.typname in pg_catalog, no type modifier) and their SQLite column type. */
export const sqliteTypeByPgType = {
  bool: 'INTEGER',
  int2: 'INTEGER',
  int4: 'INTEGER',
  int8: 'INTEGER',
  float4: 'REAL',
  float8: 'REAL',
  text: 'TEXT',
  varchar: 'TEXT',
  uuid: 'TEXT',
  date: 'TEXT',
  time: 'TEXT',
  timestamp: 'TEXT',
  timestamptz: 'TEXT',
  bytea: 'BLOB',
  jsonb: 'TEXT_JSON',
} as const;

export type SupportedPgType = keyof typeof sqliteTypeByPgType;

export type SqliteType = (typeof sqliteTypeByPgType)[SupportedPgType];

/** Enum values must be plain identifiers, compared case-insensitively (Electric's __validate_table_column_types). */
export const enumLabelPattern = /^[a-z][a-z_0-9]*$/i;

export function isSupportedPgType(name: string): name is SupportedPgType {
  return Object.hasOwn(sqliteTypeByPgType, name);
}

/**
 * The SQLite type of a column: from the table above, or TEXT for a user enum. Returns null for a type we do not
 * support, so a caller can report the column.
 */
export function sqliteTypeOf(column: { readonly pgType: string; readonly isEnum: boolean }): SqliteType | null {
  if (column.isEnum) return 'TEXT';
  return isSupportedPgType(column.pgType) ? sqliteTypeByPgType[column.pgType] : null;
}
