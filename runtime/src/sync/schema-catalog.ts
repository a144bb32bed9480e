// What clients can sync: the electrified tables as they are now, and the migrations that made them, folded from the
// captured migrations. Loaded once at start, then kept current by the migrations that arrive through the replication
// stream (inserts into electric.ddl_commands), so clients see schema changes in commit order with the data.
import type { RowColumn } from '../client-protocol/index.ts';
import {
  groupIntoMigrations,
  parseCapturedDdlRow,
  type CapturedDdlRow,
  type Migration,
  type TableMetadata,
} from '../migrations/index.ts';
import type { Row } from '../upstream/transaction.ts';

export interface SyncedTable {
  /** Our relation id for SatRelation: the table's ordinal in electrification order, stable for the process. */
  readonly relationId: number;
  readonly metadata: TableMetadata;
  /** The columns in order, as the row codec needs them. */
  readonly rowColumns: readonly RowColumn[];
}

export interface SchemaCatalog {
  tables(): readonly SyncedTable[];
  table(name: string): SyncedTable | undefined;
  /**
   * The synced tables by name, as they are now. A new map after every migration (the old one never changes), so a
   * transaction can keep the tables as they were when it committed.
   */
  tableMap(): ReadonlyMap<string, SyncedTable>;
  migrations(): readonly Migration[];
  /** Migrations after `version` (all for undefined or ''), or undefined when the version is unknown. */
  migrationsAfter(version: string | undefined): readonly Migration[] | undefined;
  /** Adds migrations that arrived through replication; returns those that were new. */
  apply(migrations: readonly Migration[]): readonly Migration[];
}

/** The schema and table of our migrations table, whose inserts carry migrations through the replication stream. */
export const ddlCommandsTable = { schema: 'electric', table: 'ddl_commands' } as const;

export function createSchemaCatalog(initial: readonly Migration[]): SchemaCatalog {
  const migrations: Migration[] = [];
  let tables = new Map<string, SyncedTable>();
  const enumValues = new Map<string, readonly string[]>();

  const fold = (migration: Migration) => {
    tables = new Map(tables); // copy on write: maps handed out earlier stay as they were
    for (const statement of migration.statements) {
      if (statement.kind === 'create_enum_type') {
        enumValues.set(statement.enumType.name, statement.enumType.values);
        continue;
      }
      const metadata = statement.table;
      const existing = tables.get(metadata.name);
      tables.set(metadata.name, {
        relationId: existing?.relationId ?? tables.size + 1,
        metadata,
        rowColumns: metadata.columns.map((column) => {
          const labels = enumValues.get(column.pgType);
          return { name: column.name, type: column.pgType, nullable: !column.notNull, ...(labels ? { enumValues: labels } : {}) };
        }),
      });
    }
    migrations.push(migration);
  };
  initial.forEach(fold);

  return {
    tables: () => [...tables.values()],
    table: (name) => tables.get(name),
    tableMap: () => tables,
    migrations: () => migrations,
    migrationsAfter(version) {
      if (version === undefined || version === '') return migrations;
      const index = migrations.findIndex((m) => m.version === version);
      return index < 0 ? undefined : migrations.slice(index + 1);
    },
    apply(incoming) {
      const known = new Set(migrations.map((m) => m.version));
      const fresh = incoming.filter((m) => !known.has(m.version));
      fresh.forEach(fold);
      return fresh;
    },
  };
}

/** The migrations carried by a replicated transaction's inserts into electric.ddl_commands. */
export function migrationsInChanges(rows: readonly Row[]): Migration[] {
  return groupIntoMigrations(rows.map((row) => parseCapturedDdlRow(toCapturedRow(row))));
}

function toCapturedRow(row: Row): CapturedDdlRow {
  const text = (name: string) => {
    const value = row[name];
    if (value === null || value === undefined || typeof value === 'symbol') return '';
    return typeof value === 'string' ? value : String(value);
  };
  return { id: text('id'), txid: text('txid'), txts: text('txts'), version: text('version'), query: text('query'), metadata: text('metadata') };
}
