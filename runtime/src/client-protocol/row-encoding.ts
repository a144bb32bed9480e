// Column values inside SatOpRow, both directions.
//
//   SatOpRow => nulls_bitmask:bytes(1) values:repeated bytes(2)
//     values        => one entry per column of the relation, in the relation's column order
//     nulls_bitmask => ceil(columns / 8) bytes; bit i, counted from the most significant bit of byte 0, is set when
//                      column i is NULL; unused low bits of the last byte are 0
//     values[i]     => empty when column i is NULL; otherwise the value as below
//
// The client decides how to read a value from the column's Postgres type: the type in its DbSchema, or else the
// `type` of the SatRelation column, upper-cased (electric-sql 0.12.1 satellite/client.ts getColumnType,
// deserializeColumnData / serializeColumnData; util/encoders). Every value is UTF-8 text except bytea:
//
//   type                        server -> client (serializeRow)            client -> server (parseRow)
//   bool                        "t" | "f"                                  "t" | "f" (Electric refuses anything else)
//   int2, int4, int8            decimal digits, e.g. "-42"                 [+-]digits within the type's range
//   float4, float8              "1.5", "1e+21", "-0", "NaN", "Infinity",   a decimal number, or inf / infinity / nan
//                               "-Infinity" (client: Number(text), and     (any case, optional '-' on inf); float4
//                               the string "NaN" for NaN: never "inf")     must not overflow or underflow
//   text, varchar               the text                                   valid UTF-8 without NUL
//   uuid                        Postgres' text (lower case)                8-4-4-4-12 hex, returned lower-cased
//   date                        "YYYY-MM-DD"                               "YYYY-MM-DD", years 0001-9999
//   time                        "HH:MM:SS[.ffffff]"                        "HH:MM:SS[.f…]", at most 6 digits
//   timestamp                   "YYYY-MM-DD HH:MM:SS[.ffffff]"             the same ('T' allowed), no offset
//   timestamptz                 "YYYY-MM-DD HH:MM:SS[.ffffff]Z" (UTC;      the same with offset Z, +00, +0000 or
//                               Postgres' "+00" becomes "Z")               +00:00 (Electric requires offset 0)
//   json, jsonb                 the JSON text                              text that JSON.parse accepts
//   bytea                       the raw bytes (not hex)                    the raw bytes
//   enum (enumValues given)     the label                                  one of the labels
//
// parseRow returns the same JavaScript values as pgwire's parseTextValue gives for rows read from Postgres
// (bool → boolean, int2/int4/float → number, int8 → bigint, bytea → Buffer, everything else → string), so a
// client's row and a replicated row look alike. The strings are valid Postgres input text and can be bound as
// query parameters as they are.
import { create } from '@bufbuild/protobuf';
import type { PgValue } from '../pgwire/index.ts';
import { ClientProtocolError } from './errors.ts';
import { SatOpRowSchema } from './gen/satellite_pb.ts';
import type { SatOpRow } from './gen/satellite_pb.ts';

/** Postgres type names (pg_type.typname) that rows may carry: Electric 0.12's supported types, plus json. */
export const rowValueTypes = [
  'bool',
  'int2',
  'int4',
  'int8',
  'float4',
  'float8',
  'text',
  'varchar',
  'uuid',
  'date',
  'time',
  'timestamp',
  'timestamptz',
  'json',
  'jsonb',
  'bytea',
] as const;

export type RowValueType = (typeof rowValueTypes)[number];

/** One column of a relation, as the row codec needs it. */
export interface RowColumn {
  readonly name: string;
  /** The Postgres type name: one of rowValueTypes, or the name of an enum type (then `enumValues` is set). */
  readonly type: string;
  /** False for NOT NULL columns: parseRow refuses NULL there unless `allowNulls`. */
  readonly nullable: boolean;
  /** The labels of an enum type. Setting it makes the column an enum column. */
  readonly enumValues?: readonly string[];
}

/**
 * A value serializeRow accepts: the typed values of pgwire's parseTextValue (boolean, number, bigint, Buffer, string)
 * or, for every type, the value as Postgres prints it as text (DateStyle ISO, TimeZone UTC, bytea_output hex).
 */
export type RowValue = boolean | number | bigint | string | Uint8Array | null;

/**
 * A row to send, keyed by column name. A missing column is sent as NULL, which is what SatOpGone and key-only rows
 * need. A symbol (pgwire's UNCHANGED_TOAST) is refused: fill in the previous value before sending.
 */
export type RowRecord = { readonly [column: string]: RowValue | symbol | undefined };

const EMPTY = new Uint8Array(0);
const ROW_VALUE_TYPES: ReadonlySet<string> = new Set(rowValueTypes);

type ColumnKind = RowValueType | 'enum';

/** Encodes a row for the client (server -> client). Throws CP_INVALID_VALUE / CP_UNSUPPORTED_TYPE. */
export function serializeRow(record: RowRecord, columns: readonly RowColumn[]): SatOpRow {
  const count = columns.length;
  const nullsBitmask = new Uint8Array(bitmaskLength(count));
  const values = new Array<Uint8Array>(count);
  for (let i = 0; i < count; i++) {
    const column = columns[i]!;
    const value = record[column.name];
    if (value === null || value === undefined) {
      nullsBitmask[i >>> 3]! |= 0x80 >>> (i & 7);
      values[i] = EMPTY;
    } else {
      values[i] = serializeColumnValue(value, column);
    }
  }
  return create(SatOpRowSchema, { nullsBitmask, values });
}

/** Encodes one non-NULL value for the client (see the table at the top of this file). */
export function serializeColumnValue(value: Exclude<RowValue, null> | symbol, column: RowColumn): Uint8Array {
  if (typeof value === 'symbol') {
    throw invalid(column, value, 'an unchanged TOAST value must be replaced by the previous value before sending');
  }
  const kind = kindOf(column);
  switch (kind) {
    case 'bool':
      if (value === true || value === 't') return T;
      if (value === false || value === 'f') return F;
      throw invalid(column, value, "expected a boolean or 't'/'f'");
    case 'int2':
    case 'int4':
    case 'int8':
      return Buffer.from(integerText(value, column, kind), 'latin1');
    case 'float4':
    case 'float8':
      return Buffer.from(floatText(value, column), 'latin1');
    case 'bytea':
      if (value instanceof Uint8Array) return value;
      if (typeof value === 'string') return byteaFromHex(value, column);
      throw invalid(column, value, "expected bytes or '\\x' hex text");
    case 'timestamptz':
      return Buffer.from(timestamptzToUtc(stringValue(value, column), column), 'latin1');
    case 'enum': {
      const label = stringValue(value, column);
      if (!column.enumValues!.includes(label)) throw invalid(column, label, `not a label of enum ${column.type}`);
      return Buffer.from(label, 'utf8');
    }
    default:
      // text, varchar, uuid, date, time, timestamp, json, jsonb: Postgres' text as it is.
      return Buffer.from(stringValue(value, column), 'utf8');
  }
}

/**
 * Decodes a row the client sent (client -> server), keyed by column name (an object without prototype).
 * Throws CP_MALFORMED_ROW when the row is missing (an op without its row_data) or does not fit the columns: another
 * number of values, a bitmask of the wrong length, a NULL with a non-empty value, or a NULL in a NOT NULL column
 * (allowed with `allowNulls`, for the key-only rows of SatOpCompensation). Throws CP_INVALID_VALUE /
 * CP_UNSUPPORTED_TYPE for a value (see the table above).
 */
export function parseRow(
  row: SatOpRow | undefined,
  columns: readonly RowColumn[],
  options?: { readonly allowNulls?: boolean },
): Record<string, PgValue> {
  if (row === undefined) throw new ClientProtocolError('CP_MALFORMED_ROW', 'the operation carries no row');
  const count = columns.length;
  const { nullsBitmask, values } = row;
  if (values.length !== count) {
    throw new ClientProtocolError('CP_MALFORMED_ROW', `row has ${values.length} values for ${count} columns`);
  }
  if (nullsBitmask.length !== bitmaskLength(count)) {
    throw new ClientProtocolError(
      'CP_MALFORMED_ROW',
      `nulls bitmask has ${nullsBitmask.length} bytes for ${count} columns (expected ${bitmaskLength(count)})`,
    );
  }
  const allowNulls = options?.allowNulls === true;
  const result = Object.create(null) as Record<string, PgValue>;
  for (let i = 0; i < count; i++) {
    const column = columns[i]!;
    const bytes = values[i]!;
    if ((nullsBitmask[i >>> 3]! & (0x80 >>> (i & 7))) !== 0) {
      if (bytes.length !== 0) {
        throw new ClientProtocolError('CP_MALFORMED_ROW', `column ${column.name} is NULL but has a value`);
      }
      if (!column.nullable && !allowNulls) {
        throw new ClientProtocolError('CP_MALFORMED_ROW', `NULL for NOT NULL column ${column.name}`);
      }
      result[column.name] = null;
    } else {
      result[column.name] = parseColumnValue(bytes, column);
    }
  }
  return result;
}

/** Decodes and checks one non-NULL value from the client (see the table at the top of this file). */
export function parseColumnValue(bytes: Uint8Array, column: RowColumn): Exclude<PgValue, null> {
  const kind = kindOf(column);
  if (kind === 'bytea') return Buffer.from(bytes); // a copy: `bytes` is a view into the whole WebSocket message
  const text = utf8Text(bytes, column);
  switch (kind) {
    case 'bool':
      if (text === 't') return true;
      if (text === 'f') return false;
      throw invalid(column, text, "expected 't' or 'f'");
    case 'int2':
      return Number(clientInteger(text, column, -32_768n, 32_767n));
    case 'int4':
      return Number(clientInteger(text, column, -2_147_483_648n, 2_147_483_647n));
    case 'int8':
      return clientInteger(text, column, -(2n ** 63n), 2n ** 63n - 1n);
    case 'float4':
    case 'float8':
      return clientFloat(text, column, kind);
    case 'text':
    case 'varchar':
      return text;
    case 'uuid':
      if (!UUID.test(text)) throw invalid(column, text, 'expected a UUID (8-4-4-4-12 hex digits)');
      return text.toLowerCase();
    case 'date': {
      const match = DATE.exec(text);
      if (match === null || !isValidDate(match[1]!, match[2]!, match[3]!)) {
        throw invalid(column, text, 'expected YYYY-MM-DD, years 0001 to 9999');
      }
      return text;
    }
    case 'time': {
      const match = TIME.exec(text);
      if (match === null || !isValidTime(match[1]!, match[2]!, match[3]!)) {
        throw invalid(column, text, 'expected HH:MM:SS with at most 6 fractional digits');
      }
      return text;
    }
    case 'timestamp':
    case 'timestamptz': {
      const match = CLIENT_TIMESTAMP.exec(text);
      const valid =
        match !== null &&
        isValidDate(match[1]!, match[2]!, match[3]!) &&
        isValidTime(match[4]!, match[5]!, match[6]!) &&
        (kind === 'timestamp' ? match[7] === undefined : match[7] !== undefined && ZERO_OFFSET.test(match[7]));
      if (!valid) {
        throw invalid(
          column,
          text,
          kind === 'timestamp'
            ? 'expected YYYY-MM-DD HH:MM:SS[.f…] without an offset'
            : 'expected YYYY-MM-DD HH:MM:SS[.f…] with offset Z (or +00, +0000, +00:00)',
        );
      }
      return text;
    }
    case 'json':
    case 'jsonb':
      try {
        JSON.parse(text);
      } catch {
        throw invalid(column, text, 'expected JSON');
      }
      return text;
    case 'enum':
      if (!column.enumValues!.includes(text)) throw invalid(column, text, `not a label of enum ${column.type}`);
      return text;
  }
}

/** Bytes of the nulls bitmask for `columnCount` columns: one bit per column, whole bytes. */
export function bitmaskLength(columnCount: number): number {
  return (columnCount + 7) >>> 3;
}

// --- server -> client helpers -----------------------------------------------------------------------------------

const T = Uint8Array.of(0x74); // 't'
const F = Uint8Array.of(0x66); // 'f'

const INTEGER_TEXT = /^-?[0-9]+$/;
// Postgres' float output: a decimal number with optional exponent, or NaN / Infinity / -Infinity.
const FLOAT_TEXT = /^(?:-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|NaN|-?Infinity)$/;

const INTEGER_RANGES = {
  int2: [-32_768n, 32_767n],
  int4: [-2_147_483_648n, 2_147_483_647n],
  int8: [-(2n ** 63n), 2n ** 63n - 1n],
} as const;

function integerText(value: Exclude<RowValue, null>, column: RowColumn, kind: 'int2' | 'int4' | 'int8'): string {
  let big: bigint;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw invalid(column, value, 'expected an integer');
    big = BigInt(value);
  } else if (typeof value === 'bigint') {
    big = value;
  } else if (typeof value === 'string' && INTEGER_TEXT.test(value)) {
    big = BigInt(value);
  } else {
    throw invalid(column, value, 'expected an integer');
  }
  const [min, max] = INTEGER_RANGES[kind];
  if (big < min || big > max) throw invalid(column, value, `outside the range of ${kind}`);
  return big.toString();
}

function floatText(value: Exclude<RowValue, null>, column: RowColumn): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Infinity) return 'Infinity';
    if (value === -Infinity) return '-Infinity';
    if (Object.is(value, -0)) return '-0';
    return String(value);
  }
  if (typeof value === 'string' && FLOAT_TEXT.test(value)) return value;
  throw invalid(column, value, "expected a number, 'NaN', 'Infinity' or '-Infinity'");
}

function byteaFromHex(text: string, column: RowColumn): Buffer {
  if (!text.startsWith('\\x')) throw invalid(column, text, "expected bytea hex text '\\x…'");
  const hex = text.slice(2);
  const bytes = Buffer.from(hex, 'hex'); // stops at the first pair that is not two hex digits
  if (bytes.length * 2 !== hex.length) throw invalid(column, text, "expected pairs of hex digits after '\\x'");
  return bytes;
}

// Postgres' timestamptz output (DateStyle ISO), or an ISO 8601 string: the offset is Z or ±HH[[:]MM[[:]SS]].
const SERVER_TIMESTAMPTZ =
  /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(\.\d+)?(?:Z|([+-])(\d\d)(?::?(\d\d)(?::?(\d\d))?)?)$/;

/**
 * Postgres prints timestamptz as `2024-06-19 10:01:28.848242+00`; the client expects UTC with `Z`, as Electric sent
 * it: `2024-06-19 10:01:28.848242Z`. A non-zero offset (a session not in UTC) is converted to UTC. BC dates and
 * ±infinity have no such form and are refused.
 */
function timestamptzToUtc(text: string, column: RowColumn): string {
  const match = SERVER_TIMESTAMPTZ.exec(text);
  if (match === null) throw invalid(column, text, 'expected YYYY-MM-DD HH:MM:SS[.ffffff]+HH (AD, finite)');
  const [, year, month, day, hour, minute, second, fraction = '', sign, offsetH, offsetM, offsetS] = match;
  const offsetSeconds =
    sign === undefined ? 0 : Number(offsetH) * 3600 + Number(offsetM ?? 0) * 60 + Number(offsetS ?? 0);
  if (offsetSeconds === 0) return `${year}-${month}-${day} ${hour}:${minute}:${second}${fraction}Z`;
  const local = new Date(0);
  local.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  local.setUTCHours(Number(hour), Number(minute), Number(second), 0);
  const utc = new Date(local.getTime() - (sign === '-' ? -1 : 1) * offsetSeconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return (
    `${pad(utc.getUTCFullYear(), 4)}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())} ` +
    `${pad(utc.getUTCHours())}:${pad(utc.getUTCMinutes())}:${pad(utc.getUTCSeconds())}${fraction}Z`
  );
}

function stringValue(value: Exclude<RowValue, null>, column: RowColumn): string {
  if (typeof value !== 'string') throw invalid(column, value, 'expected text');
  return value;
}

// --- client -> server helpers -----------------------------------------------------------------------------------

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const CLIENT_INTEGER = /^[+-]?[0-9]+$/;
const CLIENT_FLOAT = /^[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const CLIENT_FLOAT_SPECIAL = /^(?:(-?)inf(?:inity)?|nan)$/i;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE = /^(\d{4})-(\d\d)-(\d\d)$/;
const TIME = /^(\d\d):(\d\d):(\d\d)(?:\.\d{1,6})?$/;
const CLIENT_TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.\d+)?(Z|[+-]\d\d(?::?\d\d)?)?$/;
const ZERO_OFFSET = /^(?:Z|\+00(?::?00)?)$/;

function utf8Text(bytes: Uint8Array, column: RowColumn): string {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ClientProtocolError('CP_INVALID_VALUE', `invalid UTF-8 in column ${column.name}`);
  }
  if (text.includes('\u0000')) throw invalid(column, text, 'NUL characters cannot be stored by Postgres');
  return text;
}

function clientInteger(text: string, column: RowColumn, min: bigint, max: bigint): bigint {
  if (!CLIENT_INTEGER.test(text)) throw invalid(column, text, 'expected an integer');
  const value = BigInt(text);
  if (value < min || value > max) throw invalid(column, text, `outside ${min}..${max}`);
  return value;
}

function clientFloat(text: string, column: RowColumn, kind: 'float4' | 'float8'): number {
  const special = CLIENT_FLOAT_SPECIAL.exec(text);
  if (special !== null) {
    if (text.toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!CLIENT_FLOAT.test(text)) throw invalid(column, text, "expected a number, 'Infinity', '-Infinity' or 'NaN'");
  const value = Number(text);
  if (!Number.isFinite(value)) throw invalid(column, text, 'out of range for float8; send Infinity instead');
  if (kind === 'float4') {
    // Like Electric: a value that float4 rounds to ±Infinity, or to 0 when it is not 0, is refused.
    const single = Math.fround(value);
    if (!Number.isFinite(single) || (single === 0 && value !== 0)) {
      throw invalid(column, text, 'out of range for float4');
    }
  }
  return value;
}

function isValidDate(yearText: string, monthText: string, dayText: string): boolean {
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}

function isValidTime(hourText: string, minuteText: string, secondText: string): boolean {
  return Number(hourText) <= 23 && Number(minuteText) <= 59 && Number(secondText) <= 59;
}

// --- shared -----------------------------------------------------------------------------------------------------

function kindOf(column: RowColumn): ColumnKind {
  if (column.enumValues !== undefined) return 'enum';
  if (ROW_VALUE_TYPES.has(column.type)) return column.type as RowValueType;
  throw new ClientProtocolError(
    'CP_UNSUPPORTED_TYPE',
    `column ${column.name} has type ${JSON.stringify(column.type)}, which the Satellite protocol does not carry`,
  );
}

function invalid(column: RowColumn, value: unknown, expected: string): ClientProtocolError {
  let shown: string;
  if (typeof value === 'string') {
    shown = value.length > 60 ? `${JSON.stringify(value.slice(0, 60))}…` : JSON.stringify(value);
  } else if (value instanceof Uint8Array) {
    shown = `${value.length} bytes`;
  } else {
    shown = typeof value === 'bigint' ? `${value}n` : String(value);
  }
  return new ClientProtocolError(
    'CP_INVALID_VALUE',
    `invalid value ${shown} for column ${column.name} (${column.type}): ${expected}`,
  );
}
