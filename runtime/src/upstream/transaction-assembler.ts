// Groups decoded pgoutput messages into whole transactions (Begin … Commit) with typed rows.
// Pure: no I/O, so its rules are tested without a database.
import {
  buildRow,
  pgMicrosToMillis,
  PgwireError,
  type PgoutputMessage,
  type RelationMessage,
} from '../pgwire/index.ts';
import type { ReplicatedChange, ReplicatedMessage, ReplicatedRelation, ReplicatedTransaction } from './transaction.ts';

export interface TransactionAssembler {
  /** Feeds one message; returns the transaction its Commit completes, if any. */
  push(message: PgoutputMessage, byteLength: number): ReplicatedTransaction | undefined;
  /** True between a Begin and its Commit. */
  readonly inTransaction: boolean;
}

export function createTransactionAssembler(): TransactionAssembler {
  let open: { xid: number; changes: ReplicatedChange[]; messages: ReplicatedMessage[]; bytes: number } | undefined;
  const relations = new Map<number, ReplicatedRelation>();

  const relationOf = (message: RelationMessage): ReplicatedRelation => {
    let relation = relations.get(message.relationOid);
    if (!relation || relation.table !== message.name || relation.columns.length !== message.columns.length) {
      relation = {
        oid: message.relationOid,
        schema: message.namespace === '' ? 'pg_catalog' : message.namespace,
        table: message.name,
        columns: message.columns.map((c) => ({ name: c.name, typeOid: c.typeOid, isKey: c.isKey })),
      };
      relations.set(message.relationOid, relation);
    }
    return relation;
  };

  const requireOpen = (what: string) => {
    if (!open) throw new PgwireError('PGWIRE_MALFORMED', `pgoutput ${what} outside a transaction`);
    return open;
  };

  return {
    get inTransaction() {
      return open !== undefined;
    },
    push(message, byteLength) {
      switch (message.type) {
        case 'Begin':
          if (open) throw new PgwireError('PGWIRE_MALFORMED', 'pgoutput Begin inside an open transaction');
          open = { xid: message.xid, changes: [], messages: [], bytes: 0 };
          return undefined;
        case 'Commit': {
          const txn = requireOpen('Commit');
          open = undefined;
          return {
            xid: txn.xid,
            commitLsn: message.commitLsn,
            endLsn: message.endLsn,
            commitTimeMs: pgMicrosToMillis(message.commitTime),
            changes: txn.changes,
            messages: txn.messages,
            approximateBytes: txn.bytes + 64,
          };
        }
        case 'Insert': {
          const txn = requireOpen('Insert');
          txn.changes.push({ kind: 'insert', relation: relationOf(message.relation), record: buildRow(message.relation, message.newTuple) });
          txn.bytes += byteLength * 2;
          return undefined;
        }
        case 'Update': {
          const txn = requireOpen('Update');
          const old = message.oldTuple ?? message.keyTuple;
          txn.changes.push({
            kind: 'update',
            relation: relationOf(message.relation),
            record: buildRow(message.relation, message.newTuple),
            oldRecord: old ? buildRow(message.relation, old) : null,
          });
          txn.bytes += byteLength * 2;
          return undefined;
        }
        case 'Delete': {
          const txn = requireOpen('Delete');
          const old = message.oldTuple ?? message.keyTuple;
          if (!old) throw new PgwireError('PGWIRE_MALFORMED', 'pgoutput Delete without old values');
          txn.changes.push({ kind: 'delete', relation: relationOf(message.relation), oldRecord: buildRow(message.relation, old) });
          txn.bytes += byteLength * 2;
          return undefined;
        }
        case 'Truncate': {
          const txn = requireOpen('Truncate');
          txn.changes.push({ kind: 'truncate', relations: message.relations.map(relationOf) });
          return undefined;
        }
        case 'Message': {
          // Non-transactional messages arrive outside Begin/Commit; they carry no data we sync, so they are dropped.
          if (!message.transactional || !open) return undefined;
          open.messages.push({ prefix: message.prefix, content: Buffer.from(message.content) });
          open.bytes += byteLength;
          return undefined;
        }
        case 'Relation':
          relationOf(message);
          return undefined;
        case 'Type':
        case 'Origin':
          return undefined;
      }
    },
  };
}
