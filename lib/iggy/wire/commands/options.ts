/**
 * DescribeOptions (read code 13): the server's own catalog of option keys for a scope, with kind,
 * default and description (docs/architecture.md#topic-options-on-the-wire). Asking is how a caller learns whether it talks to a
 * released 0.9.0 (`durability`, `consumer_offset_durability`) or an edge build (`enforce_fsync`).
 */

import { invalidArgument, protocolError } from '../../errors';
import { BinaryReader } from '../binary';
import { ReadCode } from '../constants';
import { TlvKind } from '../primitives';
import { command, read } from './command';

export type OptionScope = 'topic' | 'stream' | 'user';

const SCOPE_CODE: Record<OptionScope, number> = { topic: 1, stream: 2, user: 3 };

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

export type OptionDefault = string | number | bigint | boolean | Buffer;

export interface OptionDescription {
  key: string;
  /** the TLV kind the server stores this option as */
  kind: TlvKindName;
  kindCode: number;
  /** decoded by kind: bool → boolean, ≤ 32-bit ints and floats → number, 64/128-bit ints → bigint, raw → bytes; null = no default */
  defaultValue: OptionDefault | null;
  description: string;
}

/** Kind code → name and fixed size in bytes (undefined = variable). */
const KINDS: Record<number, { name: TlvKindName; size?: number }> = {
  [TlvKind.Raw]: { name: 'raw' },
  [TlvKind.String]: { name: 'string' },
  [TlvKind.Bool]: { name: 'bool', size: 1 },
  [TlvKind.Int8]: { name: 'int8', size: 1 },
  [TlvKind.Int16]: { name: 'int16', size: 2 },
  [TlvKind.Int32]: { name: 'int32', size: 4 },
  [TlvKind.Int64]: { name: 'int64', size: 8 },
  [TlvKind.Int128]: { name: 'int128', size: 16 },
  [TlvKind.Uint8]: { name: 'uint8', size: 1 },
  [TlvKind.Uint16]: { name: 'uint16', size: 2 },
  [TlvKind.Uint32]: { name: 'uint32', size: 4 },
  [TlvKind.Uint64]: { name: 'uint64', size: 8 },
  [TlvKind.Uint128]: { name: 'uint128', size: 16 },
  [TlvKind.Float32]: { name: 'float32', size: 4 },
  [TlvKind.Float64]: { name: 'float64', size: 8 },
};

/** `[scope u8]`. */
export function encodeDescribeOptionsBody(scope: OptionScope): Buffer {
  const code = Object.hasOwn(SCOPE_CODE, scope) ? SCOPE_CODE[scope] : undefined;
  if (code === undefined) throw invalidArgument("option scope must be 'topic', 'stream' or 'user'");
  return Buffer.of(code);
}

function decodeDefault(kind: TlvKindName, data: Buffer, key: string): OptionDefault {
  switch (kind) {
    case 'raw':
      return Buffer.from(data);
    case 'string':
      return data.toString('utf8');
    case 'bool':
      if (data[0]! > 1) throw protocolError(`option '${key}' has bool default ${data[0]}`);
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

/** Smallest possible entry: empty key (1), kind (1), default length (4), description length (4). */
const MIN_ENTRY_BYTES = 10;

/**
 * `[count u32]` then per entry `[key WireName][kind u8][default_length u32][default][description_length u32][description]`.
 * An unknown kind, a fixed-size default of the wrong length, or a count the bytes cannot hold is a protocol error.
 */
export function decodeOptionCatalog(payload: Buffer): OptionDescription[] {
  const r = new BinaryReader(payload, 'option catalog');
  const count = r.u32();
  if (count * MIN_ENTRY_BYTES > r.remaining)
    throw protocolError(`option catalog claims ${count} entries with ${r.remaining} bytes left`);
  const entries: OptionDescription[] = [];
  for (let i = 0; i < count; i++) {
    const key = r.name();
    const kindCode = r.u8();
    const kind = KINDS[kindCode];
    if (!kind) throw protocolError(`option '${key}' has unknown kind ${kindCode}`);
    const data = r.bytes(r.u32());
    if (data.length > 0 && kind.size !== undefined && data.length !== kind.size) {
      throw protocolError(`option '${key}' has a ${data.length}-byte default for kind ${kind.name}`);
    }
    const defaultValue = data.length === 0 ? null : decodeDefault(kind.name, data, key);
    const description = r.string32();
    entries.push({ key, kind: kind.name, kindCode, defaultValue, description });
  }
  r.expectEnd();
  return entries;
}

export const optionCommands = {
  describe: command({
    name: 'DescribeOptions',
    kind: read(ReadCode.DescribeOptions),
    encode: encodeDescribeOptionsBody,
    decode: decodeOptionCatalog,
    describe: (scope: OptionScope) => `describe ${String(scope)} options`,
  }),
};
