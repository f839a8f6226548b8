import { ErrorCode } from './codes';
import {
  type OptionEntry,
  type TlvField,
  ValueKind,
  boolField,
  stringField,
  uint32Field,
  uint64Field,
  uint8Field,
} from './options';

/** Topic options after validation (docs/architecture.md#shared-encodings, docs/architecture.md#ids-and-defaults-of-a-fresh-server). */
export interface TopicSettings {
  compressionAlgorithm: number; // 1 none, 2 gzip
  messageExpiryMicros: bigint; // u64::MAX = never
  maxTopicSizeBytes: bigint; // u64::MAX = unlimited
  segmentSizeBytes: bigint;
  enforceFsync: boolean;
  messagesRequiredToSave: number;
  sizeOfMessagesRequiredToSave: bigint;
  preallocateSegments: boolean;
  /** Not in our protocol description (edge.5 source); the released 0.9.0 SDKs send both keys on every create topic. */
  durability: string;
  consumerOffsetDurability: string;
}

export const U64_MAX = 0xffff_ffff_ffff_ffffn;
const KIB = 1024n;
const MIB = 1024n * KIB;
const GIB = 1024n * MIB;

export const DEFAULT_TOPIC_SETTINGS: TopicSettings = {
  compressionAlgorithm: 1,
  messageExpiryMicros: U64_MAX,
  maxTopicSizeBytes: U64_MAX,
  segmentSizeBytes: GIB,
  enforceFsync: false,
  messagesRequiredToSave: 1024,
  sizeOfMessagesRequiredToSave: MIB,
  preallocateSegments: false,
  durability: 'replicated',
  consumerOffsetDurability: 'replicated',
};

/**
 * Which server build's option set to accept: `release` = the released 0.9.0 (durability keys, no
 * enforce_fsync), `edge` = the 0.9.0-edge.5 build (enforce_fsync, no durability keys). docs/iggy-concepts.md#what-a-crash-loses, docs/architecture.md#topic-options-on-the-wire.
 */
export type TopicOptionsFlavor = 'release' | 'edge';

/** Keys the other build knows but this one answers with 4041 UnsupportedOptionKey. */
const UNKNOWN_IN: Record<TopicOptionsFlavor, ReadonlySet<string>> = {
  release: new Set(['enforce_fsync']),
  edge: new Set(['durability', 'consumer_offset_durability']),
};

export type TopicOptionsResult =
  | { ok: true; settings: TopicSettings; explicit: OptionEntry[]; derived: OptionEntry[] }
  | { ok: false; status: number };

class OptionValueError extends Error {}

/** Validates the keys a client sent; returns the pre-commit status on failure (4041, 4042, 1019). */
export function validateTopicOptions(
  entries: readonly OptionEntry[],
  flavor: TopicOptionsFlavor = 'release',
): TopicOptionsResult {
  const settings: TopicSettings = { ...DEFAULT_TOPIC_SETTINGS };
  const sent = new Set<string>();
  try {
    for (const { key, value } of entries) {
      sent.add(key);
      if (UNKNOWN_IN[flavor].has(key)) return { ok: false, status: ErrorCode.UnsupportedOptionKey };
      switch (key) {
        case 'compression_algorithm':
          settings.compressionAlgorithm = compression(value);
          break;
        case 'message_expiry': {
          const micros = value.kind === ValueKind.Uint64 ? u64(value) : expiryString(stringValue(value));
          settings.messageExpiryMicros = micros === 0n ? DEFAULT_TOPIC_SETTINGS.messageExpiryMicros : micros;
          break;
        }
        case 'max_topic_size':
          settings.maxTopicSizeBytes =
            value.kind === ValueKind.Uint64 ? u64(value) : sizeString(stringValue(value));
          break;
        case 'segment_size': {
          const size = value.kind === ValueKind.Uint64 ? u64(value) : sizeString(stringValue(value));
          if (size % 512n !== 0n || size < MIB || size > GIB) throw new OptionValueError();
          settings.segmentSizeBytes = size;
          break;
        }
        case 'enforce_fsync':
          settings.enforceFsync = bool(value);
          break;
        case 'messages_required_to_save': {
          const count =
            value.kind === ValueKind.Uint32
              ? value.data.readUInt32LE(0)
              : Number(decimal(stringValue(value)));
          if (value.kind === ValueKind.Uint32 && value.data.length !== 4) throw new OptionValueError();
          if (count < 1 || count > 16 * 1024 * 1024) throw new OptionValueError();
          settings.messagesRequiredToSave = count;
          break;
        }
        case 'size_of_messages_required_to_save': {
          const size = value.kind === ValueKind.Uint64 ? u64(value) : sizeString(stringValue(value));
          if (size < 1n || size > GIB) throw new OptionValueError();
          settings.sizeOfMessagesRequiredToSave = size;
          break;
        }
        case 'preallocate_segments':
          settings.preallocateSegments = bool(value);
          break;
        case 'durability':
          settings.durability = durability(value);
          break;
        case 'consumer_offset_durability':
          settings.consumerOffsetDurability = durability(value);
          break;
        default:
          return { ok: false, status: ErrorCode.UnsupportedOptionKey };
      }
    }
  } catch (error) {
    if (error instanceof OptionValueError) return { ok: false, status: ErrorCode.InvalidOptionValue };
    throw error;
  }
  // max_topic_size: 0 (server default), unlimited, or at least one segment.
  if (settings.maxTopicSizeBytes === 0n)
    settings.maxTopicSizeBytes = DEFAULT_TOPIC_SETTINGS.maxTopicSizeBytes;
  else if (settings.maxTopicSizeBytes !== U64_MAX && settings.maxTopicSizeBytes < settings.segmentSizeBytes) {
    return { ok: false, status: ErrorCode.InvalidTopicSize };
  }
  const derived = derivedEntries(settings).filter(
    (entry) => !sent.has(entry.key) && !UNKNOWN_IN[flavor].has(entry.key),
  );
  return { ok: true, settings, explicit: [...entries], derived };
}

function derivedEntries(s: TopicSettings): OptionEntry[] {
  return [
    { key: 'compression_algorithm', value: uint8Field(s.compressionAlgorithm) },
    { key: 'message_expiry', value: uint64Field(s.messageExpiryMicros) },
    { key: 'max_topic_size', value: uint64Field(s.maxTopicSizeBytes) },
    { key: 'segment_size', value: uint64Field(s.segmentSizeBytes) },
    { key: 'enforce_fsync', value: boolField(s.enforceFsync) },
    { key: 'messages_required_to_save', value: uint32Field(s.messagesRequiredToSave) },
    { key: 'size_of_messages_required_to_save', value: uint64Field(s.sizeOfMessagesRequiredToSave) },
    { key: 'preallocate_segments', value: boolField(s.preallocateSegments) },
    { key: 'durability', value: stringField(s.durability) },
    { key: 'consumer_offset_durability', value: stringField(s.consumerOffsetDurability) },
  ];
}

function u64(value: TlvField): bigint {
  if (value.data.length !== 8) throw new OptionValueError();
  return value.data.readBigUInt64LE(0);
}

function stringValue(value: TlvField): string {
  if (value.kind !== ValueKind.String) throw new OptionValueError();
  return value.data.toString('utf8').trim();
}

function bool(value: TlvField): boolean {
  if (value.kind === ValueKind.Bool) {
    if (value.data.length !== 1 || value.data[0]! > 1) throw new OptionValueError();
    return value.data[0] === 1;
  }
  const text = stringValue(value).toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new OptionValueError();
}

function compression(value: TlvField): number {
  if (value.kind === ValueKind.Uint8) {
    if (value.data.length !== 1 || (value.data[0] !== 1 && value.data[0] !== 2)) throw new OptionValueError();
    return value.data[0];
  }
  const text = stringValue(value).toLowerCase();
  if (text === 'none') return 1;
  if (text === 'gzip') return 2;
  throw new OptionValueError();
}

function durability(value: TlvField): string {
  const text = stringValue(value).toLowerCase();
  if (text !== 'replicated' && text !== 'persisted') throw new OptionValueError();
  return text;
}

function decimal(text: string): bigint {
  if (!/^\d+$/.test(text)) throw new OptionValueError();
  return BigInt(text);
}

const SIZE_UNITS: Record<string, bigint> = {
  b: 1n,
  kb: 1000n,
  kib: KIB,
  mb: 1000n * 1000n,
  mib: MIB,
  gb: 1000n * 1000n * 1000n,
  gib: GIB,
  tb: 1000n ** 4n,
  tib: 1024n ** 4n,
};

function sizeString(text: string): bigint {
  const lower = text.toLowerCase();
  if (lower === 'unlimited' || lower === 'none') return U64_MAX;
  if (lower === 'server_default') return 0n;
  const match = /^(\d+)\s*([a-z]*)$/.exec(lower);
  if (!match) throw new OptionValueError();
  const unit = SIZE_UNITS[match[2] || 'b'];
  if (unit === undefined) throw new OptionValueError();
  return BigInt(match[1]!) * unit;
}

const TIME_UNITS_MICROS: Record<string, bigint> = {
  us: 1n,
  usec: 1n,
  ms: 1000n,
  msec: 1000n,
  s: 1_000_000n,
  sec: 1_000_000n,
  second: 1_000_000n,
  seconds: 1_000_000n,
  m: 60_000_000n,
  min: 60_000_000n,
  minute: 60_000_000n,
  minutes: 60_000_000n,
  h: 3_600_000_000n,
  hr: 3_600_000_000n,
  hour: 3_600_000_000n,
  hours: 3_600_000_000n,
  d: 86_400_000_000n,
  day: 86_400_000_000n,
  days: 86_400_000_000n,
  w: 604_800_000_000n,
  week: 604_800_000_000n,
  weeks: 604_800_000_000n,
};

/** humantime-style durations such as `7 days` or `1h 30min`; `none`/`never_expire`/`unlimited` mean never. */
function expiryString(text: string): bigint {
  const lower = text.toLowerCase();
  if (lower === 'none' || lower === 'never_expire' || lower === 'unlimited') return U64_MAX;
  if (lower === 'server_default' || lower === '0') return 0n;
  const parts = [...lower.matchAll(/(\d+)\s*([a-z]+)/g)];
  if (
    parts.length === 0 ||
    parts
      .map((p) => p[0])
      .join('')
      .replace(/\s/g, '') !== lower.replace(/\s/g, '')
  ) {
    throw new OptionValueError();
  }
  let total = 0n;
  for (const part of parts) {
    const unit = TIME_UNITS_MICROS[part[2]!];
    if (unit === undefined) throw new OptionValueError();
    total += BigInt(part[1]!) * unit;
  }
  return total;
}
