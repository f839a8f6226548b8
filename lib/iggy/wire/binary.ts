/**
 * Little-endian writer and bounds-checked reader. The reader is the only place that touches
 * untrusted bytes, so every read checks the remaining length and fails with a protocol
 * IggyError instead of a RangeError.
 */

import { invalidArgument, protocolError } from '../errors';
import { U128_MAX, U64_MAX } from './constants';

const UTF8 = new TextEncoder();

export function utf8(text: string): Buffer {
  return Buffer.from(UTF8.encode(text));
}

export class BinaryWriter {
  #buf: Buffer;
  #len = 0;

  constructor(initialCapacity = 64) {
    this.#buf = Buffer.allocUnsafe(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.#len;
  }

  #ensure(extra: number): void {
    const needed = this.#len + extra;
    if (needed <= this.#buf.length) return;
    let capacity = this.#buf.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = Buffer.allocUnsafe(capacity);
    this.#buf.copy(next, 0, 0, this.#len);
    this.#buf = next;
  }

  u8(value: number): this {
    checkUint(value, 0xff, 'u8');
    this.#ensure(1);
    this.#buf.writeUInt8(value, this.#len);
    this.#len += 1;
    return this;
  }

  u32(value: number): this {
    checkUint(value, 0xffffffff, 'u32');
    this.#ensure(4);
    this.#buf.writeUInt32LE(value, this.#len);
    this.#len += 4;
    return this;
  }

  u64(value: bigint): this {
    if (value < 0n || value > U64_MAX) throw invalidArgument(`value ${value} does not fit in a u64`);
    this.#ensure(8);
    this.#buf.writeBigUInt64LE(value, this.#len);
    this.#len += 8;
    return this;
  }

  u128(value: bigint): this {
    if (value < 0n || value > U128_MAX) throw invalidArgument(`value ${value} does not fit in a u128`);
    this.#ensure(16);
    this.#buf.writeBigUInt64LE(value & U64_MAX, this.#len);
    this.#buf.writeBigUInt64LE(value >> 64n, this.#len + 8);
    this.#len += 16;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.#ensure(data.length);
    this.#buf.set(data, this.#len);
    this.#len += data.length;
    return this;
  }

  zeros(count: number): this {
    this.#ensure(count);
    this.#buf.fill(0, this.#len, this.#len + count);
    this.#len += count;
    return this;
  }

  /** A copy sized exactly to what was written. */
  toBuffer(): Buffer {
    return Buffer.from(this.#buf.subarray(0, this.#len));
  }
}

function checkUint(value: number, max: number, type: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw invalidArgument(`value ${value} does not fit in a ${type}`);
  }
}

export class BinaryReader {
  readonly buf: Buffer;
  #pos: number;
  readonly #end: number;
  readonly #what: string;

  /** `what` names the structure being decoded so a truncation error says where it happened. */
  constructor(buf: Buffer, what: string, start = 0, end = buf.length) {
    this.buf = buf;
    this.#pos = start;
    this.#end = end;
    this.#what = what;
  }

  get position(): number {
    return this.#pos;
  }

  get remaining(): number {
    return this.#end - this.#pos;
  }

  #take(count: number): number {
    if (count < 0 || this.#pos + count > this.#end) {
      throw protocolError(
        `${this.#what} is truncated: needed ${count} more bytes at offset ${this.#pos}, only ${this.#end - this.#pos} left`,
      );
    }
    const at = this.#pos;
    this.#pos += count;
    return at;
  }

  u8(): number {
    return this.buf.readUInt8(this.#take(1));
  }

  u32(): number {
    return this.buf.readUInt32LE(this.#take(4));
  }

  u64(): bigint {
    return this.buf.readBigUInt64LE(this.#take(8));
  }

  u128(): bigint {
    const at = this.#take(16);
    return this.buf.readBigUInt64LE(at) | (this.buf.readBigUInt64LE(at + 8) << 64n);
  }

  f32(): number {
    return this.buf.readFloatLE(this.#take(4));
  }

  skip(count: number): void {
    this.#take(count);
  }

  /** A view (no copy) of the next `count` bytes. */
  bytes(count: number): Buffer {
    const at = this.#take(count);
    return this.buf.subarray(at, at + count);
  }

  /** `[u8 length][UTF-8]`. */
  name(): string {
    const length = this.u8();
    return this.bytes(length).toString('utf8');
  }

  /** `[u32 length][UTF-8]`. */
  string32(): string {
    const length = this.u32();
    return this.bytes(length).toString('utf8');
  }

  expectEnd(): void {
    if (this.#pos !== this.#end) {
      throw protocolError(`${this.#what} has ${this.#end - this.#pos} unexpected trailing bytes`);
    }
  }
}
