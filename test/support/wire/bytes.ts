/**
 * Little-endian readers and writers for the test server's own codec.
 * Deliberately independent of lib/iggy: a misreading of the protocol on either side must fail a test.
 */

export class WireDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireDecodeError';
  }
}

export type Identifier = { kind: 'numeric'; id: number } | { kind: 'name'; name: string };

export class WireReader {
  private position = 0;

  constructor(private readonly buffer: Buffer) {}

  get offset(): number {
    return this.position;
  }

  get remaining(): number {
    return this.buffer.length - this.position;
  }

  atEnd(): boolean {
    return this.position === this.buffer.length;
  }

  private take(length: number): number {
    if (length < 0 || this.position + length > this.buffer.length) {
      throw new WireDecodeError(`need ${length} bytes at ${this.position}, have ${this.remaining}`);
    }
    const start = this.position;
    this.position += length;
    return start;
  }

  u8(): number {
    return this.buffer.readUInt8(this.take(1));
  }

  u32(): number {
    return this.buffer.readUInt32LE(this.take(4));
  }

  u64(): bigint {
    return this.buffer.readBigUInt64LE(this.take(8));
  }

  u128(): bigint {
    const start = this.take(16);
    const low = this.buffer.readBigUInt64LE(start);
    const high = this.buffer.readBigUInt64LE(start + 8);
    return (high << 64n) | low;
  }

  bytes(length: number): Buffer {
    const start = this.take(length);
    return this.buffer.subarray(start, start + length);
  }

  rest(): Buffer {
    return this.bytes(this.remaining);
  }

  /** u8 length (1..255) + UTF-8. */
  wireName(): string {
    const length = this.u8();
    if (length === 0) throw new WireDecodeError('empty name');
    return decodeUtf8(this.bytes(length));
  }

  /** u8 length (0..255) + UTF-8; used for the password, which has no lower bound on the wire. */
  shortString(): string {
    return decodeUtf8(this.bytes(this.u8()));
  }

  identifier(): Identifier {
    const kind = this.u8();
    const length = this.u8();
    if (kind === 1) {
      if (length !== 4) throw new WireDecodeError(`numeric identifier with length ${length}`);
      return { kind: 'numeric', id: this.u32() };
    }
    if (kind === 2) {
      if (length === 0) throw new WireDecodeError('empty string identifier');
      return { kind: 'name', name: decodeUtf8(this.bytes(length)) };
    }
    throw new WireDecodeError(`identifier kind ${kind}`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new WireDecodeError('invalid UTF-8');
  }
}

export class WireWriter {
  private readonly chunks: Buffer[] = [];
  private length = 0;

  private push(chunk: Buffer): this {
    this.chunks.push(chunk);
    this.length += chunk.length;
    return this;
  }

  u8(value: number): this {
    const b = Buffer.alloc(1);
    b.writeUInt8(value);
    return this.push(b);
  }

  u32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value >>> 0);
    return this.push(b);
  }

  u64(value: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, value));
    return this.push(b);
  }

  u128(value: bigint): this {
    const b = Buffer.alloc(16);
    writeU128(b, 0, value);
    return this.push(b);
  }

  f32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    return this.push(b);
  }

  bytes(value: Uint8Array): this {
    return this.push(Buffer.from(value));
  }

  wireName(value: string): this {
    const encoded = Buffer.from(value, 'utf8');
    if (encoded.length < 1 || encoded.length > 255) throw new RangeError(`name length ${encoded.length}`);
    return this.u8(encoded.length).push(encoded);
  }

  /** u32 length + UTF-8, as in the stats and client responses. */
  longString(value: string): this {
    const encoded = Buffer.from(value, 'utf8');
    return this.u32(encoded.length).push(encoded);
  }

  get size(): number {
    return this.length;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

export function writeU128(target: Buffer, offset: number, value: bigint): void {
  const v = BigInt.asUintN(128, value);
  target.writeBigUInt64LE(v & 0xffff_ffff_ffff_ffffn, offset);
  target.writeBigUInt64LE(v >> 64n, offset + 8);
}

export function readU128(source: Buffer, offset: number): bigint {
  return (source.readBigUInt64LE(offset + 8) << 64n) | source.readBigUInt64LE(offset);
}

export function encodeIdentifier(id: Identifier): Buffer {
  const w = new WireWriter();
  if (id.kind === 'numeric') w.u8(1).u8(4).u32(id.id);
  else w.u8(2).wireName(id.name);
  return w.toBuffer();
}
