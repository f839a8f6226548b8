/** Topics and their partitions (docs/architecture.md#reply-layouts): create, read, list, purge, delete, resize. */

import { IggyErrorCode, invalidArgument, protocolError } from '../../errors';
import { BinaryReader, BinaryWriter } from '../binary';
import { Operation, ReadCode } from '../constants';
import {
  checkU32,
  checkU64,
  decodeOptionsBlock,
  writeIdentifier,
  writeName,
  writeOptions,
  type Identifier,
  type OptionEntry,
  type OptionValue,
  type TlvKindName,
  type TlvValue,
} from '../primitives';
import {
  command,
  encodeStreamRef,
  encodeTopicRef,
  metadata,
  noResult,
  read,
  STREAM_ABSENT,
  type TopicRef,
} from './command';

// ─── request ─────────────────────────────────────────────────────────────────

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

export interface PartitionsInput extends TopicRef {
  count: number;
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

const encodePartitions = (input: PartitionsInput): Buffer =>
  encodePartitionsBody(input.streamId, input.topicId, input.count);

// ─── reply ───────────────────────────────────────────────────────────────────

/** One option of a topic as the server reports it. */
export interface ReportedTopicOption {
  key: string;
  kind: TlvKindName;
  /** decoded by kind (see decodeTlvValue); null = the server sent no value bytes */
  value: TlvValue | null;
  /** true: the client sent it at creation (explicit block); false: the server's default (derived block) */
  explicit: boolean;
}

export interface TopicSummary {
  id: number;
  name: string;
  createdAtMicros: bigint;
  partitionsCount: number;
  /** 0 = server default, u64::MAX = never */
  messageExpiryMicros: bigint;
  /** 1 none, 2 gzip */
  compressionAlgorithm: number;
  /** 0 = server default, u64::MAX = unlimited */
  maxTopicSizeBytes: bigint;
  sizeBytes: bigint;
  messagesCount: bigint;
  /** The explicit options first, in the server's order, then the derived ones. */
  options: ReportedTopicOption[];
}

export interface PartitionDetails {
  id: number;
  createdAtMicros: bigint;
  segmentsCount: number;
  currentOffset: bigint;
  sizeBytes: bigint;
  messagesCount: bigint;
}

export interface TopicDetails extends TopicSummary {
  partitions: PartitionDetails[];
}

/** A TopicHeader: also how a stream's details list its topics. */
export function readTopicHeader(r: BinaryReader): TopicSummary {
  const id = r.u32();
  const createdAtMicros = r.u64();
  const partitionsCount = r.u32();
  const messageExpiryMicros = r.u64();
  const compressionAlgorithm = r.u8();
  const maxTopicSizeBytes = r.u64();
  const sizeBytes = r.u64();
  const messagesCount = r.u64();
  const name = r.name();
  const explicit = decodeOptionsBlock(r.bytes(r.u32()), `topic '${name}' explicit options`);
  const derived = decodeOptionsBlock(r.bytes(r.u32()), `topic '${name}' derived options`);
  const explicitKeys = new Set(explicit.map((o) => o.key));
  const options: ReportedTopicOption[] = [
    ...explicit.map((o) => ({ ...o, explicit: true })),
    // A key in both blocks is the client's: the server filled in only what the client left out.
    ...derived.filter((o) => !explicitKeys.has(o.key)).map((o) => ({ ...o, explicit: false })),
  ];
  return {
    id,
    name,
    createdAtMicros,
    partitionsCount,
    messageExpiryMicros,
    compressionAlgorithm,
    maxTopicSizeBytes,
    sizeBytes,
    messagesCount,
    options,
  };
}

function readPartition(r: BinaryReader): PartitionDetails {
  return {
    id: r.u32(),
    createdAtMicros: r.u64(),
    segmentsCount: r.u32(),
    currentOffset: r.u64(),
    sizeBytes: r.u64(),
    messagesCount: r.u64(),
  };
}

/** Get topic and create topic: TopicHeader + partitions_count PartitionResponses; empty = not found. */
export function decodeTopicDetails(payload: Buffer): TopicDetails | null {
  if (payload.length === 0) return null;
  const r = new BinaryReader(payload, 'topic details');
  const header = readTopicHeader(r);
  const partitions: PartitionDetails[] = [];
  for (let i = 0; i < header.partitionsCount; i++) partitions.push(readPartition(r));
  r.expectEnd();
  return { ...header, partitions };
}

/** Get topics: `[count u32]` + count TopicHeaders. */
export function decodeTopics(payload: Buffer): TopicSummary[] {
  const r = new BinaryReader(payload, 'topics');
  if (payload.length === 0) return [];
  const count = r.u32();
  const topics: TopicSummary[] = [];
  for (let i = 0; i < count; i++) topics.push(readTopicHeader(r));
  r.expectEnd();
  return topics;
}

function createdTopic(payload: Buffer): TopicDetails {
  const topic = decodeTopicDetails(payload);
  if (!topic) throw protocolError('create topic reply carries no topic');
  return topic;
}

// ─── descriptors ─────────────────────────────────────────────────────────────

export const topicCommands = {
  create: command({
    name: 'CreateTopic',
    kind: metadata(Operation.CreateTopic),
    encode: encodeCreateTopicBody,
    decode: createdTopic,
    describe: (input: CreateTopicInput) => `create topic '${input?.name}'`,
  }),
  get: command({
    name: 'GetTopic',
    kind: read(ReadCode.GetTopic),
    encode: encodeTopicRef,
    decode: decodeTopicDetails,
    absentOn: [...STREAM_ABSENT, IggyErrorCode.TopicIdNotFound, IggyErrorCode.TopicNameNotFound],
  }),
  list: command({
    name: 'GetTopics',
    kind: read(ReadCode.GetTopics),
    encode: encodeStreamRef,
    decode: decodeTopics,
  }),
  delete: command({
    name: 'DeleteTopic',
    kind: metadata(Operation.DeleteTopic),
    encode: encodeTopicRef,
    decode: noResult,
    describe: (ref: TopicRef) => `delete topic ${String(ref.topicId)}`,
  }),
  purge: command({
    name: 'PurgeTopic',
    kind: metadata(Operation.PurgeTopic),
    encode: encodeTopicRef,
    decode: noResult,
    describe: (ref: TopicRef) => `purge topic ${String(ref.topicId)}`,
  }),
  createPartitions: command({
    name: 'CreatePartitions',
    kind: metadata(Operation.CreatePartitions),
    encode: encodePartitions,
    decode: noResult,
  }),
  deletePartitions: command({
    name: 'DeletePartitions',
    kind: metadata(Operation.DeletePartitions),
    encode: encodePartitions,
    decode: noResult,
  }),
};
