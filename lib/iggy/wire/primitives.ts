/** Shared encodings (docs/architecture.md#shared-encodings): Identifier, Consumer, OptPart, Partitioning, PollingStrategy, names, options TLV. */

import { invalidArgument, protocolError } from '../errors';
import { BinaryReader, BinaryWriter, utf8 } from './binary';
import { U64_MAX } from './constants';

/** number = numeric 0-based id (u32); string = a name of 1..255 UTF-8 bytes. */
export type Identifier = number | string;

export type PollingStrategy =
  | { kind: 'offset'; value: bigint }
  | { kind: 'timestamp'; value: bigint }
  | { kind: 'first' }
  | { kind: 'last' }
  | { kind: 'next' };

export const PollingStrategy = {
  offset: (value: bigint): PollingStrategy => ({ kind: 'offset', value }),
  timestamp: (micros: bigint): PollingStrategy => ({ kind: 'timestamp', value: micros }),
  first: (): PollingStrategy => ({ kind: 'first' }),
  last: (): PollingStrategy => ({ kind: 'last' }),
  next: (): PollingStrategy => ({ kind: 'next' }),
};

export type Consumer = { kind: 'consumer'; id: Identifier } | { kind: 'group'; id: Identifier };

export const Consumer = {
  single: (id: Identifier): Consumer => ({ kind: 'consumer', id }),
  group: (id: Identifier): Consumer => ({ kind: 'group', id }),
};

export type Partitioning =
  | { kind: 'balanced' }
  | { kind: 'partitionId'; partitionId: number }
  | { kind: 'messagesKey'; key: Uint8Array | string };

export const Partitioning = {
  balanced: (): Partitioning => ({ kind: 'balanced' }),
  partitionId: (partitionId: number): Partitioning => ({ kind: 'partitionId', partitionId }),
  messagesKey: (key: Uint8Array | string): Partitioning => ({ kind: 'messagesKey', key }),
};

export function checkU32(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw invalidArgument(`${what} must be an integer in 0..4294967295, got ${String(value)}`);
  }
  return value;
}

export function checkU64(value: bigint, what: string): bigint {
  if (typeof value !== 'bigint' || value < 0n || value > U64_MAX)
    throw invalidArgument(`${what} must be a u64 bigint`);
  return value;
}

/** Identifiers back to back, each named for its error message: the body of most by-reference commands. */
export function encodeIdentifiers(...ids: [Identifier, string][]): Buffer {
  const w = new BinaryWriter(64);
  for (const [id, what] of ids) writeIdentifier(w, id, what);
  return w.toBuffer();
}

/** A list reply with no count: `readOne` back to back until the payload ends. */
export function decodeUntilEnd<T>(payload: Buffer, what: string, readOne: (r: BinaryReader) => T): T[] {
  const r = new BinaryReader(payload, what);
  const items: T[] = [];
  while (r.remaining > 0) items.push(readOne(r));
  return items;
}

function nameBytes(text: string, what: string): Buffer {
  if (typeof text !== 'string') throw invalidArgument(`${what} must be a string`);
  const bytes = utf8(text);
  if (bytes.length < 1 || bytes.length > 255) {
    throw invalidArgument(`${what} must be 1..255 UTF-8 bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** WireName: `[u8 length 1..255][UTF-8]`. */
export function writeName(w: BinaryWriter, text: string, what = 'name'): void {
  const bytes = nameBytes(text, what);
  w.u8(bytes.length).bytes(bytes);
}

/** Identifier: numeric `01 04 <u32>`, string `02 <len> <UTF-8>`. */
export function writeIdentifier(w: BinaryWriter, id: Identifier, what = 'identifier'): void {
  if (typeof id === 'number') {
    checkU32(id, what);
    w.u8(1).u8(4).u32(id);
  } else if (typeof id === 'string') {
    const bytes = nameBytes(id, what);
    w.u8(2).u8(bytes.length).bytes(bytes);
  } else {
    throw invalidArgument(`${what} must be a number or a string`);
  }
}

/** Consumer: `[kind u8][Identifier]`, kind 1 = single consumer, 2 = consumer group. */
export function writeConsumer(w: BinaryWriter, consumer: Consumer): void {
  if (consumer?.kind === 'consumer') w.u8(1);
  else if (consumer?.kind === 'group') w.u8(2);
  else throw invalidArgument('consumer must be Consumer.single(id) or Consumer.group(id)');
  writeIdentifier(w, consumer.id, 'consumer id');
}

/** OptPart: `[flag u8][u32]`; unset is five zero bytes. */
export function writeOptionalPartition(w: BinaryWriter, partitionId: number | undefined): void {
  if (partitionId === undefined) {
    w.u8(0).u32(0);
  } else {
    w.u8(1).u32(checkU32(partitionId, 'partition id'));
  }
}

/** Partitioning: balanced `01 00`, partition `02 04 <u32>`, messages key `03 <len> <bytes>`. */
export function writePartitioning(w: BinaryWriter, partitioning: Partitioning): void {
  switch (partitioning?.kind) {
    case 'balanced':
      w.u8(1).u8(0);
      return;
    case 'partitionId':
      w.u8(2).u8(4).u32(checkU32(partitioning.partitionId, 'partition id'));
      return;
    case 'messagesKey': {
      const key = typeof partitioning.key === 'string' ? utf8(partitioning.key) : partitioning.key;
      if (!(key instanceof Uint8Array) || key.length < 1 || key.length > 255) {
        throw invalidArgument('messages key must be 1..255 bytes');
      }
      w.u8(3).u8(key.length).bytes(key);
      return;
    }
    default:
      throw invalidArgument('partitioning must be balanced, partitionId or messagesKey');
  }
}

const STRATEGY_KIND = { offset: 1, timestamp: 2, first: 3, last: 4, next: 5 } as const;

/** PollingStrategy: 9 bytes `[kind u8][value u64]`. */
export function writePollingStrategy(w: BinaryWriter, strategy: PollingStrategy): void {
  const kind = STRATEGY_KIND[strategy?.kind];
  if (kind === undefined)
    throw invalidArgument('polling strategy must be offset, timestamp, first, last or next');
  const value = strategy.kind === 'offset' || strategy.kind === 'timestamp' ? strategy.value : 0n;
  if (typeof value !== 'bigint') throw invalidArgument('polling strategy value must be a bigint');
  w.u8(kind).u64(value);
}

/** TLV kind codes (docs/architecture.md#shared-encodings), shared by options blocks, user headers and the option catalog. */
export const TlvKind = {
  Raw: 1,
  String: 2,
  Bool: 3,
  Int8: 4,
  Int16: 5,
  Int32: 6,
  Int64: 7,
  Int128: 8,
  Uint8: 9,
  Uint16: 10,
  Uint32: 11,
  Uint64: 12,
  Uint128: 13,
  Float32: 14,
  Float64: 15,
} as const;

export type TlvKindName =
  | 'raw'
  | 'string'
  | 'bool'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'int128'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'uint128'
  | 'float32'
  | 'float64';

/** A TLV value decoded by its kind: bool → boolean, ≤ 32-bit ints and floats → number, 64/128-bit ints → bigint, raw → bytes. */
export type TlvValue = string | number | bigint | boolean | Buffer;

/** Kind code → name. */
const TLV_KIND_NAMES: Record<number, TlvKindName> = {
  [TlvKind.Raw]: 'raw',
  [TlvKind.String]: 'string',
  [TlvKind.Bool]: 'bool',
  [TlvKind.Int8]: 'int8',
  [TlvKind.Int16]: 'int16',
  [TlvKind.Int32]: 'int32',
  [TlvKind.Int64]: 'int64',
  [TlvKind.Int128]: 'int128',
  [TlvKind.Uint8]: 'uint8',
  [TlvKind.Uint16]: 'uint16',
  [TlvKind.Uint32]: 'uint32',
  [TlvKind.Uint64]: 'uint64',
  [TlvKind.Uint128]: 'uint128',
  [TlvKind.Float32]: 'float32',
  [TlvKind.Float64]: 'float64',
};

/** Data length of the fixed-size kinds; raw and string are variable. */
const TLV_FIXED_SIZE: Partial<Record<TlvKindName, number>> = {
  bool: 1,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  int128: 16,
  uint8: 1,
  uint16: 2,
  uint32: 4,
  uint64: 8,
  uint128: 16,
  float32: 4,
  float64: 8,
};

/** The name of a kind code from the server; an unknown code is a protocol error naming `what`. */
export function tlvKindName(code: number, what: string): TlvKindName {
  const name = Object.hasOwn(TLV_KIND_NAMES, code) ? TLV_KIND_NAMES[code] : undefined;
  if (!name) throw protocolError(`${what} has unknown kind ${code}`);
  return name;
}

/**
 * One value sent by the server, decoded by its kind (the option catalog's defaults and a topic's
 * option blocks share this). Empty data means "no value" (null); a fixed-size kind with any other
 * length, or a bool other than 0/1, is a protocol error naming `what`.
 */
export function decodeTlvValue(kind: TlvKindName, data: Buffer, what: string): TlvValue | null {
  if (data.length === 0) return null;
  const size = TLV_FIXED_SIZE[kind];
  if (size !== undefined && data.length !== size)
    throw protocolError(`${what} has a ${data.length}-byte value for kind ${kind}`);
  switch (kind) {
    case 'raw':
      return Buffer.from(data);
    case 'string':
      return data.toString('utf8');
    case 'bool':
      if (data[0]! > 1) throw protocolError(`${what} has bool value ${data[0]}`);
      return data[0] === 1;
    case 'int8':
      return data.readInt8(0);
    case 'int16':
      return data.readInt16LE(0);
    case 'int32':
      return data.readInt32LE(0);
    case 'int64':
      return data.readBigInt64LE(0);
    case 'int128':
      return (data.readBigInt64LE(8) << 64n) | data.readBigUInt64LE(0);
    case 'uint8':
      return data.readUInt8(0);
    case 'uint16':
      return data.readUInt16LE(0);
    case 'uint32':
      return data.readUInt32LE(0);
    case 'uint64':
      return data.readBigUInt64LE(0);
    case 'uint128':
      return (data.readBigUInt64LE(8) << 64n) | data.readBigUInt64LE(0);
    case 'float32':
      return data.readFloatLE(0);
    case 'float64':
      return data.readDoubleLE(0);
  }
}

/** A value in a request options block; the kinds the server accepts for topic options. */
export type OptionValue =
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'u8'; value: number }
  | { kind: 'u32'; value: number }
  | { kind: 'u64'; value: bigint }
  | { kind: 'raw'; value: Uint8Array };

/** One option as a caller passes it, e.g. `{ key: 'durability', value: { kind: 'string', value: 'persisted' } }`. */
export interface OptionEntry {
  key: string;
  value: OptionValue;
}

const MAX_OPTION_ENTRIES = 1024;
const MAX_OPTIONS_BYTES = 100_000;

/** TLV field data is 1..255 bytes (docs/architecture.md#shared-encodings): the server refuses anything else, so refuse it here first. */
function tlvField(w: BinaryWriter, kind: number, data: Uint8Array, what: string): void {
  if (data.length < 1 || data.length > 255) throw invalidArgument(`${what} must be 1..255 bytes`);
  w.u8(kind).u32(data.length).bytes(data);
}

function optionData(value: OptionValue, what: string): [number, Uint8Array] {
  switch (value?.kind) {
    case 'string':
      if (typeof value.value !== 'string') throw invalidArgument(`${what} must be a string`);
      return [TlvKind.String, utf8(value.value)];
    case 'bool':
      if (typeof value.value !== 'boolean') throw invalidArgument(`${what} must be a boolean`);
      return [TlvKind.Bool, Uint8Array.of(value.value ? 1 : 0)];
    case 'u8':
      if (!Number.isInteger(value.value) || value.value < 0 || value.value > 0xff)
        throw invalidArgument(`${what} must be an integer in 0..255`);
      return [TlvKind.Uint8, Uint8Array.of(value.value)];
    case 'u32': {
      const data = Buffer.alloc(4);
      data.writeUInt32LE(checkU32(value.value, what));
      return [TlvKind.Uint32, data];
    }
    case 'u64': {
      if (typeof value.value !== 'bigint' || value.value < 0n || value.value > 0xffff_ffff_ffff_ffffn)
        throw invalidArgument(`${what} must be a u64 bigint`);
      const data = Buffer.alloc(8);
      data.writeBigUInt64LE(value.value);
      return [TlvKind.Uint64, data];
    }
    case 'raw':
      if (!(value.value instanceof Uint8Array)) throw invalidArgument(`${what} must be bytes`);
      return [TlvKind.Raw, value.value];
    default:
      throw invalidArgument(`${what} must be a string, bool, u8, u32, u64 or raw option value`);
  }
}

/**
 * Request options block: alternating key/value TLV fields, no length prefix, runs to the end of
 * the body. Keys are String fields and must not repeat; the block is bounded like the server's.
 */
export function writeOptions(w: BinaryWriter, options: readonly OptionEntry[]): void {
  if (options.length > MAX_OPTION_ENTRIES)
    throw invalidArgument(`at most ${MAX_OPTION_ENTRIES} options per request`);
  const start = w.length;
  const seen = new Set<string>();
  for (const option of options) {
    const key = option?.key;
    if (typeof key !== 'string') throw invalidArgument('option key must be a string');
    if (seen.has(key)) throw invalidArgument(`option '${key}' is given twice`);
    seen.add(key);
    tlvField(w, TlvKind.String, utf8(key), 'option key');
    const [kind, data] = optionData(option.value, `option '${key}'`);
    tlvField(w, kind, data, `option '${key}'`);
  }
  if (w.length - start > MAX_OPTIONS_BYTES)
    throw invalidArgument(`options must encode to at most ${MAX_OPTIONS_BYTES} bytes`);
}

/** One entry of an options block in a reply. */
export interface DecodedOption {
  key: string;
  kind: TlvKindName;
  value: TlvValue | null;
}

/**
 * A reply's options block (its u32 length prefix already read): alternating key/value TLV fields
 * `[kind u8][length u32][data]` that fill the block exactly. Keys are String fields and do not
 * repeat; values decode by kind. Anything else is a protocol error naming `what`. Empty values are
 * taken as null rather than refused: a reader loses nothing by being lenient there.
 */
export function decodeOptionsBlock(block: Buffer, what: string): DecodedOption[] {
  const r = new BinaryReader(block, what);
  const options: DecodedOption[] = [];
  const seen = new Set<string>();
  while (r.remaining > 0) {
    const keyKind = r.u8();
    const keyData = r.bytes(r.u32());
    if (keyKind !== TlvKind.String) throw protocolError(`${what} has a key of kind ${keyKind}, not string`);
    const key = keyData.toString('utf8');
    if (key.length === 0) throw protocolError(`${what} has an empty key`);
    if (seen.has(key)) throw protocolError(`${what} lists '${key}' twice`);
    seen.add(key);
    if (r.remaining === 0) throw protocolError(`${what} ends after key '${key}' without its value`);
    const kind = tlvKindName(r.u8(), `${what} option '${key}'`);
    const value = decodeTlvValue(kind, r.bytes(r.u32()), `${what} option '${key}'`);
    options.push({ key, kind, value });
  }
  return options;
}
