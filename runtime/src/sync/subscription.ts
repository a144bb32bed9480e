// A client's subscription after its initial data was read: the shapes, the snapshot that data came from, and which
// rows of each table the client holds through it. The live stream asks it, change by change, whether a row is in.
import { UNCHANGED_TOAST } from '../pgwire/index.ts';
import type { ReplicatedTransaction, Row } from '../upstream/transaction.ts';
import { rowKey } from './row-key.ts';
import type { SyncedTable } from './schema-catalog.ts';
import type { IncludedShape, ShapeNode, ShapeRequestPlan } from './shape-plan.ts';
import { isRowSelected } from './shapes/index.ts';
import { isVisibleInSnapshot, type Snapshot } from './snapshot.ts';

/** Rows of a table whose `electric_user_id` differs from the client's user are never synced to that client. */
export const ownerColumn = 'electric_user_id';

interface NodeInContext {
  readonly node: ShapeNode;
  readonly parent: ShapeNode | undefined;
  readonly join: IncludedShape | undefined;
}

export interface Subscription {
  readonly id: string;
  readonly plans: readonly ShapeRequestPlan[];
  /** Transactions that end at or before this LSN, or that this snapshot saw, are already in the initial data. */
  readonly startLsn: bigint;
  readonly snapshot: Snapshot;
  /** The WAL insert position when the snapshot was taken (see InitialData.walLsn). */
  readonly snapshotWalLsn: bigint;
  /** Row keys the client holds through this subscription, by table name. */
  readonly members: Map<string, Set<string>>;
  /** The shape nodes that select each table. */
  readonly nodesByTable: ReadonlyMap<string, readonly NodeInContext[]>;
}

export function createSubscription(
  id: string,
  plans: readonly ShapeRequestPlan[],
  startLsn: bigint,
  snapshot: Snapshot,
  snapshotWalLsn: bigint,
): Subscription {
  const nodesByTable = new Map<string, NodeInContext[]>();
  const walk = (node: ShapeNode, parent: ShapeNode | undefined, join: IncludedShape | undefined) => {
    const name = node.table.metadata.name;
    nodesByTable.set(name, [...(nodesByTable.get(name) ?? []), { node, parent, join }]);
    for (const include of node.includes) walk(include.shape, node, include);
  };
  for (const plan of plans) walk(plan.root, undefined, undefined);
  return { id, plans, startLsn, snapshot, snapshotWalLsn, members: new Map(), nodesByTable };
}

export function addMember(subscription: Subscription, table: string, key: string): void {
  let keys = subscription.members.get(table);
  if (!keys) subscription.members.set(table, (keys = new Set()));
  keys.add(key);
}

/** True when the transaction's effects are already in this subscription's initial data. */
export function isInInitialData(subscription: Subscription, transaction: ReplicatedTransaction): boolean {
  if (transaction.endLsn <= subscription.startLsn) return true;
  if (transaction.commitLsn >= subscription.snapshotWalLsn) return false;
  return isVisibleInSnapshot(subscription.snapshot, transaction.xid);
}

/**
 * A transaction the stream already passed (it ends at or before the subscription's start) must be visible in the
 * snapshot. PostgreSQL flushes a commit record before it takes the transaction out of the running set, so a snapshot
 * taken in that moment can miss a transaction the stream already delivered; such a snapshot must be taken again.
 */
export function snapshotMissesDelivered(snapshot: Snapshot, delivered: readonly ReplicatedTransaction[]): boolean {
  return delivered.some((transaction) => !isVisibleInSnapshot(snapshot, transaction.xid));
}

/** Whether this subscription selects the row now (membership of parents decides for included tables). */
export function selectsRow(subscription: Subscription, table: SyncedTable, row: Row, userId: string): boolean {
  if (table.rowColumns.some((c) => c.name === ownerColumn) && row[ownerColumn] !== userId) return false;
  const nodes = subscription.nodesByTable.get(table.metadata.name) ?? [];
  return nodes.some(({ node, parent, join }) => {
    if (!isRowSelected(node.where, row)) return false;
    if (!parent || !join) return true;
    const members = subscription.members.get(parent.table.metadata.name);
    if (!members) return false;
    if (join.direction === 'one-to-many') {
      // The row points at its parent: in when that parent is (joined by the parent's key columns).
      const parentRow = Object.fromEntries(join.parentColumns.map((column, i) => [column, row[join.childColumns[i] as string]]));
      return members.has(rowKey(join.parentColumns, parentRow));
    }
    // Many-to-one: the parent points at this row. Live, we keep rows the client already holds through it.
    return subscription.members.get(table.metadata.name)?.has(rowKey(table.metadata.primaryKeys, row)) ?? false;
  });
}

/** An update's new row with unchanged TOAST columns filled in from the old row (REPLICA IDENTITY FULL sends both). */
export function completeRow(record: Row, oldRecord: Row | null): Row {
  if (!oldRecord || !Object.values(record).includes(UNCHANGED_TOAST)) return record;
  const complete: Record<string, unknown> = { ...record };
  for (const [column, value] of Object.entries(record)) if (value === UNCHANGED_TOAST) complete[column] = oldRecord[column];
  return complete as Row;
}
