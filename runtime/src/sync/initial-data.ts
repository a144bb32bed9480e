// Reads a subscription's initial data: every row of every shape, in one REPEATABLE READ transaction, together with
// that transaction's snapshot. Values come back in PostgreSQL's text form (the connection has Electric's display
// settings), which the row codec sends as they are. Each literal of a where clause is a query parameter.
import type pg from 'pg';
import type { ShapeNode, ShapeRequestPlan } from './shape-plan.ts';
import { rowKey } from './row-key.ts';
import { parseSnapshot, type Snapshot } from './snapshot.ts';
import { ownerColumn } from './subscription.ts';
import type { SyncedTable } from './schema-catalog.ts';
import { buildWhereSql, quoteIdent } from './shapes/index.ts';

export type TextRow = Readonly<Record<string, string | null>>;

export interface InitialRow {
  readonly table: SyncedTable;
  readonly record: TextRow;
  readonly key: string;
}

export interface InitialData {
  readonly snapshot: Snapshot;
  /**
   * The WAL insert position when the snapshot was taken: a transaction whose commit record lies at or after it
   * committed after the snapshot, so it is not in the data whatever its xid says (xids wrap around; positions do not).
   */
  readonly walLsn: bigint;
  readonly shapes: readonly { readonly requestId: string; readonly rows: readonly InitialRow[] }[];
}

/**
 * `userId`: rows of tables with an `electric_user_id` column are read only when that column holds this user, as the
 * live stream filters them (subscription.ts).
 */
export async function fetchInitialData(client: pg.Client, plans: readonly ShapeRequestPlan[], userId: string): Promise<InitialData> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const { rows } = await client.query<{ snapshot: string; wal: string }>(
      "SELECT pg_current_snapshot()::text AS snapshot, (pg_current_wal_insert_lsn() - '0/0')::text AS wal",
    );
    const snapshot = parseSnapshot(rows[0]?.snapshot ?? '');
    const walLsn = BigInt(rows[0]?.wal ?? '0');
    const shapes = [];
    for (const plan of plans) {
      const seen = new Set<string>();
      const shapeRows: InitialRow[] = [];
      for (const { node, sql, params } of shapeQueries(plan.root, userId)) {
        const result = await client.query<TextRow>({ text: sql, values: params as unknown[], types: rawText });
        for (const record of result.rows) {
          const key = `${node.table.metadata.name}:${rowKey(node.table.metadata.primaryKeys, record)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          shapeRows.push({ table: node.table, record, key: rowKey(node.table.metadata.primaryKeys, record) });
        }
      }
      shapes.push({ requestId: plan.requestId, rows: shapeRows });
    }
    await client.query('COMMIT');
    return { snapshot, walLsn, shapes };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

// Every value exactly as the type's output function prints it — the same text pgoutput sends (a cast to text would
// differ: bool::text is 'true', its output is 't').
const rawText = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

interface ShapeQuery {
  readonly node: ShapeNode;
  readonly sql: string;
  readonly params: readonly (string | null)[];
}

/**
 * One query per table of the shape, parents first. An included table's query selects the rows joined to the rows
 * its parent's query selects, by nesting the parent's query.
 */
export function shapeQueries(root: ShapeNode, userId: string): ShapeQuery[] {
  const queries: ShapeQuery[] = [];
  const visit = (node: ShapeNode, parent: { sql: string; params: readonly (string | null)[] } | undefined, join?: ShapeNode['includes'][number]) => {
    const params: (string | null)[] = [...(parent?.params ?? [])];
    const conditions: string[] = [];
    if (parent && join) {
      const childColumns = join.childColumns.map((c) => `t.${quoteIdent(c)}`).join(', ');
      const parentColumns = join.parentColumns.map((c) => `p.${quoteIdent(c)}`).join(', ');
      conditions.push(`(${childColumns}) IN (SELECT ${parentColumns} FROM (${parent.sql}) AS p)`);
    }
    if (node.table.rowColumns.some((column) => column.name === ownerColumn)) {
      params.push(userId);
      conditions.push(`t.${quoteIdent(ownerColumn)} = $${params.length}`);
    }
    if (node.where) {
      const where = buildWhereSql(node.where, { firstParameter: params.length + 1 });
      // The where clause's SQL names columns unqualified; inside this query they are the table's own (alias t).
      conditions.push(`(${where.sql})`);
      params.push(...where.params);
    }
    const columns = node.table.metadata.columns.map((c) => `t.${quoteIdent(c.name)}`).join(', ');
    const from = `${quoteIdent(node.table.metadata.schema)}.${quoteIdent(node.table.metadata.name)} AS t`;
    const sql = `SELECT ${columns} FROM ${from}${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''}`;
    queries.push({ node, sql, params });
    const parentSql = `SELECT t.* FROM ${from}${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''}`;
    for (const include of node.includes) visit(include.shape, { sql: parentSql, params }, include);
  };
  visit(root, undefined);
  return queries;
}
