// Types of the messages of the pgoutput logical decoding plugin, protocol version 1 plus the `messages` option
// (PostgreSQL docs, "Logical Replication Message Formats"). Each arrives as the `data` of one XLogData. Names follow
// the docs; `type` is the discriminant. LSNs are bigints; times are TimestampTz, µs since 2000-01-01 UTC (see
// ../replication/time.ts to convert).

/** Message type bytes of protocol version 1 (and the `messages` option), with their letters. */
export const PgoutputMessageCode = {
  Begin: 0x42, // B
  Message: 0x4d, // M
  Commit: 0x43, // C
  Origin: 0x4f, // O
  Relation: 0x52, // R
  Type: 0x59, // Y
  Insert: 0x49, // I
  Update: 0x55, // U
  Delete: 0x44, // D
  Truncate: 0x54, // T
} as const;

/** Message type bytes that exist only with proto_version 2 and later, which we do not request. */
export const PgoutputLaterVersionCode = {
  StreamStart: 0x53, // S
  StreamStop: 0x45, // E
  StreamCommit: 0x63, // c
  StreamAbort: 0x41, // A
  BeginPrepare: 0x62, // b
  Prepare: 0x50, // P
  CommitPrepared: 0x4b, // K
  RollbackPrepared: 0x72, // r
  StreamPrepare: 0x70, // p
} as const;

/** The bytes that introduce a TupleData inside Insert, Update and Delete. */
export const TupleMarker = {
  New: 0x4e, // N
  Key: 0x4b, // K: the old tuple holds only the replica identity key columns
  Old: 0x4f, // O: the old tuple holds every column (REPLICA IDENTITY FULL)
} as const;

/** The kind byte in front of each TupleData column. */
export const TupleColumnKind = {
  Null: 0x6e, // n
  UnchangedToast: 0x75, // u
  Text: 0x74, // t
  Binary: 0x62, // b
} as const;

/**
 * Stands for a TOASTed column whose value did not change ('u'). Postgres does not send the value, so the consumer
 * must keep the value it already has. Compare with `===`.
 */
export const UNCHANGED_TOAST: unique symbol = Symbol('pgoutput.unchangedToast');
export type UnchangedToast = typeof UNCHANGED_TOAST;

/**
 * One column of a TupleData: `null` for NULL ('n'), UNCHANGED_TOAST ('u'), a string for a text-format value ('t'),
 * or a Buffer for a binary-format value ('b'; only sent when the subscriber asks for `binary 'true'`, which we don't).
 * A Buffer is a view into the received bytes, not a copy.
 */
export type TupleValue = string | Buffer | null | UnchangedToast;

/** The column values of one row, in the order of the relation's `columns`. */
export type TupleData = readonly TupleValue[];

/** `relreplident`: d = default (primary key), n = nothing, f = full (all columns), i = index. */
export type ReplicaIdentity = 'd' | 'n' | 'f' | 'i';

export type RelationColumn = {
  /** Name of the column. */
  readonly name: string;
  /** ID of the column's data type; see PgTypeOid in values.ts. */
  readonly typeOid: number;
  /** Type modifier of the column (atttypmod), -1 when there is none. */
  readonly typeModifier: number;
  /** Flag bit 1: the column is part of the key (replica identity). */
  readonly isKey: boolean;
  /** The raw flags byte. */
  readonly flags: number;
};

/** 'B': start of a transaction. */
export type BeginMessage = {
  readonly type: 'Begin';
  /** The final LSN of the transaction. */
  readonly finalLsn: bigint;
  /** Commit timestamp, µs since 2000-01-01 UTC. */
  readonly commitTime: bigint;
  /** Xid of the transaction. */
  readonly xid: number;
};

/** 'C': end of a transaction. */
export type CommitMessage = {
  readonly type: 'Commit';
  /** Currently unused by Postgres (0). */
  readonly flags: number;
  /** The LSN of the commit. */
  readonly commitLsn: bigint;
  /** The end LSN of the transaction: the position to acknowledge once the transaction is durable. */
  readonly endLsn: bigint;
  /** Commit timestamp, µs since 2000-01-01 UTC. */
  readonly commitTime: bigint;
};

/** 'O': the transaction was replicated from another node. */
export type OriginMessage = {
  readonly type: 'Origin';
  /** The LSN of the commit on the origin server. */
  readonly originLsn: bigint;
  /** Name of the origin. */
  readonly name: string;
};

/** 'R': describes a relation; sent before the first change to it and again whenever its schema changes. */
export type RelationMessage = {
  readonly type: 'Relation';
  /** ID (OID) of the relation. */
  readonly relationOid: number;
  /** Namespace; the empty string means pg_catalog. */
  readonly namespace: string;
  /** Relation name. */
  readonly name: string;
  readonly replicaIdentity: ReplicaIdentity;
  /** The published columns (no generated columns), in TupleData order. */
  readonly columns: readonly RelationColumn[];
  /** `columns[i].name`, precomputed. */
  readonly columnNames: readonly string[];
};

/** 'Y': describes a non-built-in data type (e.g. an enum) before a Relation that uses it. */
export type TypeMessage = {
  readonly type: 'Type';
  /** ID (OID) of the data type. */
  readonly typeOid: number;
  /** Namespace; the empty string means pg_catalog. */
  readonly namespace: string;
  /** Name of the data type. */
  readonly name: string;
};

/** 'I': a row was inserted. */
export type InsertMessage = {
  readonly type: 'Insert';
  /** The Relation message this change refers to (the decoder's cached object). */
  readonly relation: RelationMessage;
  readonly newTuple: TupleData;
};

/** 'U': a row was updated. At most one of keyTuple / oldTuple is present. */
export type UpdateMessage = {
  readonly type: 'Update';
  readonly relation: RelationMessage;
  /** 'K': the old values of the key columns (other columns are null), sent when the key changed. */
  readonly keyTuple: TupleData | null;
  /** 'O': the whole old row, sent for REPLICA IDENTITY FULL. */
  readonly oldTuple: TupleData | null;
  readonly newTuple: TupleData;
};

/** 'D': a row was deleted. Exactly one of keyTuple / oldTuple is present. */
export type DeleteMessage = {
  readonly type: 'Delete';
  readonly relation: RelationMessage;
  /** 'K': the key columns of the deleted row (other columns are null). */
  readonly keyTuple: TupleData | null;
  /** 'O': the whole deleted row, for REPLICA IDENTITY FULL. */
  readonly oldTuple: TupleData | null;
};

/** 'T': one TRUNCATE statement, possibly over several relations. */
export type TruncateMessage = {
  readonly type: 'Truncate';
  /** Option bit 1: CASCADE. */
  readonly cascade: boolean;
  /** Option bit 2: RESTART IDENTITY. */
  readonly restartIdentity: boolean;
  readonly relations: readonly RelationMessage[];
};

/** 'M': a logical decoding message from pg_logical_emit_message (needs the `messages` option). */
export type LogicalDecodingMessage = {
  readonly type: 'Message';
  /** Flag bit 1: emitted as part of a transaction (between Begin and Commit); otherwise sent immediately. */
  readonly transactional: boolean;
  /** The LSN of the logical decoding message. */
  readonly lsn: bigint;
  /** The prefix given to pg_logical_emit_message, e.g. `electric.fk_chain_touch`. */
  readonly prefix: string;
  /** The content bytes. A view into the received bytes, not a copy. */
  readonly content: Buffer;
};

export type PgoutputMessage =
  | BeginMessage
  | CommitMessage
  | OriginMessage
  | RelationMessage
  | TypeMessage
  | InsertMessage
  | UpdateMessage
  | DeleteMessage
  | TruncateMessage
  | LogicalDecodingMessage;

/** The `type` values of PgoutputMessage. */
export type PgoutputMessageName = PgoutputMessage['type'];
