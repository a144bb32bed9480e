// Converts pgoutput's text-format column values into JavaScript values, by the column's type OID, for the column
// types Electric 0.x supports (bool bytea date float4 float8 int2 int4 int8 jsonb text time timestamp timestamptz
// uuid varchar, plus enums). Everything else, including enums (their OIDs differ per database), stays a string.
//
// Assumptions about the replication session, which the connection must set (they decide how Postgres prints values):
//   DateStyle = ISO          dates 'YYYY-MM-DD', timestamps 'YYYY-MM-DD HH:MM:SS[.ffffff]', ' BC' suffix if needed
//   TimeZone = UTC           timestamptz printed with offset '+00'
//   bytea_output = hex       bytea printed as '\x' followed by two hex digits per byte
//   client_encoding = UTF8   text decoded as UTF-8
//   extra_float_digits >= 1  (the default since PG 12) float8 text reads back to the same double
// Date and time types stay strings exactly as Postgres printed them, because JavaScript has no lossless type for
// them (µs precision, 'infinity', BC dates, times without a date); parseTimestamptz converts when a Date is wanted.
import { PgwireError } from '../errors.ts';
import type { RelationMessage, TupleData, UnchangedToast } from './messages.ts';

/** Well-known (fixed) type OIDs from pg_type for the supported types. */
export const PgTypeOid = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  float4: 700,
  float8: 701,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  uuid: 2950,
  jsonb: 3802,
} as const;

/** What a column value becomes: see parseTextValue for which type gives which. */
export type PgValue = boolean | number | bigint | string | Buffer | null;

const INTEGER = /^-?[0-9]+$/;
const FLOAT = /^(?:-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|NaN|-?Infinity)$/;

/**
 * Converts one text-format value (or null for SQL NULL) by type OID:
 * bool → boolean; int2, int4 → number; int8 → bigint; float4, float8 → number (NaN, ±Infinity included);
 * bytea → Buffer; jsonb → the JSON text (see parseJsonb); text, varchar, uuid, date, time, timestamp, timestamptz,
 * enums and any other OID → the string as Postgres printed it. Throws PGWIRE_INVALID_VALUE for text that is not a
 * valid value of the type.
 */
export function parseTextValue(text: string | null, typeOid: number): PgValue {
  if (text === null) return null;
  switch (typeOid) {
    case PgTypeOid.bool:
      if (text === 't') return true;
      if (text === 'f') return false;
      throw invalid(text, 'bool', "expected 't' or 'f'");
    case PgTypeOid.int2:
      return parseSmallInteger(text, 'int2', -32_768, 32_767);
    case PgTypeOid.int4:
      return parseSmallInteger(text, 'int4', -2_147_483_648, 2_147_483_647);
    case PgTypeOid.int8:
      return parseInt8(text);
    case PgTypeOid.float4:
    case PgTypeOid.float8:
      return parseFloatValue(text, typeOid === PgTypeOid.float4 ? 'float4' : 'float8');
    case PgTypeOid.bytea:
      return parseBytea(text);
    default:
      return text;
  }
}

/** Parses the text of a jsonb (or json) column. Kept separate so callers that forward JSON text don't pay for it. */
export function parseJsonb(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new PgwireError('PGWIRE_INVALID_VALUE', `invalid jsonb value: ${(cause as Error).message}`, { cause });
  }
}

// ISO DateStyle output of timestamptz: 'YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM[:SS]][ BC]'; years may have 5+ digits.
const TIMESTAMPTZ =
  /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?([+-])(\d\d)(?::(\d\d)(?::(\d\d))?)?( BC)?$/;

/**
 * Converts a timestamptz as Postgres prints it with DateStyle ISO (any offset, BC dates, 5-digit years) to a Date.
 * Microseconds are truncated to milliseconds. 'infinity', '-infinity' and instants outside the Date range have no
 * Date and throw PGWIRE_INVALID_VALUE.
 */
export function parseTimestamptz(text: string): Date {
  const match = TIMESTAMPTZ.exec(text);
  if (match === null) throw invalid(text, 'timestamptz', 'expected YYYY-MM-DD HH:MM:SS[.ffffff]+HH (DateStyle ISO)');
  const [, year, month, day, hour, minute, second, fraction, sign, offsetHours, offsetMinutes, offsetSeconds, bc] =
    match;
  const date = new Date(0);
  const printedYear = Number(year);
  date.setUTCFullYear(bc === undefined ? printedYear : 1 - printedYear, Number(month) - 1, Number(day));
  const millis = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
  date.setUTCHours(Number(hour), Number(minute), Number(second), millis);
  const offsetMillis =
    (Number(offsetHours) * 3600 + Number(offsetMinutes ?? 0) * 60 + Number(offsetSeconds ?? 0)) * 1000;
  const time = date.getTime() - (sign === '-' ? -offsetMillis : offsetMillis);
  const result = new Date(time);
  if (Number.isNaN(result.getTime())) throw invalid(text, 'timestamptz', 'outside the range of a JavaScript Date');
  return result;
}

/** What buildRow returns: the row's values keyed by column name. */
type Row = Record<string, PgValue | UnchangedToast>;

// The prototype of every row: empty, with no prototype of its own and frozen, so a row inherits nothing (no
// `__proto__` accessor, no `toString`, no `hasOwnProperty`) and nobody can add inherited keys later.
const ROW_PROTOTYPE: object = Object.freeze(Object.create(null));

// One constructor per relation. Rows built with `new` and filled in the same column order share one hidden class,
// so they stay fast-mode objects; Object.create(null) makes dictionary-mode objects, which cost about 3x more to
// build and far more memory (see bench/replication/README.md). Tables wider than about 20–30 columns fall back to
// dictionary mode (V8 limits fast keyed stores), which is no slower than before. Keyed by the RelationMessage: a new
// Relation message (after a schema change) gets a new constructor, and the old one goes with its message.
const rowConstructors = new WeakMap<RelationMessage, new () => Row>();

function rowConstructorOf(relation: RelationMessage): new () => Row {
  let constructor = rowConstructors.get(relation);
  if (constructor === undefined) {
    const RowOfRelation = function (this: Row) {} as unknown as { prototype: object } & (new () => Row);
    RowOfRelation.prototype = ROW_PROTOTYPE;
    constructor = RowOfRelation;
    rowConstructors.set(relation, constructor);
  }
  return constructor;
}

/**
 * Builds an object keyed by column name from a tuple, converting each text value with parseTextValue.
 * NULL → null, an unchanged TOAST column → UNCHANGED_TOAST, a binary-format value stays the raw Buffer. Keys are in
 * column order. The object inherits nothing: its prototype is an empty, frozen object whose own prototype is null,
 * so a column named `__proto__` (or `constructor`, `toString`, …) is an ordinary own key, and `for … in` sees only
 * the columns.
 */
export function buildRow(relation: RelationMessage, tuple: TupleData): Row {
  const row = new (rowConstructorOf(relation))();
  const columns = relation.columns;
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    const value = tuple[i];
    if (value === undefined) {
      throw new PgwireError('PGWIRE_MALFORMED', `tuple has no value for column ${column.name} of ${relation.name}`);
    }
    row[column.name] = typeof value === 'string' ? parseTextValue(value, column.typeOid) : value;
  }
  return row;
}

function parseSmallInteger(text: string, type: string, min: number, max: number): number {
  if (!INTEGER.test(text)) throw invalid(text, type, 'expected an integer');
  const value = Number(text);
  if (value < min || value > max) throw invalid(text, type, `outside ${min}..${max}`);
  return value;
}

function parseInt8(text: string): bigint {
  if (!INTEGER.test(text)) throw invalid(text, 'int8', 'expected an integer');
  const value = BigInt(text);
  if (BigInt.asIntN(64, value) !== value) throw invalid(text, 'int8', 'outside the 64-bit signed range');
  return value;
}

function parseFloatValue(text: string, type: string): number {
  if (!FLOAT.test(text)) throw invalid(text, type, "expected a number, 'NaN', 'Infinity' or '-Infinity'");
  return Number(text);
}

function parseBytea(text: string): Buffer {
  if (text.charCodeAt(0) !== 0x5c || text.charCodeAt(1) !== 0x78) {
    throw invalid(text, 'bytea', "expected hex format '\\x…' (set bytea_output = hex)");
  }
  const hex = text.slice(2);
  const bytes = Buffer.from(hex, 'hex'); // stops at the first pair that is not two hex digits
  if (bytes.length * 2 !== hex.length) throw invalid(text, 'bytea', 'expected pairs of hex digits after \\x');
  return bytes;
}

function invalid(text: string, type: string, expected: string): PgwireError {
  const shown = text.length > 60 ? `${JSON.stringify(text.slice(0, 60))}…` : JSON.stringify(text);
  return new PgwireError('PGWIRE_INVALID_VALUE', `invalid ${type} value ${shown}: ${expected}`);
}
