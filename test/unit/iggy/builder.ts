/** A tiny little-endian byte builder for hand-writing server replies in tests (independent of lib/iggy). */
export class Bytes {
  private parts: Buffer[] = [];
  u8(v: number): this {
    this.parts.push(Buffer.from([v]));
    return this;
  }
  u32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.parts.push(b);
    return this;
  }
  f32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.parts.push(b);
    return this;
  }
  u64(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(v);
    this.parts.push(b);
    return this;
  }
  name(s: string): this {
    const b = Buffer.from(s, 'utf8');
    return this.u8(b.length).raw(b);
  }
  str32(s: string): this {
    const b = Buffer.from(s, 'utf8');
    return this.u32(b.length).raw(b);
  }
  raw(b: Uint8Array): this {
    this.parts.push(Buffer.from(b));
    return this;
  }
  build(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export const bytes = (): Bytes => new Bytes();

/** A reply frame as the server would send it. */
export function replyFrame(opts: {
  operation: number;
  status?: number;
  request?: bigint;
  body?: Buffer;
}): Buffer {
  const body = opts.body ?? Buffer.alloc(0);
  const frame = Buffer.alloc(256 + body.length);
  frame.writeUInt32LE(frame.length, 48);
  frame[60] = 8;
  frame.writeBigUInt64LE(opts.request ?? 0n, 200);
  frame[208] = opts.operation;
  frame.writeUInt32LE(opts.status ?? 0, 216);
  body.copy(frame, 256);
  return frame;
}

export function evictionFrame(reason: number, max = 0, min = 0): Buffer {
  const frame = Buffer.alloc(256);
  frame.writeUInt32LE(256, 48);
  frame[60] = 13;
  frame.writeUInt32LE(max, 144);
  frame.writeUInt32LE(min, 148);
  frame[255] = reason;
  return frame;
}
