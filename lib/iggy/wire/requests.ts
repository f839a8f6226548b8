/** Request bodies for the client's command subset (docs/architecture.md#register-and-login, #operations-and-command-codes). */

import { invalidArgument } from '../errors';
import { BinaryWriter, utf8 } from './binary';
import { U64_MAX } from './constants';
import {
  checkU32,
  type Consumer,
  type Identifier,
  type OptionEntry,
  type OptionValue,
  writeConsumer,
  writeIdentifier,
  writeName,
  writeOptionalPartition,
  writeOptions,
} from './primitives';
import { CLIENT_PROTOCOL_VERSION } from './version';

export interface LoginInput {
  username: string;
  password: string;
  sdkName: string;
  sdkVersion: string;
  protocolVersion?: number;
}

/** `[version u32][sdk name][sdk version][username][password u8-prefixed][context u32 length = 0]`. */
export function encodeLoginBody(input: LoginInput): Buffer {
  const w = new BinaryWriter(128);
  w.u32(input.protocolVersion ?? CLIENT_PROTOCOL_VERSION);
  writeName(w, input.sdkName, 'sdk name');
  writeName(w, input.sdkVersion, 'sdk version');
  writeName(w, input.username, 'username');
  // Never echo the password in an error: check its length here instead of via writeName.
  const password = utf8(typeof input.password === 'string' ? input.password : '');
  if (password.length < 1 || password.length > 255)
    throw invalidArgument('password must be 1..255 UTF-8 bytes');
  w.u8(password.length).bytes(password);
  w.u32(0);
  return w.toBuffer();
}

/** `[name WireName]` + an empty options block: streams accept no option keys. */
export function encodeCreateStreamBody(name: string): Buffer {
  const w = new BinaryWriter(64);
  writeName(w, name, 'stream name');
  return w.toBuffer();
}

export function encodeIdentifiers(...ids: [Identifier, string][]): Buffer {
  const w = new BinaryWriter(64);
  for (const [id, what] of ids) writeIdentifier(w, id, what);
  return w.toBuffer();
}

export type Durability = 'replicated' | 'persisted';

export interface CreateTopicInput {
  streamId: Identifier;
  name: string;
  partitionsCount: number;
  messageExpiryMicros?: bigint;
  maxTopicSizeBytes?: bigint;
  compression?: 'none' | 'gzip';
  segmentSizeBytes?: bigint;
  /** Released 0.9.0 only (an edge build answers 4041); fixed at creation. */
  durability?: Durability;
  /** Released 0.9.0 only (an edge build answers 4041); fixed at creation. */
  consumerOffsetDurability?: Durability;
  /** u32 */
  messagesRequiredToSave?: number;
  sizeOfMessagesRequiredToSave?: bigint;
  preallocateSegments?: boolean;
  /** Edge builds only (the released 0.9.0 answers 4041). */
  enforceFsync?: boolean;
  /** Any further option, sent after the named ones as given; a key must not repeat a named one. */
  options?: readonly OptionEntry[];
}

function checkU64(value: bigint, what: string): bigint {
  if (typeof value !== 'bigint' || value < 0n || value > U64_MAX)
    throw invalidArgument(`${what} must be a u64 bigint`);
  return value;
}

function oneOf<T extends string>(value: T, allowed: readonly T[], what: string): T {
  if (!allowed.includes(value))
    throw invalidArgument(`${what} must be ${allowed.map((a) => `'${a}'`).join(' or ')}`);
  return value;
}

const DURABILITIES: readonly Durability[] = ['replicated', 'persisted'];

/** The named fields of CreateTopicInput as option entries, in a fixed order, only those the caller set. */
function topicOptions(input: CreateTopicInput): OptionEntry[] {
  const named: [string, OptionValue | undefined][] = [
    [
      'compression_algorithm',
      input.compression === undefined
        ? undefined
        : { kind: 'string', value: oneOf(input.compression, ['none', 'gzip'], 'compression') },
    ],
    [
      'message_expiry',
      input.messageExpiryMicros === undefined
        ? undefined
        : { kind: 'u64', value: checkU64(input.messageExpiryMicros, 'message expiry') },
    ],
    [
      'max_topic_size',
      input.maxTopicSizeBytes === undefined
        ? undefined
        : { kind: 'u64', value: checkU64(input.maxTopicSizeBytes, 'max topic size') },
    ],
    [
      'segment_size',
      input.segmentSizeBytes === undefined
        ? undefined
        : { kind: 'u64', value: checkU64(input.segmentSizeBytes, 'segment size') },
    ],
    [
      'durability',
      input.durability === undefined
        ? undefined
        : { kind: 'string', value: oneOf(input.durability, DURABILITIES, 'durability') },
    ],
    [
      'consumer_offset_durability',
      input.consumerOffsetDurability === undefined
        ? undefined
        : {
            kind: 'string',
            value: oneOf(input.consumerOffsetDurability, DURABILITIES, 'consumer offset durability'),
          },
    ],
    [
      'messages_required_to_save',
      input.messagesRequiredToSave === undefined
        ? undefined
        : { kind: 'u32', value: checkU32(input.messagesRequiredToSave, 'messages required to save') },
    ],
    [
      'size_of_messages_required_to_save',
      input.sizeOfMessagesRequiredToSave === undefined
        ? undefined
        : {
            kind: 'u64',
            value: checkU64(input.sizeOfMessagesRequiredToSave, 'size of messages required to save'),
          },
    ],
    [
      'preallocate_segments',
      input.preallocateSegments === undefined
        ? undefined
        : { kind: 'bool', value: input.preallocateSegments },
    ],
    [
      'enforce_fsync',
      input.enforceFsync === undefined ? undefined : { kind: 'bool', value: input.enforceFsync },
    ],
  ];
  const entries: OptionEntry[] = [];
  for (const [key, value] of named) if (value) entries.push({ key, value });
  if (input.options !== undefined) {
    if (!Array.isArray(input.options)) throw invalidArgument('options must be an array of { key, value }');
    entries.push(...input.options);
  }
  return entries;
}

/**
 * `[stream Id][partitions_count u32][name][options TLV]`. The options block stays empty unless
 * the caller sets an option, so the server applies its own defaults.
 */
export function encodeCreateTopicBody(input: CreateTopicInput): Buffer {
  const w = new BinaryWriter(128);
  writeIdentifier(w, input.streamId, 'stream id');
  const count = checkU32(input.partitionsCount, 'partitions count');
  if (count < 1 || count > 1000) throw invalidArgument('partitions count must be 1..1000');
  w.u32(count);
  writeName(w, input.name, 'topic name');
  writeOptions(w, topicOptions(input));
  return w.toBuffer();
}

/** `[stream Id][topic Id][count u32]` for create and delete partitions. */
export function encodePartitionsBody(streamId: Identifier, topicId: Identifier, count: number): Buffer {
  const w = new BinaryWriter(64);
  writeIdentifier(w, streamId, 'stream id');
  writeIdentifier(w, topicId, 'topic id');
  checkU32(count, 'partitions count');
  if (count < 1 || count > 1000) throw invalidArgument('partitions count must be 1..1000');
  w.u32(count);
  return w.toBuffer();
}

/** `[stream Id][topic Id][name]`. */
export function encodeCreateConsumerGroupBody(
  streamId: Identifier,
  topicId: Identifier,
  name: string,
): Buffer {
  const w = new BinaryWriter(64);
  writeIdentifier(w, streamId, 'stream id');
  writeIdentifier(w, topicId, 'topic id');
  writeName(w, name, 'consumer group name');
  return w.toBuffer();
}

export interface ConsumerOffsetTarget {
  consumer: Consumer;
  streamId: Identifier;
  topicId: Identifier;
  partitionId?: number;
}

/** AckLevel 1 = Quorum, the safe default for a demo that must not lose offsets. */
const ACK_QUORUM = 1;

function writeOffsetTarget(w: BinaryWriter, target: ConsumerOffsetTarget): void {
  writeConsumer(w, target.consumer);
  writeIdentifier(w, target.streamId, 'stream id');
  writeIdentifier(w, target.topicId, 'topic id');
  writeOptionalPartition(w, target.partitionId);
}

/** `[Consumer][stream Id][topic Id][OptPart]`. */
export function encodeGetConsumerOffsetBody(target: ConsumerOffsetTarget): Buffer {
  const w = new BinaryWriter(64);
  writeOffsetTarget(w, target);
  return w.toBuffer();
}

/** `[Consumer][stream Id][topic Id][OptPart][offset u64][ack u8]`. */
export function encodeStoreConsumerOffsetBody(target: ConsumerOffsetTarget & { offset: bigint }): Buffer {
  const w = new BinaryWriter(64);
  writeOffsetTarget(w, target);
  w.u64(checkU64(target.offset, 'offset'));
  w.u8(ACK_QUORUM);
  return w.toBuffer();
}

/** `[Consumer][stream Id][topic Id][OptPart][ack u8]`. */
export function encodeDeleteConsumerOffsetBody(target: ConsumerOffsetTarget): Buffer {
  const w = new BinaryWriter(64);
  writeOffsetTarget(w, target);
  w.u8(ACK_QUORUM);
  return w.toBuffer();
}
