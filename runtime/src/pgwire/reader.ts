// A forward-only cursor over a Buffer, reading big-endian integers and strings the way the Postgres wire protocol
// encodes them. It never copies: `bytes(n)` returns a view into the same memory. Every read checks that the bytes are
// there first and throws `PgwireError('PGWIRE_TRUNCATED')` if not, so a decoder written on top of it never reads
// past the end of its message or returns garbage from a short buffer.
import { PgwireError } from './errors.ts';

const NUL = 0;

type Slice = (this: Buffer, start: number, end: number) => string;

// Buffer#utf8Slice is what toString('utf8', start, end) calls after normalizing its arguments; calling it directly
// decodes short strings (most column values) about 1.5x faster. It is not in Node's typings, so we look it up once
// and fall back to toString if a runtime lacks it.
const utf8Slice = (Buffer.prototype as unknown as { utf8Slice?: Slice }).utf8Slice;

/** Decodes buffer[start, end) as UTF-8 (invalid sequences become U+FFFD). The caller checks the bounds. */
export const decodeUtf8: (buffer: Buffer, start: number, end: number) => string =
  typeof utf8Slice === 'function'
    ? (buffer, start, end) => utf8Slice.call(buffer, start, end)
    : (buffer, start, end) => buffer.toString('utf8', start, end);

export class Reader {
  /** The buffer being read. Only bytes in [offset, end) are visible to the reads. */
  buffer: Buffer;
  /** Position of the next byte to read. */
  offset: number;
  /** One past the last readable byte; usually `buffer.length`. */
  end: number;

  constructor(buffer: Buffer, offset = 0, end = buffer.length) {
    this.buffer = buffer;
    this.offset = offset;
    this.end = end;
  }

  /** Points this reader at new bytes, so one instance can be reused for many messages. */
  reset(buffer: Buffer, offset = 0, end = buffer.length): this {
    this.buffer = buffer;
    this.offset = offset;
    this.end = end;
    return this;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  uint8(): number {
    this.need(1, 'Int8');
    return this.buffer[this.offset++]!;
  }

  int16(): number {
    this.need(2, 'Int16');
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    this.need(4, 'Int32');
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** An Int32 field that holds an unsigned quantity (OIDs, transaction ids). */
  uint32(): number {
    this.need(4, 'Int32');
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** A signed Int64 (timestamps). */
  int64(): bigint {
    this.need(8, 'Int64');
    const value = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  /** An Int64 field that holds an unsigned quantity (LSNs, i.e. XLogRecPtr). */
  uint64(): bigint {
    this.need(8, 'Int64');
    const value = this.buffer.readBigUInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  /** A NUL-terminated UTF-8 string (the docs' `String`). The terminator is consumed, not returned. */
  cstring(): string {
    const start = this.offset;
    const nul = this.buffer.indexOf(NUL, start);
    if (nul === -1 || nul >= this.end) {
      throw new PgwireError(
        'PGWIRE_TRUNCATED',
        `truncated: no NUL terminator for String at offset ${start} (${this.end - start} bytes left)`,
      );
    }
    this.offset = nul + 1;
    return decodeUtf8(this.buffer, start, nul);
  }

  /** `n` bytes as a view into the same memory (no copy). Keep it only as long as the buffer may live. */
  bytes(n: number): Buffer {
    this.need(n, 'Byten');
    const start = this.offset;
    this.offset += n;
    return this.buffer.subarray(start, this.offset);
  }

  /** `n` bytes decoded as UTF-8, without creating an intermediate Buffer. */
  utf8(n: number): string {
    this.need(n, 'Byten');
    const start = this.offset;
    this.offset += n;
    return decodeUtf8(this.buffer, start, this.offset);
  }

  /** Throws unless every byte has been read; `what` names the message for the error. */
  expectEnd(what: string): void {
    if (this.offset !== this.end) {
      throw new PgwireError(
        'PGWIRE_MALFORMED',
        `${what}: ${this.end - this.offset} unexpected trailing bytes at offset ${this.offset}`,
      );
    }
  }

  // `what` is always a constant, so the happy path allocates nothing.
  private need(n: number, what: string): void {
    if (this.offset + n > this.end || n < 0) {
      if (n < 0) {
        throw new PgwireError('PGWIRE_MALFORMED', `negative length ${n} for ${what} at offset ${this.offset}`);
      }
      throw new PgwireError(
        'PGWIRE_TRUNCATED',
        `truncated: ${what} at offset ${this.offset} needs ${n} bytes, ${this.end - this.offset} left`,
      );
    }
  }
}
