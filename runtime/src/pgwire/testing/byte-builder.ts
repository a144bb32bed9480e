// Writes wire bytes one field at a time, for test fixtures. Deliberately simple and independent of the code under
// test (no Reader, no Buffer write helpers): every integer is split into bytes by hand, big-endian, so a fixture
// states what is on the wire in the same terms as the protocol docs (Byte1, Int8, Int16, Int32, Int64, String, Byten).

export class ByteBuilder {
  private readonly bytes: number[] = [];

  /** Byte1('x'): one ASCII letter. */
  char(letter: string): this {
    if (letter.length !== 1) throw new Error(`char() takes one letter, got ${JSON.stringify(letter)}`);
    return this.int8(letter.charCodeAt(0));
  }

  int8(value: number): this {
    this.bytes.push(value & 0xff);
    return this;
  }

  int16(value: number): this {
    return this.int8(value >>> 8).int8(value);
  }

  /** Int32; negative values are written in two's complement, values up to 2^32-1 as unsigned (OIDs). */
  int32(value: number): this {
    return this.int8(value >>> 24)
      .int8(value >>> 16)
      .int8(value >>> 8)
      .int8(value);
  }

  /** Int64 from a bigint; negative values in two's complement. */
  int64(value: bigint): this {
    const unsigned = BigInt.asUintN(64, value);
    for (let shift = 56n; shift >= 0n; shift -= 8n) this.int8(Number((unsigned >> shift) & 0xffn));
    return this;
  }

  /** String: UTF-8 bytes and a NUL terminator. */
  cstring(value: string): this {
    return this.raw(new TextEncoder().encode(value)).int8(0);
  }

  /** Byten: the bytes as they are. */
  raw(value: Uint8Array | readonly number[]): this {
    for (const byte of value) this.int8(byte);
    return this;
  }

  get length(): number {
    return this.bytes.length;
  }

  build(): Buffer {
    return Buffer.from(this.bytes);
  }
}

export function bytes(): ByteBuilder {
  return new ByteBuilder();
}
