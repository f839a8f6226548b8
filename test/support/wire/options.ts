import { WireDecodeError, WireWriter } from './bytes';

/** The TLV of options blocks and user headers (docs/architecture.md#shared-encodings). */
export const ValueKind = {
  Raw: 1,
  String: 2,
  Bool: 3,
  Uint8: 9,
  Uint32: 11,
  Uint64: 12,
} as const;

export interface TlvField {
  kind: number;
  data: Buffer;
}

export interface OptionEntry {
  key: string;
  value: TlvField;
}

const MAX_ENTRIES = 1024;
const MAX_BLOCK_BYTES = 100_000;

/** Decodes a request options block that runs to the end of the body. Structural faults throw (→ status 3). */
export function parseOptionsBlock(block: Buffer): OptionEntry[] {
  if (block.length > MAX_BLOCK_BYTES) throw new WireDecodeError('options block too large');
  const fields: TlvField[] = [];
  let position = 0;
  while (position < block.length) {
    if (position + 5 > block.length) throw new WireDecodeError('truncated option field');
    const kind = block.readUInt8(position);
    const length = block.readUInt32LE(position + 1);
    if (kind === 0 || kind > 15) throw new WireDecodeError(`option kind ${kind}`);
    if (length < 1 || length > 255) throw new WireDecodeError(`option length ${length}`);
    if (position + 5 + length > block.length) throw new WireDecodeError('option runs past the block');
    fields.push({ kind, data: Buffer.from(block.subarray(position + 5, position + 5 + length)) });
    position += 5 + length;
  }
  if (fields.length % 2 !== 0) throw new WireDecodeError('option key without a value');
  const entries: OptionEntry[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < fields.length; i += 2) {
    const key = fields[i]!;
    const value = fields[i + 1]!;
    if (key.kind !== ValueKind.String) throw new WireDecodeError('option key is not a string');
    const name = key.data.toString('utf8');
    if (seen.has(name)) throw new WireDecodeError(`option ${name} repeated`);
    seen.add(name);
    entries.push({ key: name, value });
  }
  if (entries.length > MAX_ENTRIES) throw new WireDecodeError('too many options');
  return entries;
}

export function encodeOptionsBlock(entries: readonly OptionEntry[]): Buffer {
  const w = new WireWriter();
  for (const { key, value } of entries) {
    const keyBytes = Buffer.from(key, 'utf8');
    w.u8(ValueKind.String).u32(keyBytes.length).bytes(keyBytes);
    w.u8(value.kind).u32(value.data.length).bytes(value.data);
  }
  return w.toBuffer();
}

export function uint64Field(value: bigint): TlvField {
  const data = Buffer.alloc(8);
  data.writeBigUInt64LE(value);
  return { kind: ValueKind.Uint64, data };
}

export function uint32Field(value: number): TlvField {
  const data = Buffer.alloc(4);
  data.writeUInt32LE(value);
  return { kind: ValueKind.Uint32, data };
}

export function uint8Field(value: number): TlvField {
  return { kind: ValueKind.Uint8, data: Buffer.from([value]) };
}

export function boolField(value: boolean): TlvField {
  return { kind: ValueKind.Bool, data: Buffer.from([value ? 1 : 0]) };
}

export function stringField(value: string): TlvField {
  return { kind: ValueKind.String, data: Buffer.from(value, 'utf8') };
}
