// Decodes pgoutput messages (protocol version 1, plus the `messages` option). A decoder belongs to one replication
// stream: it remembers every Relation message by OID, so that Insert, Update, Delete and Truncate come out with
// their relation (and column names) attached. A change for a relation the stream never described, or a message
// type we don't know, is a thrown PgwireError, never skipped: skipping would silently lose data.
//
// Grammar quotes in the comments are from the PostgreSQL 15 docs, "Logical Replication Message Formats". In
// protocol version 1 none of the messages carry the streamed-transaction Xid field.
import { describeMessageCode, PgwireError } from '../errors.ts';
import { decodeUtf8, Reader } from '../reader.ts';
import {
  PgoutputLaterVersionCode,
  PgoutputMessageCode,
  TupleColumnKind,
  TupleMarker,
  UNCHANGED_TOAST,
} from './messages.ts';
import type {
  BeginMessage,
  CommitMessage,
  DeleteMessage,
  InsertMessage,
  LogicalDecodingMessage,
  OriginMessage,
  PgoutputMessage,
  RelationColumn,
  RelationMessage,
  ReplicaIdentity,
  TruncateMessage,
  TupleData,
  TupleValue,
  TypeMessage,
  UpdateMessage,
} from './messages.ts';

const EMPTY = Buffer.alloc(0);

export type PgoutputDecoder = {
  /** Decodes one message that fills `data` exactly (the `data` of one XLogData). */
  decode(data: Buffer): PgoutputMessage;
  /** Decodes the message at the reader's position and leaves the reader just after it. */
  decodeNext(reader: Reader): PgoutputMessage;
  /** The latest Relation message seen for this OID, or null. */
  getRelationOrNull(relationOid: number): RelationMessage | null;
  /** The latest Type message seen for this OID, or null. */
  getTypeOrNull(typeOid: number): TypeMessage | null;
};

/** Creates a decoder for one replication stream; see PgoutputDecoder. */
export function createPgoutputDecoder(): PgoutputDecoder {
  const relations = new Map<number, RelationMessage>();
  const types = new Map<number, TypeMessage>();
  const reader = new Reader(EMPTY);

  function decodeNext(r: Reader): PgoutputMessage {
    const code = r.uint8();
    switch (code) {
      case PgoutputMessageCode.Begin:
        return parseBegin(r);
      case PgoutputMessageCode.Commit:
        return parseCommit(r);
      case PgoutputMessageCode.Origin:
        return parseOrigin(r);
      case PgoutputMessageCode.Relation: {
        const relation = parseRelation(r);
        relations.set(relation.relationOid, relation);
        return relation;
      }
      case PgoutputMessageCode.Type: {
        const type = parseType(r);
        types.set(type.typeOid, type);
        return type;
      }
      case PgoutputMessageCode.Insert:
        return parseInsert(r, relations);
      case PgoutputMessageCode.Update:
        return parseUpdate(r, relations);
      case PgoutputMessageCode.Delete:
        return parseDelete(r, relations);
      case PgoutputMessageCode.Truncate:
        return parseTruncate(r, relations);
      case PgoutputMessageCode.Message:
        return parseLogicalDecodingMessage(r);
      default:
        throw unknownMessage(code, r.offset - 1);
    }
  }

  return {
    decode(data) {
      reader.reset(data);
      try {
        const message = decodeNext(reader);
        reader.expectEnd(message.type);
        return message;
      } finally {
        reader.reset(EMPTY); // don't keep the caller's buffer alive
      }
    },
    decodeNext,
    getRelationOrNull: (relationOid) => relations.get(relationOid) ?? null,
    getTypeOrNull: (typeOid) => types.get(typeOid) ?? null,
  };
}


/*
  Begin
    Byte1('B')  Int64 (XLogRecPtr) The final LSN of the transaction.
                Int64 (TimestampTz) Commit timestamp of the transaction.
                Int32 (TransactionId) Xid of the transaction.
*/
function parseBegin(r: Reader): BeginMessage {
  const finalLsn = r.uint64();
  const commitTime = r.int64();
  const xid = r.uint32();
  return { type: 'Begin', finalLsn, commitTime, xid };
}

/*
  Commit
    Byte1('C')  Int8(0) Flags; currently unused.
                Int64 (XLogRecPtr) The LSN of the commit.
                Int64 (XLogRecPtr) The end LSN of the transaction.
                Int64 (TimestampTz) Commit timestamp of the transaction.
*/
function parseCommit(r: Reader): CommitMessage {
  const flags = r.uint8();
  const commitLsn = r.uint64();
  const endLsn = r.uint64();
  const commitTime = r.int64();
  return { type: 'Commit', flags, commitLsn, endLsn, commitTime };
}

/*
  Origin
    Byte1('O')  Int64 (XLogRecPtr) The LSN of the commit on the origin server.
                String Name of the origin.
*/
function parseOrigin(r: Reader): OriginMessage {
  const originLsn = r.uint64();
  const name = r.cstring();
  return { type: 'Origin', originLsn, name };
}

/*
  Relation
    Byte1('R')  Int32 (Oid) OID of the relation.
                String Namespace (empty string for pg_catalog).
                String Relation name.
                Int8 Replica identity setting for the relation (same as relreplident in pg_class).
                Int16 Number of columns.
    then for each column (except generated columns):
                Int8 Flags for the column. Currently can be either 0 for no flags or 1 which marks the column as
                     part of the key.
                String Name of the column.
                Int32 (Oid) OID of the column's data type.
                Int32 Type modifier of the column (atttypmod).
*/
function parseRelation(r: Reader): RelationMessage {
  const relationOid = r.uint32();
  const namespace = r.cstring();
  const name = r.cstring();
  const replicaIdentity = parseReplicaIdentity(r.uint8(), relationOid);
  const count = r.int16();
  if (count < 0) throw malformed(`Relation ${relationOid}: negative column count ${count}`);
  const columns: RelationColumn[] = [];
  const columnNames: string[] = [];
  for (let i = 0; i < count; i++) {
    const flags = r.uint8();
    const columnName = r.cstring();
    const typeOid = r.uint32();
    const typeModifier = r.int32();
    columns.push({ name: columnName, typeOid, typeModifier, isKey: (flags & 1) === 1, flags });
    columnNames.push(columnName);
  }
  return { type: 'Relation', relationOid, namespace, name, replicaIdentity, columns, columnNames };
}

function parseReplicaIdentity(byte: number, relationOid: number): ReplicaIdentity {
  const value = String.fromCharCode(byte);
  if (value === 'd' || value === 'n' || value === 'f' || value === 'i') return value;
  throw malformed(`Relation ${relationOid}: unknown replica identity ${describeMessageCode(byte)}`);
}

/*
  Type
    Byte1('Y')  Int32 (Oid) OID of the data type.
                String Namespace (empty string for pg_catalog).
                String Name of the data type.
*/
function parseType(r: Reader): TypeMessage {
  const typeOid = r.uint32();
  const namespace = r.cstring();
  const name = r.cstring();
  return { type: 'Type', typeOid, namespace, name };
}

/*
  Insert
    Byte1('I')  Int32 (Oid) OID of the relation corresponding to the ID in the relation message.
                Byte1('N') Identifies the following TupleData message as a new tuple.
                TupleData TupleData message part representing the contents of new tuple.
*/
function parseInsert(r: Reader, relations: ReadonlyMap<number, RelationMessage>): InsertMessage {
  const relation = lookupRelation(r.uint32(), relations, 'Insert');
  expectMarker(r, TupleMarker.New, 'Insert', "'N'");
  const newTuple = parseTupleData(r, relation, 'Insert');
  return { type: 'Insert', relation, newTuple };
}

/*
  Update
    Byte1('U')  Int32 (Oid) OID of the relation corresponding to the ID in the relation message.
                Byte1('K') Optional; present if the update changed data in any of the column(s) that are part of
                           the REPLICA IDENTITY index.
                Byte1('O') Optional; present if the table has REPLICA IDENTITY set to FULL.
                TupleData  Present only if the previous 'K' or 'O' part is present: the old tuple or primary key.
                Byte1('N') Identifies the following TupleData message as a new tuple.
                TupleData  The contents of a new tuple.
*/
function parseUpdate(r: Reader, relations: ReadonlyMap<number, RelationMessage>): UpdateMessage {
  const relation = lookupRelation(r.uint32(), relations, 'Update');
  let keyTuple: TupleData | null = null;
  let oldTuple: TupleData | null = null;
  let marker = r.uint8();
  if (marker === TupleMarker.Key) {
    keyTuple = parseTupleData(r, relation, 'Update');
    marker = r.uint8();
  } else if (marker === TupleMarker.Old) {
    oldTuple = parseTupleData(r, relation, 'Update');
    marker = r.uint8();
  }
  if (marker !== TupleMarker.New) {
    throw malformed(`Update: expected 'N' before the new tuple, got ${describeMessageCode(marker)}`);
  }
  const newTuple = parseTupleData(r, relation, 'Update');
  return { type: 'Update', relation, keyTuple, oldTuple, newTuple };
}

/*
  Delete
    Byte1('D')  Int32 (Oid) OID of the relation corresponding to the ID in the relation message.
                Byte1('K') present if the table uses an index as REPLICA IDENTITY, or
                Byte1('O') present if the table has REPLICA IDENTITY set to FULL.
                TupleData  The old tuple or primary key.
*/
function parseDelete(r: Reader, relations: ReadonlyMap<number, RelationMessage>): DeleteMessage {
  const relation = lookupRelation(r.uint32(), relations, 'Delete');
  const marker = r.uint8();
  if (marker === TupleMarker.Key) {
    return { type: 'Delete', relation, keyTuple: parseTupleData(r, relation, 'Delete'), oldTuple: null };
  }
  if (marker === TupleMarker.Old) {
    return { type: 'Delete', relation, keyTuple: null, oldTuple: parseTupleData(r, relation, 'Delete') };
  }
  throw malformed(`Delete: expected 'K' or 'O' before the old tuple, got ${describeMessageCode(marker)}`);
}

/*
  Truncate
    Byte1('T')  Int32 Number of relations.
                Int8 Option bits for TRUNCATE: 1 for CASCADE, 2 for RESTART IDENTITY.
                Int32 (Oid) OID of the relation corresponding to the ID in the relation message. (repeated)
*/
function parseTruncate(r: Reader, relations: ReadonlyMap<number, RelationMessage>): TruncateMessage {
  const count = r.int32();
  if (count < 0) throw malformed(`Truncate: negative relation count ${count}`);
  const options = r.uint8();
  const truncated: RelationMessage[] = [];
  for (let i = 0; i < count; i++) {
    truncated.push(lookupRelation(r.uint32(), relations, 'Truncate'));
  }
  return { type: 'Truncate', cascade: (options & 1) !== 0, restartIdentity: (options & 2) !== 0, relations: truncated };
}

/*
  Message
    Byte1('M')  Int8 Flags; Either 0 for no flags or 1 if the logical decoding message is transactional.
                Int64 (XLogRecPtr) The LSN of the logical decoding message.
                String The prefix of the logical decoding message.
                Int32 Length of the content.
                Byten The content of the logical decoding message.
*/
function parseLogicalDecodingMessage(r: Reader): LogicalDecodingMessage {
  const flags = r.uint8();
  const lsn = r.uint64();
  const prefix = r.cstring();
  const length = r.int32();
  const content = r.bytes(length);
  return { type: 'Message', transactional: (flags & 1) !== 0, lsn, prefix, content };
}

/*
  TupleData
    Int16 Number of columns.
    then for each column one of:
      Byte1('n') the value is NULL.
      Byte1('u') unchanged TOASTed value (the actual value is not sent).
      Byte1('t') text formatted value, followed by Int32 length and Byten the value.
      Byte1('b') binary formatted value, followed by Int32 length and Byten the value.
*/
// The hot path: reads straight from the buffer with a local offset, one array per tuple and no per-column objects.
function parseTupleData(r: Reader, relation: RelationMessage, what: string): TupleData {
  const count = r.int16();
  const expected = relation.columns.length;
  if (count !== expected) {
    throw malformed(
      `${what} for ${describeRelation(relation)}: tuple has ${count} columns, its Relation message has ${expected}`,
    );
  }
  const buffer = r.buffer;
  const end = r.end;
  let offset = r.offset;
  const values = new Array<TupleValue>(count);
  for (let i = 0; i < count; i++) {
    if (offset >= end) throw truncatedTuple(what, relation, i, offset, end);
    const kind = buffer[offset++]!;
    if (kind === TupleColumnKind.Text || kind === TupleColumnKind.Binary) {
      if (offset + 4 > end) throw truncatedTuple(what, relation, i, offset, end);
      const length = buffer.readInt32BE(offset);
      offset += 4;
      if (length < 0) throw malformed(`${what} for ${describeRelation(relation)}: column ${i} has length ${length}`);
      const valueEnd = offset + length;
      if (valueEnd > end) throw truncatedTuple(what, relation, i, offset, end);
      values[i] =
        kind === TupleColumnKind.Text ? decodeUtf8(buffer, offset, valueEnd) : buffer.subarray(offset, valueEnd);
      offset = valueEnd;
    } else if (kind === TupleColumnKind.Null) {
      values[i] = null;
    } else if (kind === TupleColumnKind.UnchangedToast) {
      values[i] = UNCHANGED_TOAST;
    } else {
      throw malformed(
        `${what} for ${describeRelation(relation)}: column ${i} has unknown kind ${describeMessageCode(kind)}`,
      );
    }
  }
  r.offset = offset;
  return values;
}

function expectMarker(r: Reader, marker: number, what: string, expected: string): void {
  const got = r.uint8();
  if (got !== marker) {
    throw malformed(`${what}: expected ${expected} before the tuple, got ${describeMessageCode(got)}`);
  }
}

function lookupRelation(
  relationOid: number,
  relations: ReadonlyMap<number, RelationMessage>,
  what: string,
): RelationMessage {
  const relation = relations.get(relationOid);
  if (relation === undefined) {
    throw new PgwireError(
      'PGWIRE_UNKNOWN_RELATION',
      `${what} for unknown relation OID ${relationOid}: no Relation message for it earlier in this stream`,
    );
  }
  return relation;
}

function describeRelation(relation: RelationMessage): string {
  const qualified = relation.namespace === '' ? relation.name : `${relation.namespace}.${relation.name}`;
  return `relation ${qualified} (OID ${relation.relationOid})`;
}

function unknownMessage(code: number, offset: number): PgwireError {
  const later = Object.entries(PgoutputLaterVersionCode).find(([, value]) => value === code);
  const detail =
    later === undefined
      ? 'not a pgoutput message'
      : `${later[0]} exists only in pgoutput proto_version 2 and later; this decoder speaks proto_version 1`;
  return new PgwireError(
    'PGWIRE_UNKNOWN_MESSAGE',
    `unknown pgoutput message ${describeMessageCode(code)} at offset ${offset}: ${detail}`,
  );
}

function truncatedTuple(what: string, relation: RelationMessage, column: number, offset: number, end: number) {
  return new PgwireError(
    'PGWIRE_TRUNCATED',
    `truncated: ${what} for ${describeRelation(relation)} ends inside column ${column} (offset ${offset}, end ${end})`,
  );
}

function malformed(message: string): PgwireError {
  return new PgwireError('PGWIRE_MALFORMED', message);
}
