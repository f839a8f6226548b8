/**
 * DescribeOptions (read code 13): the server's own catalog of option keys for a scope, with kind,
 * default and description (docs/architecture.md#topic-options-on-the-wire). Asking is how a caller learns whether it talks to a
 * released 0.9.0 (`durability`, `consumer_offset_durability`) or an edge build (`enforce_fsync`).
 */

import { invalidArgument, protocolError } from '../../errors';
import { BinaryReader } from '../binary';
import { ReadCode } from '../constants';
import { decodeTlvValue, tlvKindName, type TlvKindName, type TlvValue } from '../primitives';
import { command, read } from './command';

export type OptionScope = 'topic' | 'stream' | 'user';

const SCOPE_CODE: Record<OptionScope, number> = { topic: 1, stream: 2, user: 3 };

export type { TlvKindName };

export type OptionDefault = TlvValue;

export interface OptionDescription {
  key: string;
  /** the TLV kind the server stores this option as */
  kind: TlvKindName;
  kindCode: number;
  /** decoded by kind: bool → boolean, ≤ 32-bit ints and floats → number, 64/128-bit ints → bigint, raw → bytes; null = no default */
  defaultValue: OptionDefault | null;
  description: string;
}

/** `[scope u8]`. */
export function encodeDescribeOptionsBody(scope: OptionScope): Buffer {
  const code = Object.hasOwn(SCOPE_CODE, scope) ? SCOPE_CODE[scope] : undefined;
  if (code === undefined) throw invalidArgument("option scope must be 'topic', 'stream' or 'user'");
  return Buffer.of(code);
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
    const kind = tlvKindName(kindCode, `option '${key}'`);
    const defaultValue = decodeTlvValue(kind, r.bytes(r.u32()), `option '${key}' default`);
    const description = r.string32();
    entries.push({ key, kind, kindCode, defaultValue, description });
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
