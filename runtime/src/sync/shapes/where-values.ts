// Values in where clauses: which column types a clause can use, the literal text each type accepts (a documented
// subset of Postgres input syntax), canonical text for every literal (what the SQL translation sends as a parameter),
// and how two values of a type compare, with Postgres semantics so that the evaluator and the SQL always agree:
//
//   integer   int2 int4 int8 exactly (bigint); a decimal literal compares exactly too (as numeric does)
//   float     float4 float8 as IEEE doubles, a float4 column rounded to single precision first (what float48 does);
//             NaN equals NaN and sorts above everything (float8_cmp_internal)
//   text      text varchar by code point, i.e. UTF-8 byte order: the SQL says COLLATE "C" for ordering and LIKE
//   uuid      canonical lowercase text, whose order is the byte order uuid_cmp uses
//   date, timestamp, timestamptz   bigint days / microseconds (timestamptz in UTC); ±infinity beyond every value
//   time      microseconds since midnight ('24:00:00' is the largest)
//   bool      false < true
//   bytea     bytewise, then by length (byteacmp)
//   enum      equality of labels only (the sort order lives in the database)
//   jsonb, and any other type: IS [NOT] NULL only
//
// Row values come from pgwire/pgoutput/values.ts (DateStyle ISO, TimeZone UTC, bytea_output hex).
import { ShapeError } from './errors.ts';

/** A column of the shape's table, as the where clause may reference it. */
export interface WhereColumn {
  readonly name: string;
  /** pg_type.typname: 'int4', 'text', 'timestamptz', … or the enum type's name. */
  readonly pgType: string;
  /** The labels, when pgType is an enum. A type that is neither built in nor an enum supports IS NULL only. */
  readonly enumValues?: readonly string[];
}

export type ValueFamily =
  | 'integer'
  | 'float'
  | 'text'
  | 'uuid'
  | 'bool'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'timestamptz'
  | 'bytea'
  | 'enum'
  | 'jsonb'
  | 'other';

/** The Postgres type every parameter is cast to in the SQL translation. Fixed names: never text from the client. */
export type ParamType =
  | 'bool'
  | 'int8'
  | 'numeric'
  | 'float4'
  | 'float8'
  | 'text'
  | 'uuid'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'timestamptz'
  | 'bytea';

/** An exact decimal: digits / 10^scale. */
export interface Decimal {
  readonly digits: bigint;
  readonly scale: number;
}

/** A value reduced to what its family compares: see the header for which family uses which representation. */
export type ValueKey = bigint | number | string | boolean | Buffer | Decimal;

export type Parsed<T> = { readonly ok: true; readonly key: T; readonly text: string } | { readonly ok: false; readonly reason: string };

const familyByPgType: Readonly<Record<string, ValueFamily>> = {
  bool: 'bool',
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  float4: 'float',
  float8: 'float',
  text: 'text',
  varchar: 'text',
  uuid: 'uuid',
  date: 'date',
  time: 'time',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  bytea: 'bytea',
  jsonb: 'jsonb',
};

export function familyOfType(pgType: string, isEnum: boolean): ValueFamily {
  if (Object.hasOwn(familyByPgType, pgType)) return familyByPgType[pgType]!;
  return isEnum ? 'enum' : 'other';
}

/** Families whose values have an order we reproduce exactly. */
export function isOrderedFamily(family: ValueFamily): boolean {
  return family !== 'enum' && family !== 'jsonb' && family !== 'other';
}

/** Families whose values we can test for equality. */
export function isEqualityFamily(family: ValueFamily): boolean {
  return family !== 'jsonb' && family !== 'other';
}

export const integerRanges = {
  int2: [-(2n ** 15n), 2n ** 15n - 1n],
  int4: [-(2n ** 31n), 2n ** 31n - 1n],
  int8: [-(2n ** 63n), 2n ** 63n - 1n],
} as const;

const ok = <T>(key: T, text: string): Parsed<T> => ({ ok: true, key, text });
const fail = (reason: string): Parsed<never> => ({ ok: false, reason });

// ---- integers and decimals ----------------------------------------------------------------------------------------

/** int2in / int4in / int8in: optional whitespace and sign, decimal digits, range-checked. */
export function parseIntegerText(text: string, type: keyof typeof integerRanges): Parsed<bigint> {
  const match = /^\s*([+-]?)(\d+)\s*$/.exec(text);
  if (!match) return fail(`is not a valid ${type}: write an integer`);
  const value = BigInt(`${match[1]}${match[2]}`);
  const [min, max] = integerRanges[type];
  if (value < min || value > max) return fail(`is out of range for ${type} (${min} to ${max})`);
  return ok(value, value.toString());
}

const NUMERIC_LITERAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * A numeric token as the lexer read it (digits, optional fraction and exponent, with the sign of any unary minus):
 * an integer when it has no point or exponent and fits int8 (Postgres types it int4/int8), otherwise an exact decimal
 * (Postgres types it numeric). Returns null for an exponent too large to handle.
 */
export function parseNumericToken(text: string): { readonly integer: bigint } | { readonly decimal: Decimal } | null {
  const match = NUMERIC_LITERAL.exec(text);
  if (!match) return null;
  const [, sign = '', whole = '', fraction, exponentText] = match;
  if (fraction === undefined && exponentText === undefined) {
    const value = BigInt(`${sign}${whole}`);
    if (value >= integerRanges.int8[0] && value <= integerRanges.int8[1]) return { integer: value };
  }
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (Math.abs(exponent) > 1000) return null;
  let digits = BigInt(`${sign}${whole || '0'}${fraction ?? ''}`);
  let scale = (fraction ?? '').length - exponent;
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { decimal: normalizeDecimal({ digits, scale }) };
}

function normalizeDecimal(value: Decimal): Decimal {
  let { digits, scale } = value;
  while (scale > 0 && digits % 10n === 0n) {
    digits /= 10n;
    scale -= 1;
  }
  return { digits, scale };
}

/** Plain decimal text that numeric_in reads back exactly: '-12.5', '0.001', '42'. */
export function formatDecimal(value: Decimal): string {
  const negative = value.digits < 0n;
  const digits = (negative ? -value.digits : value.digits).toString();
  if (value.scale === 0) return `${negative ? '-' : ''}${digits}`;
  const padded = digits.padStart(value.scale + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -value.scale)}.${padded.slice(-value.scale)}`;
}

export function isDecimal(value: unknown): value is Decimal {
  return typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && 'digits' in value;
}

function compareExact(a: bigint | Decimal, b: bigint | Decimal): number {
  const [ad, as] = typeof a === 'bigint' ? [a, 0] : [a.digits, a.scale];
  const [bd, bs] = typeof b === 'bigint' ? [b, 0] : [b.digits, b.scale];
  const scale = Math.max(as, bs);
  const x = ad * 10n ** BigInt(scale - as);
  const y = bd * 10n ** BigInt(scale - bs);
  return x < y ? -1 : x > y ? 1 : 0;
}

// ---- floats -------------------------------------------------------------------------------------------------------

const FLOAT_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const FLOAT_SPECIAL: Readonly<Record<string, number>> = {
  nan: Number.NaN,
  infinity: Number.POSITIVE_INFINITY,
  '+infinity': Number.POSITIVE_INFINITY,
  '-infinity': Number.NEGATIVE_INFINITY,
  inf: Number.POSITIVE_INFINITY,
  '+inf': Number.POSITIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
};

/**
 * float4in / float8in for decimal text and NaN / Infinity / inf: the value rounded to the type, and its shortest
 * round-trip text, which the same input function reads back to the same value. Overflow and underflow are refused.
 */
export function parseFloatText(text: string, type: 'float4' | 'float8'): Parsed<number> {
  const trimmed = text.trim();
  const special = FLOAT_SPECIAL[trimmed.toLowerCase()];
  if (special !== undefined && Object.hasOwn(FLOAT_SPECIAL, trimmed.toLowerCase())) return ok(special, String(special));
  if (!FLOAT_TEXT.test(trimmed)) return fail(`is not a valid ${type}: write a number, 'NaN', 'Infinity' or '-Infinity'`);
  return floatFromDecimalText(trimmed, type);
}

/** A numeric literal used as a float: Number() rounds correctly, as strtod does in numeric_float8. */
export function floatFromDecimalText(text: string, type: 'float4' | 'float8'): Parsed<number> {
  const double = Number(text);
  const value = type === 'float4' ? Math.fround(double) : double;
  if (!Number.isFinite(value)) return fail(`is out of range for ${type}`);
  if (value === 0 && /[1-9]/.test(text.replace(/[eE].*$/, ''))) return fail(`is out of range for ${type} (too close to zero)`);
  return ok(value, String(value));
}

function compareFloats(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- bool, uuid, text, bytea --------------------------------------------------------------------------------------

/** boolin: whitespace-trimmed, case-insensitive prefixes of true/false/yes/no, 'on'/'off' (two letters at least), 1/0. */
export function parseBoolText(text: string): Parsed<boolean> {
  const value = text.trim().toLowerCase();
  const isPrefixOf = (word: string, minimum = 1) => value.length >= minimum && word.startsWith(value);
  if (value === '1' || isPrefixOf('true') || isPrefixOf('yes') || value === 'on') return ok(true, 'true');
  if (value === '0' || isPrefixOf('false') || isPrefixOf('no') || isPrefixOf('off', 2)) return ok(false, 'false');
  return fail("is not a valid bool: write true, false, 't' or 'f'");
}

/** uuid_in: 32 hex digits, a hyphen allowed after any group of four, optionally in braces. Canonical lowercase form. */
export function parseUuidText(text: string): Parsed<string> {
  let rest = text;
  const braces = rest.startsWith('{');
  if (braces) {
    if (!rest.endsWith('}')) return fail(invalidUuid);
    rest = rest.slice(1, -1);
  }
  let hex = '';
  let i = 0;
  for (let byte = 0; byte < 16; byte++) {
    const pair = rest.slice(i, i + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(pair)) return fail(invalidUuid);
    hex += pair.toLowerCase();
    i += 2;
    if (rest[i] === '-' && byte % 2 === 1 && byte < 15) i += 1;
  }
  if (i !== rest.length) return fail(invalidUuid);
  const canonical = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return ok(canonical, canonical);
}

const invalidUuid = "is not a valid uuid: write it as 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx' (hex digits)";

/**
 * byteain: hex format ('\x' then pairs of hex digits, whitespace between pairs allowed) or escape format (characters
 * as their UTF-8 bytes, '\\' for a backslash, '\ooo' octal). Canonical text is the hex format.
 */
export function parseByteaText(text: string): Parsed<Buffer> {
  if (text.startsWith('\\x')) {
    const hex = text.slice(2).replace(/[ \t\n\r]/g, '');
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) return fail("is not valid bytea hex: write '\\x' followed by pairs of hex digits");
    const bytes = Buffer.from(hex, 'hex');
    return ok(bytes, `\\x${bytes.toString('hex')}`);
  }
  const bytes: number[] = [];
  for (let i = 0; i < text.length; ) {
    if (text[i] === '\\') {
      if (text[i + 1] === '\\') {
        bytes.push(0x5c);
        i += 2;
      } else if (/^[0-3][0-7][0-7]$/.test(text.slice(i + 1, i + 4))) {
        bytes.push(Number.parseInt(text.slice(i + 1, i + 4), 8));
        i += 4;
      } else {
        return fail("is not valid bytea: a backslash must start '\\\\' or an octal '\\ooo', or write hex as '\\x…'");
      }
    } else {
      const codePoint = text.codePointAt(i)!;
      const char = String.fromCodePoint(codePoint);
      bytes.push(...Buffer.from(char, 'utf8'));
      i += char.length;
    }
  }
  const buffer = Buffer.from(bytes);
  return ok(buffer, `\\x${buffer.toString('hex')}`);
}

/** Order by code point, which is UTF-8 byte order (what COLLATE "C" compares), not UTF-16 code unit order. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1; // a code point above U+FFFF sorts after the BMP
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

// ---- dates and times ----------------------------------------------------------------------------------------------

const DAY_US = 86_400_000_000n;
/** Beyond every finite date (days) and timestamp (µs): the keys of 'infinity' and '-infinity'. */
export const INFINITY_KEY = 2n ** 80n;

/** Days since 1970-01-01 of a proleptic Gregorian date; year is astronomical (1 BC = 0). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Postgres' range: dates from 4714-11-24 BC to 5874897-12-31, timestamps from 4714-11-24 BC to 294276-12-31. */
const MIN_DAYS = daysFromCivil(-4713, 11, 24);
const MAX_DATE_DAYS = daysFromCivil(5_874_897, 12, 31);
const MIN_TIMESTAMP_US = BigInt(MIN_DAYS) * DAY_US;
const END_TIMESTAMP_US = BigInt(daysFromCivil(294_277, 1, 1)) * DAY_US;

const pad = (value: number | bigint, width: number) => value.toString().padStart(width, '0');

function formatCivilDate(days: number): { text: string; bc: boolean } {
  const { year, month, day } = civilFromDays(days);
  const bc = year <= 0;
  return { text: `${pad(bc ? 1 - year : year, 4)}-${pad(month, 2)}-${pad(day, 2)}`, bc };
}

function infinityOf(text: string): bigint | null {
  const value = text.toLowerCase();
  if (value === 'infinity' || value === '+infinity') return INFINITY_KEY;
  if (value === '-infinity') return -INFINITY_KEY;
  return null;
}

const DATE = /^(\d{4,7})-(\d{1,2})-(\d{1,2})(?:\s+(BC|AD))?$/i;
const TIMESTAMP =
  /^(\d{4,7})-(\d{1,2})-(\d{1,2})(?:(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(?:([zZ])|([+-])(\d{1,2})(?::?(\d{2})(?::?(\d{2}))?)?)?)?(?:\s+(BC|AD))?$/i;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/;

function civilDays(yearText: string, monthText: string, dayText: string, era: string | undefined): number | string {
  const printedYear = Number(yearText);
  const bc = era !== undefined && era.toUpperCase() === 'BC';
  if (bc && printedYear === 0) return 'has year 0, which does not exist (1 BC is followed by 1 AD)';
  const year = bc ? 1 - printedYear : printedYear;
  const month = Number(monthText);
  const day = Number(dayText);
  if (month < 1 || month > 12) return 'has a month outside 1-12';
  const lastDay = month === 2 && isLeapYear(year) ? 29 : daysInMonth[month - 1]!;
  if (day < 1 || day > lastDay) return `has a day outside 1-${lastDay} for that month`;
  return daysFromCivil(year, month, day);
}

/** Microseconds since midnight; hour 24 is allowed only as exactly 24:00:00 and only when `allow24`. */
function timeOfDay(h: string, m: string, s: string | undefined, fraction: string | undefined, allow24: boolean): number | string {
  const hour = Number(h);
  const minute = Number(m);
  const second = Number(s ?? '0');
  if (fraction !== undefined && fraction.length > 6) return 'has more than 6 fractional digits (Postgres keeps microseconds)';
  const micros = Number((fraction ?? '').padEnd(6, '0'));
  if (minute > 59 || second > 59) return 'has minutes or seconds outside 0-59';
  if (hour > 24 || (hour === 24 && (!allow24 || minute !== 0 || second !== 0 || micros !== 0))) return 'has an hour outside 0-23';
  return ((hour * 60 + minute) * 60 + second) * 1_000_000 + micros;
}

function formatTimeOfDay(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  return `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}.${pad(micros % 1_000_000, 6)}`;
}

/** date_in for 'YYYY-MM-DD[ BC]' and ±infinity; key = days since 1970-01-01. */
export function parseDateText(text: string): Parsed<bigint> {
  const trimmed = text.trim();
  const infinity = infinityOf(trimmed);
  if (infinity !== null) return ok(infinity, infinity > 0n ? 'infinity' : '-infinity');
  const match = DATE.exec(trimmed);
  if (!match) return fail("is not a valid date: write 'YYYY-MM-DD' (optionally followed by BC), 'infinity' or '-infinity'");
  const days = civilDays(match[1]!, match[2]!, match[3]!, match[4]);
  if (typeof days === 'string') return fail(days);
  if (days < MIN_DAYS || days > MAX_DATE_DAYS) return fail('is out of range for date (4714-11-24 BC to 5874897-12-31)');
  const { text: dateText, bc } = formatCivilDate(days);
  return ok(BigInt(days), `${dateText}${bc ? ' BC' : ''}`);
}

/** time_in for 'HH:MM[:SS[.ffffff]]'; key = microseconds since midnight. */
export function parseTimeText(text: string): Parsed<number> {
  const match = TIME.exec(text.trim());
  if (!match) return fail("is not a valid time: write 'HH:MM:SS[.ffffff]'");
  const micros = timeOfDay(match[1]!, match[2]!, match[3], match[4], true);
  if (typeof micros === 'string') return fail(micros);
  return ok(micros, formatTimeOfDay(micros));
}

/**
 * timestamp_in / timestamptz_in for 'YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]][offset][ BC]' and ±infinity; key =
 * microseconds since 1970-01-01 (UTC for timestamptz). A timestamp refuses an offset (Postgres would silently drop
 * it); a timestamptz without one is read as UTC, and its canonical text is in UTC with '+00', so the server's TimeZone
 * setting never changes the meaning of a clause.
 */
export function parseTimestampText(text: string, zoned: boolean): Parsed<bigint> {
  const type = zoned ? 'timestamptz' : 'timestamp';
  const trimmed = text.trim();
  const infinity = infinityOf(trimmed);
  if (infinity !== null) return ok(infinity, infinity > 0n ? 'infinity' : '-infinity');
  const match = TIMESTAMP.exec(trimmed);
  if (!match) {
    return fail(`is not a valid ${type}: write 'YYYY-MM-DD HH:MM:SS[.ffffff]${zoned ? '[+HH:MM]' : ''}', 'infinity' or '-infinity'`);
  }
  const [, year, month, day, hour, minute, second, fraction, zulu, sign, offsetHours, offsetMinutes, offsetSeconds, era] = match;
  const hasOffset = zulu !== undefined || sign !== undefined;
  if (hasOffset && !zoned) return fail('has a time zone offset, which a timestamp (without time zone) column ignores: remove it');
  const days = civilDays(year!, month!, day!, era);
  if (typeof days === 'string') return fail(days);
  const time = hour === undefined ? 0 : timeOfDay(hour, minute!, second, fraction, false);
  if (typeof time === 'string') return fail(time);
  let offsetSecondsTotal = 0;
  if (sign !== undefined) {
    const hours = Number(offsetHours);
    const minutes = Number(offsetMinutes ?? '0');
    const secs = Number(offsetSeconds ?? '0');
    if (hours > 15 || minutes > 59 || secs > 59) return fail('has a time zone offset outside -15:59:59 to +15:59:59');
    offsetSecondsTotal = (sign === '-' ? -1 : 1) * (hours * 3600 + minutes * 60 + secs);
  }
  const micros = BigInt(days) * DAY_US + BigInt(time) - BigInt(offsetSecondsTotal) * 1_000_000n;
  if (micros < MIN_TIMESTAMP_US || micros >= END_TIMESTAMP_US) return fail(`is out of range for ${type} (4714-11-24 BC to 294276-12-31)`);
  return ok(micros, formatTimestamp(micros, zoned));
}

function formatTimestamp(micros: bigint, zoned: boolean): string {
  const days = micros >= 0n ? micros / DAY_US : -((-micros + DAY_US - 1n) / DAY_US);
  const { text, bc } = formatCivilDate(Number(days));
  return `${text} ${formatTimeOfDay(Number(micros - days * DAY_US))}${zoned ? '+00' : ''}${bc ? ' BC' : ''}`;
}

// ---- row values and comparison ------------------------------------------------------------------------------------

/**
 * A row's value for a column, reduced to its family's key; null for SQL NULL. Throws ES_SHAPE_ROW_VALUE when the value
 * is not what the decoder produces for the type (a bug upstream).
 */
export function rowValueKey(family: ValueFamily, pgType: string, column: string, value: unknown): ValueKey | null {
  if (value === null) return null;
  switch (family) {
    case 'integer':
      if (typeof value === 'bigint') return value;
      if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
      break;
    case 'float':
      if (typeof value === 'number') return pgType === 'float4' ? Math.fround(value) : value;
      break;
    case 'text':
    case 'enum':
      if (typeof value === 'string') return value;
      break;
    case 'uuid':
      if (typeof value === 'string') return value.toLowerCase();
      break;
    case 'bool':
      if (typeof value === 'boolean') return value;
      break;
    case 'bytea':
      if (Buffer.isBuffer(value)) return value;
      if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      break;
    case 'date':
    case 'time':
    case 'timestamp':
    case 'timestamptz': {
      if (typeof value !== 'string') break;
      const parsed =
        family === 'date'
          ? parseDateText(value)
          : family === 'time'
            ? parseTimeText(value)
            : parseTimestampText(value, family === 'timestamptz');
      if (parsed.ok) return parsed.key;
      break;
    }
    case 'jsonb':
    case 'other':
      return true; // only ever tested for NULL
  }
  throw new ShapeError(
    'ES_SHAPE_ROW_VALUE',
    `row value of column ${column} (${pgType}) is ${describeValue(value)}, not what the decoder produces for that type`,
  );
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (Buffer.isBuffer(value)) return 'a Buffer';
  return `a ${typeof value}`;
}

/** Three-way comparison of two non-null keys of one family, with Postgres semantics (see the header). */
export function compareKeys(family: ValueFamily, a: ValueKey, b: ValueKey): number {
  switch (family) {
    case 'integer':
      return compareExact(a as bigint | Decimal, b as bigint | Decimal);
    case 'float':
      return compareFloats(a as number, b as number);
    case 'text':
      return compareCodePoints(a as string, b as string);
    case 'bytea':
      return Buffer.compare(a as Buffer, b as Buffer);
    case 'bool':
      return Number(a) - Number(b);
    default:
      return a < b ? -1 : a > b ? 1 : 0;
  }
}
