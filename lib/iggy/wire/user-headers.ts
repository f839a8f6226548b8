/**
 * Typed user headers (docs/architecture.md#shared-encodings): a message's user headers are the same
 * TLV as a topic's options block, `[kind u8][length u32][data]` fields alternating key and value,
 * with no length prefix inside the frame (the frame header's user_headers_length bounds them). Keys
 * are String fields and do not repeat. lib/iggy carries headers as raw bytes on the wire; this module
 * turns them into typed values and back.
 */

import { invalidArgument, protocolError } from '../errors';
import { BinaryReader, BinaryWriter, utf8 } from './binary';
import { decodeTlvValue, TlvKind, tlvKindName, type TlvKindName } from './primitives';

export type UserHeaderValue =
  | { kind: 'raw'; value: Uint8Array }
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | {
      kind: 'int8' | 'int16' | 'int32' | 'uint8' | 'uint16' | 'uint32' | 'float32' | 'float64';
      value: number;
    }
  | { kind: 'int64' | 'int128' | 'uint64' | 'uint128'; value: bigint };

export type UserHeaderKind = UserHeaderValue['kind'];

export interface UserHeader {
  key: string;
  value: UserHeaderValue;
}

/** The SDKs' cap on a message's user headers; the server checks only the 64 MiB frame limit. */
export const MAX_USER_HEADERS_BYTES = 100_000;

const KIND_CODE: Record<TlvKindName, number> = {
  raw: TlvKind.Raw,
  string: TlvKind.String,
  bool: TlvKind.Bool,
  int8: TlvKind.Int8,
  int16: TlvKind.Int16,
  int32: TlvKind.Int32,
  int64: TlvKind.Int64,
  int128: TlvKind.Int128,
  uint8: TlvKind.Uint8,
  uint16: TlvKind.Uint16,
  uint32: TlvKind.Uint32,
  uint64: TlvKind.Uint64,
  uint128: TlvKind.Uint128,
  float32: TlvKind.Float32,
  float64: TlvKind.Float64,
};

/** Inclusive integer ranges of the integer kinds. */
const INT_RANGE: Partial<Record<UserHeaderKind, [bigint, bigint, number]>> = {
  int8: [-(1n << 7n), (1n << 7n) - 1n, 1],
  int16: [-(1n << 15n), (1n << 15n) - 1n, 2],
  int32: [-(1n << 31n), (1n << 31n) - 1n, 4],
  int64: [-(1n << 63n), (1n << 63n) - 1n, 8],
  int128: [-(1n << 127n), (1n << 127n) - 1n, 16],
  uint8: [0n, (1n << 8n) - 1n, 1],
  uint16: [0n, (1n << 16n) - 1n, 2],
  uint32: [0n, (1n << 32n) - 1n, 4],
  uint64: [0n, (1n << 64n) - 1n, 8],
  uint128: [0n, (1n << 128n) - 1n, 16],
};

export const USER_HEADER_KINDS = Object.keys(KIND_CODE) as UserHeaderKind[];

/** Two's-complement little-endian bytes of an integer already checked against its range. */
function intBytes(value: bigint, size: number): Buffer {
  let v = value < 0n ? (1n << BigInt(size * 8)) + value : value;
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function valueData(header: UserHeader): Buffer {
  const { kind, value } = header.value ?? ({} as UserHeaderValue);
  const what = `user header '${header.key}'`;
  switch (kind) {
    case 'raw':
      if (!(value instanceof Uint8Array)) throw invalidArgument(`${what} must be bytes`);
      return Buffer.from(value);
    case 'string':
      if (typeof value !== 'string') throw invalidArgument(`${what} must be a string`);
      return utf8(value);
    case 'bool':
      if (typeof value !== 'boolean') throw invalidArgument(`${what} must be a boolean`);
      return Buffer.of(value ? 1 : 0);
    case 'float32': {
      if (typeof value !== 'number') throw invalidArgument(`${what} must be a number`);
      const out = Buffer.alloc(4);
      out.writeFloatLE(value);
      return out;
    }
    case 'float64': {
      if (typeof value !== 'number') throw invalidArgument(`${what} must be a number`);
      const out = Buffer.alloc(8);
      out.writeDoubleLE(value);
      return out;
    }
    default: {
      const range = kind === undefined ? undefined : INT_RANGE[kind];
      if (!range) throw invalidArgument(`${what} has unknown kind ${String(kind)}`);
      const [min, max, size] = range;
      const big =
        typeof value === 'bigint'
          ? value
          : typeof value === 'number' && Number.isSafeInteger(value)
            ? BigInt(value)
            : undefined;
      if (big === undefined || big < min || big > max)
        throw invalidArgument(`${what} must be an integer in ${min}..${max}`);
      return intBytes(big, size);
    }
  }
}

function field(w: BinaryWriter, kind: number, data: Uint8Array, what: string): void {
  if (data.length < 1 || data.length > 255) throw invalidArgument(`${what} must be 1..255 bytes`);
  w.u8(kind).u32(data.length).bytes(data);
}

/** Headers → the bytes a message frame carries after its payload. No headers → zero bytes. */
export function encodeUserHeaders(headers: readonly UserHeader[]): Buffer {
  if (!Array.isArray(headers)) throw invalidArgument('user headers must be an array');
  const w = new BinaryWriter(64);
  const seen = new Set<string>();
  for (const header of headers) {
    const key = header?.key;
    if (typeof key !== 'string') throw invalidArgument('user header key must be a string');
    if (seen.has(key)) throw invalidArgument(`user header '${key}' is given twice`);
    seen.add(key);
    field(w, TlvKind.String, utf8(key), 'user header key');
    // valueData refuses an unknown kind first, so the lookup below always finds a code.
    const data = valueData(header);
    field(w, KIND_CODE[(header as UserHeader).value.kind], data, `user header '${key}'`);
    if (w.length > MAX_USER_HEADERS_BYTES)
      throw invalidArgument(`user headers must encode to at most ${MAX_USER_HEADERS_BYTES} bytes`);
  }
  return w.toBuffer();
}

/**
 * The bytes after a polled message's payload → typed headers. Every field must be 1..255 bytes, keys
 * String and unique, values of a known kind with the right size; anything else is a protocol error
 * (the caller may then show the raw bytes instead).
 */
export function decodeUserHeaders(bytes: Uint8Array): UserHeader[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = new BinaryReader(buf, 'user headers');
  const headers: UserHeader[] = [];
  const seen = new Set<string>();
  while (r.remaining > 0) {
    const keyKind = r.u8();
    const keyLength = r.u32();
    if (keyLength < 1 || keyLength > 255) throw protocolError(`user header key has length ${keyLength}`);
    const keyData = r.bytes(keyLength);
    if (keyKind !== TlvKind.String) throw protocolError(`user header key has kind ${keyKind}, not string`);
    const key = keyData.toString('utf8');
    if (seen.has(key)) throw protocolError(`user header '${key}' appears twice`);
    seen.add(key);
    if (r.remaining === 0) throw protocolError(`user header '${key}' has no value`);
    const kind = tlvKindName(r.u8(), `user header '${key}'`);
    const length = r.u32();
    if (length < 1 || length > 255) throw protocolError(`user header '${key}' has length ${length}`);
    const value = decodeTlvValue(kind, r.bytes(length), `user header '${key}'`)!;
    headers.push({ key, value: typedValue(kind, value) });
  }
  return headers;
}

function typedValue(kind: TlvKindName, value: ReturnType<typeof decodeTlvValue> & {}): UserHeaderValue {
  if (kind === 'raw') return { kind, value: Uint8Array.from(value as Buffer) };
  return { kind, value } as UserHeaderValue;
}
