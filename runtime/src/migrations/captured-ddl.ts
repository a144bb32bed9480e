// One captured DDL statement, as Postgres stores it in electric.ddl_commands and as it arrives through the
// replication stream (every column as text): turned into a MigrationStatement with both dialects and the table
// metadata. Both the replication path and the HTTP /api/migrations path go through parseCapturedDdlRow, so a
// client gets the same migration whichever way it asks.
//
// The `metadata` column is JSON written by the electric schema's routines (postgres-setup/sql/), generated from the
// catalog at capture time. The Postgres statement is the `query` column as captured; the SQLite statement is
// generated here from the metadata, never by parsing SQL.

import { sqliteTypeOf } from './column-types.ts';
import { MigrationsError } from './errors.ts';
import { buildSqliteAddColumn, buildSqliteCreateIndex, buildSqliteCreateTable } from './sqlite-dialect.ts';
import type { Migration, MigrationStatement, TableMetadata } from './table-metadata.ts';

/** electric.ddl_commands columns as text, e.g. from a pgoutput Insert or `SELECT col::text`. */
export interface CapturedDdlRow {
  readonly id: string;
  readonly txid: string;
  readonly txts: string;
  readonly version: string;
  readonly query: string;
  readonly metadata: string;
}

export const foreignKeyActions = ['no action', 'restrict', 'cascade', 'set null', 'set default'] as const;
export type ForeignKeyAction = (typeof foreignKeyActions)[number];

export interface CapturedColumn {
  readonly name: string;
  readonly pgType: string;
  readonly typeSchema: string;
  readonly isEnum: boolean;
  readonly notNull: boolean;
}

export interface CapturedForeignKey {
  readonly name: string;
  readonly columns: readonly string[];
  readonly referencedSchema: string;
  readonly referencedTable: string;
  readonly referencedColumns: readonly string[];
  readonly onDelete: ForeignKeyAction;
  readonly onUpdate: ForeignKeyAction;
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
}

export interface CapturedTable {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly CapturedColumn[];
  readonly primaryKey: { readonly name: string; readonly columns: readonly string[] };
  readonly foreignKeys: readonly CapturedForeignKey[];
}

export interface CapturedIndex {
  readonly name: string;
  readonly unique: boolean;
  readonly columns: readonly { readonly name: string; readonly descending: boolean }[];
}

export interface CapturedEnumType {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly values: readonly string[];
}

/** The `metadata` column. */
export type CapturedDdl =
  | { readonly kind: 'create_table'; readonly table: CapturedTable }
  | { readonly kind: 'alter_add_column'; readonly table: CapturedTable; readonly column: string }
  | { readonly kind: 'create_index'; readonly table: CapturedTable; readonly index: CapturedIndex }
  | { readonly kind: 'create_enum_type'; readonly enumType: CapturedEnumType };

export interface CapturedDdlRecord {
  /** electric.ddl_commands.id: capture order, which is also commit order (captures are serialized). */
  readonly id: bigint;
  readonly txid: bigint;
  /** The capturing transaction's start time, as Postgres printed it. */
  readonly txts: string;
  readonly version: string;
  readonly captured: CapturedDdl;
  readonly statement: MigrationStatement;
}

const versionPattern = /^[0-9_]+$/;

/** Turns one electric.ddl_commands row (all columns as text) into a migration statement. */
export function parseCapturedDdlRow(row: CapturedDdlRow): CapturedDdlRecord {
  const where = `electric.ddl_commands row ${JSON.stringify(row.id)}`;
  const id = parseBigint(row.id, `${where}: id`);
  const txid = parseBigint(row.txid, `${where}: txid`);
  if (!versionPattern.test(row.version)) malformed(`${where}: version ${JSON.stringify(row.version)} does not match ^[0-9_]+$`);
  let json: unknown;
  try {
    json = JSON.parse(row.metadata);
  } catch (cause) {
    malformed(`${where}: metadata is not JSON`, cause);
  }
  const captured = parseCapturedDdl(json, `${where}: metadata`);
  return { id, txid, txts: row.txts, version: row.version, captured, statement: buildMigrationStatement(captured, row.query) };
}

/** The statement for one captured change: the Postgres text as captured, SQLite generated from the metadata. */
export function buildMigrationStatement(captured: CapturedDdl, postgresSql: string): MigrationStatement {
  switch (captured.kind) {
    case 'create_table':
      return { kind: 'create_table', postgresSql, sqliteSql: buildSqliteCreateTable(captured.table), table: buildTableMetadata(captured.table) };
    case 'alter_add_column':
      return {
        kind: 'alter_add_column',
        postgresSql,
        sqliteSql: buildSqliteAddColumn(captured.table, captured.column),
        table: buildTableMetadata(captured.table),
      };
    case 'create_index':
      return {
        kind: 'create_index',
        postgresSql,
        sqliteSql: buildSqliteCreateIndex(captured.table, captured.index),
        table: buildTableMetadata(captured.table),
      };
    case 'create_enum_type': {
      const { schema, name, values } = captured.enumType;
      return { kind: 'create_enum_type', postgresSql, sqliteSql: null, enumType: { schema, name, values } };
    }
  }
}

export function buildTableMetadata(table: CapturedTable): TableMetadata {
  return {
    schema: table.schema,
    name: table.name,
    columns: table.columns.map((column) => ({
      name: column.name,
      pgType: column.pgType,
      sqliteType: sqliteTypeOf(column) ?? malformed(`column ${column.name} of ${table.name} has unsupported type ${column.pgType}`),
      notNull: column.notNull,
    })),
    primaryKeys: table.primaryKey.columns,
    foreignKeys: table.foreignKeys.map((fk) => ({
      columns: fk.columns,
      referencedTable: fk.referencedTable,
      referencedColumns: fk.referencedColumns,
    })),
  };
}

/**
 * Groups records (in id order) into migrations, one per version, in the order each version first appears.
 * Captures are serialized in Postgres, so a version's records are contiguous; grouping by version is the safe way.
 */
export function groupIntoMigrations(records: Iterable<CapturedDdlRecord>): Migration[] {
  const byVersion = new Map<string, MigrationStatement[]>();
  for (const record of records) {
    const statements = byVersion.get(record.version);
    if (statements) statements.push(record.statement);
    else byVersion.set(record.version, [record.statement]);
  }
  return [...byVersion].map(([version, statements]) => ({ version, statements }));
}

// --- Validation of the metadata JSON -------------------------------------------------------------------------------

/** Checks the shape of a `metadata` value; throws ES_MIGRATION_MALFORMED naming the first bad field. */
export function parseCapturedDdl(json: unknown, where = 'metadata'): CapturedDdl {
  const value = object(json, where);
  const kind = value['kind'];
  switch (kind) {
    case 'create_table':
      return { kind, table: parseTable(value['table'], `${where}.table`) };
    case 'alter_add_column': {
      const table = parseTable(value['table'], `${where}.table`);
      const column = string(value['column'], `${where}.column`);
      if (!table.columns.some((c) => c.name === column)) malformed(`${where}.column: ${column} is not a column of ${table.name}`);
      return { kind, table, column };
    }
    case 'create_index':
      return { kind, table: parseTable(value['table'], `${where}.table`), index: parseIndex(value['index'], `${where}.index`) };
    case 'create_enum_type': {
      const enumType = object(value['enumType'], `${where}.enumType`);
      return {
        kind,
        enumType: {
          oid: number(enumType['oid'], `${where}.enumType.oid`),
          schema: string(enumType['schema'], `${where}.enumType.schema`),
          name: string(enumType['name'], `${where}.enumType.name`),
          values: strings(enumType['values'], `${where}.enumType.values`),
        },
      };
    }
    default:
      return malformed(`${where}.kind: unknown statement kind ${JSON.stringify(kind)}`);
  }
}

function parseTable(json: unknown, where: string): CapturedTable {
  const value = object(json, where);
  const primaryKey = object(value['primaryKey'], `${where}.primaryKey`);
  const table: CapturedTable = {
    oid: number(value['oid'], `${where}.oid`),
    schema: string(value['schema'], `${where}.schema`),
    name: string(value['name'], `${where}.name`),
    columns: array(value['columns'], `${where}.columns`).map((item, i) => {
      const column = object(item, `${where}.columns[${i}]`);
      const parsed: CapturedColumn = {
        name: string(column['name'], `${where}.columns[${i}].name`),
        pgType: string(column['pgType'], `${where}.columns[${i}].pgType`),
        typeSchema: string(column['typeSchema'], `${where}.columns[${i}].typeSchema`),
        isEnum: boolean(column['isEnum'], `${where}.columns[${i}].isEnum`),
        notNull: boolean(column['notNull'], `${where}.columns[${i}].notNull`),
      };
      if (sqliteTypeOf(parsed) === null) malformed(`${where}.columns[${i}].pgType: unsupported type ${parsed.pgType}`);
      return parsed;
    }),
    primaryKey: {
      name: string(primaryKey['name'], `${where}.primaryKey.name`),
      columns: strings(primaryKey['columns'], `${where}.primaryKey.columns`),
    },
    foreignKeys: array(value['foreignKeys'], `${where}.foreignKeys`).map((item, i) => {
      const fk = object(item, `${where}.foreignKeys[${i}]`);
      const at = `${where}.foreignKeys[${i}]`;
      return {
        name: string(fk['name'], `${at}.name`),
        columns: strings(fk['columns'], `${at}.columns`),
        referencedSchema: string(fk['referencedSchema'], `${at}.referencedSchema`),
        referencedTable: string(fk['referencedTable'], `${at}.referencedTable`),
        referencedColumns: strings(fk['referencedColumns'], `${at}.referencedColumns`),
        onDelete: action(fk['onDelete'], `${at}.onDelete`),
        onUpdate: action(fk['onUpdate'], `${at}.onUpdate`),
        deferrable: boolean(fk['deferrable'], `${at}.deferrable`),
        initiallyDeferred: boolean(fk['initiallyDeferred'], `${at}.initiallyDeferred`),
      };
    }),
  };
  const names = new Set(table.columns.map((c) => c.name));
  for (const key of table.primaryKey.columns) {
    if (!names.has(key)) malformed(`${where}.primaryKey: ${key} is not a column of ${table.name}`);
  }
  if (table.primaryKey.columns.length === 0) malformed(`${where}.primaryKey: no columns`);
  return table;
}

function parseIndex(json: unknown, where: string): CapturedIndex {
  const value = object(json, where);
  const columns = array(value['columns'], `${where}.columns`).map((item, i) => {
    const column = object(item, `${where}.columns[${i}]`);
    return {
      name: string(column['name'], `${where}.columns[${i}].name`),
      descending: boolean(column['descending'], `${where}.columns[${i}].descending`),
    };
  });
  if (columns.length === 0) malformed(`${where}.columns: no columns`);
  return { name: string(value['name'], `${where}.name`), unique: boolean(value['unique'], `${where}.unique`), columns };
}

function malformed(message: string, cause?: unknown): never {
  throw new MigrationsError('ES_MIGRATION_MALFORMED', message, cause === undefined ? undefined : { cause });
}

function parseBigint(text: string, where: string): bigint {
  if (!/^[0-9]+$/.test(text)) malformed(`${where} is not an unsigned integer: ${JSON.stringify(text)}`);
  return BigInt(text);
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return malformed(`${where}: expected an object`);
  return value as Record<string, unknown>;
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) return malformed(`${where}: expected an array`);
  return value;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') return malformed(`${where}: expected a non-empty string`);
  return value;
}

function strings(value: unknown, where: string): string[] {
  return array(value, where).map((item, i) => string(item, `${where}[${i}]`));
}

function number(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return malformed(`${where}: expected an integer`);
  return value;
}

function boolean(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') return malformed(`${where}: expected true or false`);
  return value;
}

function action(value: unknown, where: string): ForeignKeyAction {
  if (!(foreignKeyActions as readonly unknown[]).includes(value)) {
    return malformed(`${where}: expected one of ${foreignKeyActions.join(', ')}`);
  }
  return value as ForeignKeyAction;
}
