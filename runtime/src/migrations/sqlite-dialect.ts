// SQLite statements for a client, built from captured table metadata (never by parsing Postgres SQL).
//
// Rules (Electric 0.12's SQLite dialect, notes §5.3):
// - Tables lose their schema: a SQLite client has one namespace (main). Identifiers are always double-quoted.
// - Column types: ints and bool → INTEGER, floats → REAL, text/varchar/uuid/dates/times/enums → TEXT, bytea → BLOB,
//   jsonb → TEXT_JSON (see column-types.ts). NOT NULL is kept.
// - Primary key and foreign keys are kept as named table constraints. No WITHOUT ROWID (dropped in 0.12.1).
// - Each builder returns exactly one statement ending in ';'.

import type { CapturedForeignKey, CapturedIndex, CapturedTable, ForeignKeyAction } from './captured-ddl.ts';
import { sqliteTypeOf } from './column-types.ts';
import { MigrationsError } from './errors.ts';

/** `"name"`, with embedded double quotes doubled. */
export function quoteSqliteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function buildSqliteCreateTable(table: CapturedTable): string {
  const lines = [
    ...table.columns.map((column) => buildColumnDefinition(table, column.name)),
    `CONSTRAINT ${quoteSqliteIdentifier(table.primaryKey.name)} PRIMARY KEY (${quoteList(table.primaryKey.columns)})`,
    ...table.foreignKeys.map(buildForeignKey),
  ];
  return `CREATE TABLE ${quoteSqliteIdentifier(table.name)} (\n${lines.map((line) => `  ${line}`).join(',\n')}\n);`;
}

export function buildSqliteAddColumn(table: CapturedTable, column: string): string {
  return `ALTER TABLE ${quoteSqliteIdentifier(table.name)} ADD COLUMN ${buildColumnDefinition(table, column)};`;
}

export function buildSqliteCreateIndex(table: CapturedTable, index: CapturedIndex): string {
  const columns = index.columns.map((c) => `${quoteSqliteIdentifier(c.name)}${c.descending ? ' DESC' : ''}`).join(', ');
  const unique = index.unique ? 'UNIQUE ' : '';
  return `CREATE ${unique}INDEX ${quoteSqliteIdentifier(index.name)} ON ${quoteSqliteIdentifier(table.name)} (${columns});`;
}

function buildColumnDefinition(table: CapturedTable, name: string): string {
  const column = table.columns.find((c) => c.name === name);
  if (!column) throw new MigrationsError('ES_MIGRATION_MALFORMED', `${name} is not a column of ${table.name}`);
  const type = sqliteTypeOf(column);
  if (type === null) {
    throw new MigrationsError('ES_MIGRATION_MALFORMED', `column ${name} of ${table.name} has unsupported type ${column.pgType}`);
  }
  return `${quoteSqliteIdentifier(column.name)} ${type}${column.notNull ? ' NOT NULL' : ''}`;
}

function buildForeignKey(fk: CapturedForeignKey): string {
  let sql =
    `CONSTRAINT ${quoteSqliteIdentifier(fk.name)} FOREIGN KEY (${quoteList(fk.columns)}) ` +
    `REFERENCES ${quoteSqliteIdentifier(fk.referencedTable)} (${quoteList(fk.referencedColumns)})`;
  if (fk.onDelete !== 'no action') sql += ` ON DELETE ${actionSql(fk.onDelete)}`;
  if (fk.onUpdate !== 'no action') sql += ` ON UPDATE ${actionSql(fk.onUpdate)}`;
  if (fk.deferrable && fk.initiallyDeferred) sql += ' DEFERRABLE INITIALLY DEFERRED';
  return sql;
}

function actionSql(action: ForeignKeyAction): string {
  return action.toUpperCase();
}

function quoteList(names: readonly string[]): string {
  return names.map(quoteSqliteIdentifier).join(', ');
}
