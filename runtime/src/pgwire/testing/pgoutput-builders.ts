// Fixture builders for pgoutput messages (protocol version 1), one per message of the PostgreSQL docs "Logical
// Replication Message Formats", written from the documented byte layouts and not from our parser. Tests describe a
// message with these and compare what the decoder makes of the bytes.
//
//   buildInsert({ relationOid: 16384, newTuple: [text('1'), nullColumn(), unchangedToastColumn()] })
import { bytes } from './byte-builder.ts';
import type { ByteBuilder } from './byte-builder.ts';

/** One TupleData column as it goes on the wire. */
export type ColumnFixture =
  | { readonly kind: 'n' }
  | { readonly kind: 'u' }
  | { readonly kind: 't'; readonly value: Uint8Array }
  | { readonly kind: 'b'; readonly value: Uint8Array };

/** Byte1('t') Int32 length, Byten: a text-format value, UTF-8 encoded. */
export function text(value: string): ColumnFixture {
  return { kind: 't', value: new TextEncoder().encode(value) };
}

/** Byte1('b') Int32 length, Byten: a binary-format value. */
export function binary(value: Uint8Array): ColumnFixture {
  return { kind: 'b', value };
}

/** Byte1('n'): NULL. */
export function nullColumn(): ColumnFixture {
  return { kind: 'n' };
}

/** Byte1('u'): unchanged TOASTed value. */
export function unchangedToastColumn(): ColumnFixture {
  return { kind: 'u' };
}

/** TupleData: Int16 column count, then per column Byte1 kind [Int32 length, Byten value]. */
export function writeTupleData(builder: ByteBuilder, columns: readonly ColumnFixture[]): ByteBuilder {
  builder.int16(columns.length);
  for (const column of columns) {
    builder.char(column.kind);
    if (column.kind === 't' || column.kind === 'b') builder.int32(column.value.length).raw(column.value);
  }
  return builder;
}

/** Begin: Byte1('B') Int64 finalLsn, Int64 commitTime, Int32 xid. */
export function buildBegin(fields: { finalLsn: bigint; commitTime: bigint; xid: number }): Buffer {
  return bytes().char('B').int64(fields.finalLsn).int64(fields.commitTime).int32(fields.xid).build();
}

/** Commit: Byte1('C') Int8 flags, Int64 commitLsn, Int64 endLsn, Int64 commitTime. */
export function buildCommit(fields: { flags?: number; commitLsn: bigint; endLsn: bigint; commitTime: bigint }): Buffer {
  return bytes()
    .char('C')
    .int8(fields.flags ?? 0)
    .int64(fields.commitLsn)
    .int64(fields.endLsn)
    .int64(fields.commitTime)
    .build();
}

/** Origin: Byte1('O') Int64 originLsn, String name. */
export function buildOrigin(fields: { originLsn: bigint; name: string }): Buffer {
  return bytes().char('O').int64(fields.originLsn).cstring(fields.name).build();
}

export type RelationColumnFixture = {
  readonly flags?: number;
  readonly name: string;
  readonly typeOid: number;
  readonly typeModifier?: number;
};

/**
 * Relation: Byte1('R') Int32 relationOid, String namespace, String name, Int8 replicaIdentity, Int16 column count,
 * then per column Int8 flags, String name, Int32 typeOid, Int32 typeModifier.
 */
export function buildRelation(fields: {
  relationOid: number;
  namespace: string;
  name: string;
  replicaIdentity?: string;
  columns: readonly RelationColumnFixture[];
}): Buffer {
  const builder = bytes()
    .char('R')
    .int32(fields.relationOid)
    .cstring(fields.namespace)
    .cstring(fields.name)
    .char(fields.replicaIdentity ?? 'd')
    .int16(fields.columns.length);
  for (const column of fields.columns) {
    builder
      .int8(column.flags ?? 0)
      .cstring(column.name)
      .int32(column.typeOid)
      .int32(column.typeModifier ?? -1);
  }
  return builder.build();
}

/** Type: Byte1('Y') Int32 typeOid, String namespace, String name. */
export function buildType(fields: { typeOid: number; namespace: string; name: string }): Buffer {
  return bytes().char('Y').int32(fields.typeOid).cstring(fields.namespace).cstring(fields.name).build();
}

/** Insert: Byte1('I') Int32 relationOid, Byte1('N'), TupleData. */
export function buildInsert(fields: { relationOid: number; newTuple: readonly ColumnFixture[] }): Buffer {
  return writeTupleData(bytes().char('I').int32(fields.relationOid).char('N'), fields.newTuple).build();
}

/** Update: Byte1('U') Int32 relationOid, optional Byte1('K' | 'O') TupleData, Byte1('N') TupleData. */
export function buildUpdate(fields: {
  relationOid: number;
  keyTuple?: readonly ColumnFixture[];
  oldTuple?: readonly ColumnFixture[];
  newTuple: readonly ColumnFixture[];
}): Buffer {
  const builder = bytes().char('U').int32(fields.relationOid);
  if (fields.keyTuple !== undefined) writeTupleData(builder.char('K'), fields.keyTuple);
  if (fields.oldTuple !== undefined) writeTupleData(builder.char('O'), fields.oldTuple);
  return writeTupleData(builder.char('N'), fields.newTuple).build();
}

/** Delete: Byte1('D') Int32 relationOid, Byte1('K' | 'O'), TupleData. */
export function buildDelete(
  fields: { relationOid: number } & (
    | { keyTuple: readonly ColumnFixture[]; oldTuple?: never }
    | { oldTuple: readonly ColumnFixture[]; keyTuple?: never }
  ),
): Buffer {
  const builder = bytes().char('D').int32(fields.relationOid);
  if (fields.keyTuple !== undefined) return writeTupleData(builder.char('K'), fields.keyTuple).build();
  return writeTupleData(builder.char('O'), fields.oldTuple).build();
}

/** Truncate: Byte1('T') Int32 relation count, Int8 options (1 CASCADE, 2 RESTART IDENTITY), Int32 relationOid… */
export function buildTruncate(fields: {
  cascade?: boolean;
  restartIdentity?: boolean;
  relationOids: readonly number[];
}): Buffer {
  const options = (fields.cascade === true ? 1 : 0) | (fields.restartIdentity === true ? 2 : 0);
  const builder = bytes().char('T').int32(fields.relationOids.length).int8(options);
  for (const oid of fields.relationOids) builder.int32(oid);
  return builder.build();
}

/** Message: Byte1('M') Int8 flags (1 = transactional), Int64 lsn, String prefix, Int32 length, Byten content. */
export function buildMessage(fields: {
  transactional: boolean;
  lsn: bigint;
  prefix: string;
  content: Uint8Array | string;
}): Buffer {
  const content = typeof fields.content === 'string' ? new TextEncoder().encode(fields.content) : fields.content;
  return bytes()
    .char('M')
    .int8(fields.transactional ? 1 : 0)
    .int64(fields.lsn)
    .cstring(fields.prefix)
    .int32(content.length)
    .raw(content)
    .build();
}
