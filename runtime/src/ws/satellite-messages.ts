// Builds the Satellite messages the server sends: relations, transactions of row operations, migrations, and the
// framing of subscription data. Values go through the row codec in the column order of the table's SatRelation.
import { create } from '@bufbuild/protobuf';
import {
  SatOpLogSchema,
  SatOpMigrate_Type,
  SatOpMigrateSchema,
  SatRelation_RelationType,
  SatRelationSchema,
  SatTransOpSchema,
  serializeRow,
  serializeServerLsn,
  type SatOpLog,
  type SatOpMigrate,
  type SatRelation,
  type SatTransOp,
  type RowRecord,
} from '../client-protocol/index.ts';
import type { Migration, MigrationStatement, TableMetadata } from '../migrations/index.ts';
import type { SyncedTable } from '../sync/schema-catalog.ts';

/** The origin Electric gives changes made in PostgreSQL (the connector's name); tags are `<origin>@<commit ms>`. */
export const postgresOrigin = 'postgres_1';

export function buildRelation(table: SyncedTable): SatRelation {
  const primaryKeys = table.metadata.primaryKeys;
  return create(SatRelationSchema, {
    schemaName: 'public',
    tableType: SatRelation_RelationType.TABLE,
    tableName: table.metadata.name,
    relationId: table.relationId,
    columns: table.rowColumns.map((column) => ({
      name: column.name,
      type: column.type,
      primaryKey: primaryKeys.includes(column.name),
      isNullable: column.nullable,
    })),
  });
}

export type OutgoingChange =
  | { readonly kind: 'insert'; readonly table: SyncedTable; readonly record: RowRecord }
  | { readonly kind: 'update'; readonly table: SyncedTable; readonly record: RowRecord; readonly oldRecord: RowRecord }
  | { readonly kind: 'delete'; readonly table: SyncedTable; readonly oldRecord: RowRecord };

export function buildChangeOp(change: OutgoingChange, tag: string): SatTransOp {
  const relationId = change.table.relationId;
  const columns = change.table.rowColumns;
  switch (change.kind) {
    case 'insert':
      return create(SatTransOpSchema, { op: { case: 'insert', value: { relationId, rowData: serializeRow(change.record, columns), tags: [tag] } } });
    case 'update':
      return create(SatTransOpSchema, {
        op: {
          case: 'update',
          value: { relationId, rowData: serializeRow(change.record, columns), oldRowData: serializeRow(change.oldRecord, columns), tags: [tag] },
        },
      });
    case 'delete':
      return create(SatTransOpSchema, { op: { case: 'delete', value: { relationId, oldRowData: serializeRow(change.oldRecord, columns), tags: [] } } });
  }
}

export interface TransactionFrame {
  readonly commitTimeMs: number;
  /** Our LSN after this transaction: what the client resumes from. */
  readonly lsn: bigint;
  readonly transactionId: bigint;
  readonly origin: string;
  readonly isMigration: boolean;
  readonly ops: readonly SatTransOp[];
}

export function buildTransaction(frame: TransactionFrame): SatOpLog {
  const lsn = serializeServerLsn(frame.lsn);
  const commitTimestamp = BigInt(frame.commitTimeMs);
  return create(SatOpLogSchema, {
    ops: [
      {
        op: {
          case: 'begin',
          value: { commitTimestamp, lsn, origin: frame.origin, isMigration: frame.isMigration, transactionId: frame.transactionId },
        },
      },
      ...frame.ops,
      { op: { case: 'commit', value: { commitTimestamp, lsn, transactionId: frame.transactionId } } },
    ],
  });
}

/** Insert-only op logs for subscription data, at most `batch` rows each. */
export function buildShapeDataLogs(rows: readonly { table: SyncedTable; record: RowRecord }[], tag: string, batch = 500): SatOpLog[] {
  const logs: SatOpLog[] = [];
  for (let i = 0; i < rows.length; i += batch) {
    logs.push(
      create(SatOpLogSchema, {
        ops: rows.slice(i, i + batch).map(({ table, record }) => buildChangeOp({ kind: 'insert', table, record }, tag)),
      }),
    );
  }
  return logs;
}

/** The SatOpMigrate ops of a migration for a SQLite client (enum types need no statement there). */
export function buildMigrateOps(migration: Migration): SatTransOp[] {
  return migration.statements
    .filter((statement): statement is Extract<MigrationStatement, { sqliteSql: string }> => statement.kind !== 'create_enum_type')
    .map((statement) => create(SatTransOpSchema, { op: { case: 'migrate', value: buildMigrate(migration.version, statement) } }));
}

const statementTypes = {
  create_table: SatOpMigrate_Type.CREATE_TABLE,
  create_index: SatOpMigrate_Type.CREATE_INDEX,
  alter_add_column: SatOpMigrate_Type.ALTER_ADD_COLUMN,
} as const;

function buildMigrate(version: string, statement: Extract<MigrationStatement, { sqliteSql: string }>): SatOpMigrate {
  return create(SatOpMigrateSchema, {
    version,
    stmts: [{ type: statementTypes[statement.kind], sql: statement.sqliteSql }],
    affectedEntity: { case: 'table', value: buildMigrateTable(statement.table) },
  });
}

function buildMigrateTable(table: TableMetadata) {
  return {
    name: table.name,
    columns: table.columns.map((column) => ({ name: column.name, sqliteType: column.sqliteType, pgType: { name: column.pgType, array: [], size: [] } })),
    fks: table.foreignKeys.map((fk) => ({ fkCols: [...fk.columns], pkTable: fk.referencedTable, pkCols: [...fk.referencedColumns] })),
    pks: [...table.primaryKeys],
  };
}

/** The SatOpMigrate messages of a migration in Postgres dialect, for /api/migrations?dialect=postgresql. */
export function buildPostgresMigrateMessages(migration: Migration): SatOpMigrate[] {
  return migration.statements.map((statement) =>
    create(SatOpMigrateSchema, {
      version: migration.version,
      stmts: [
        {
          type: statement.kind === 'create_enum_type' ? SatOpMigrate_Type.CREATE_ENUM_TYPE : statementTypes[statement.kind],
          sql: statement.postgresSql,
        },
      ],
      affectedEntity:
        statement.kind === 'create_enum_type'
          ? { case: 'enumType', value: { name: statement.enumType.name, values: [...statement.enumType.values] } }
          : { case: 'table', value: buildMigrateTable(statement.table) },
    }),
  );
}
