// What the replication consumer hands downstream: one committed transaction, its changes decoded into typed rows.
import type { PgValue, UnchangedToast } from '../pgwire/index.ts';

export type Row = Readonly<Record<string, PgValue | UnchangedToast>>;

export interface ReplicatedRelation {
  readonly oid: number;
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly { readonly name: string; readonly typeOid: number; readonly isKey: boolean }[];
}

export type ReplicatedChange =
  | { readonly kind: 'insert'; readonly relation: ReplicatedRelation; readonly record: Row }
  | { readonly kind: 'update'; readonly relation: ReplicatedRelation; readonly record: Row; readonly oldRecord: Row | null }
  | { readonly kind: 'delete'; readonly relation: ReplicatedRelation; readonly oldRecord: Row }
  | { readonly kind: 'truncate'; readonly relations: readonly ReplicatedRelation[] };

/** A logical decoding message (pg_logical_emit_message) sent inside the transaction. */
export interface ReplicatedMessage {
  readonly prefix: string;
  readonly content: Buffer;
}

export interface ReplicatedTransaction {
  readonly xid: number;
  /** LSN of the commit record. */
  readonly commitLsn: bigint;
  /** LSN just past the commit record: the position to resume after this transaction, and to acknowledge. */
  readonly endLsn: bigint;
  /** Commit time, milliseconds since the Unix epoch. */
  readonly commitTimeMs: number;
  readonly changes: readonly ReplicatedChange[];
  readonly messages: readonly ReplicatedMessage[];
  /** Rough memory footprint, for bounding caches and queues. */
  readonly approximateBytes: number;
}
