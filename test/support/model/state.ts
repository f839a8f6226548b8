import type { Identifier } from '../wire/bytes';
import type { StoredBatch } from '../wire/batch';
import type { OptionEntry } from '../wire/options';
import type { TopicSettings } from '../wire/topic-options';

/**
 * The in-memory data a real server keeps. Metadata (streams, topics, groups) and stored consumer offsets survive
 * both a graceful shutdown and a crash; messages survive a crash only once their partition journal was flushed.
 */

export interface PartitionState {
  id: number;
  createdAtMicros: bigint;
  /** Every acknowledged batch, durable ones first; polls read them all. */
  batches: StoredBatch[];
  /** The first `durableBatches` entries of `batches` are on "disk"; the rest is the journal a crash drops. */
  durableBatches: number;
  /** Messages and bytes (as counted toward `size_of_messages_required_to_save`) in the journal. */
  journalMessages: number;
  journalBytes: bigint;
  /** Offset the next message will get; 0 on an empty partition. */
  nextOffset: bigint;
  messagesCount: bigint;
  sizeBytes: bigint;
  /** Stored offsets of plain consumers (kind 1), keyed by the consumer's u32 id. */
  consumerOffsets: Map<number, bigint>;
  /** Stored offsets of consumer groups (kind 2), keyed by group id. */
  groupOffsets: Map<number, bigint>;
}

export interface GroupMember {
  /** The lowest free slot at join time (0, 1, 2, …), reported as member_id. */
  memberId: number;
  clientId: bigint;
  /** The partitions this member may poll, in the order the assignment rule gave them. */
  partitions: number[];
}

/** A partition taken from a member that polled it without committing: nobody may poll it until it moves. */
export interface Handoff {
  partitionId: number;
  fromClient: bigint;
  toClient: bigint;
  /** Date.now() value after which it moves even without a commit (rebalancing timeout). */
  deadlineMs: number;
}

export interface ConsumerGroupState {
  id: number;
  name: string;
  /** Keyed by the u128 client id. Order does not matter: every rule orders members by memberId. */
  members: Map<bigint, GroupMember>;
  generation: bigint;
  /** Keyed by partition id. */
  handoffs: Map<number, Handoff>;
  /** Highest offset a poll returned per partition, and to whom: "polled but not committed" is read from it. */
  lastPolled: Map<number, { clientId: bigint; offset: bigint }>;
}

export interface TopicState {
  id: number;
  name: string;
  createdAtMicros: bigint;
  createdAtMs: number;
  settings: TopicSettings;
  explicitOptions: OptionEntry[];
  derivedOptions: OptionEntry[];
  partitions: PartitionState[];
  balancedCursor: number;
  groups: Map<number, ConsumerGroupState>;
  nextGroupId: number;
}

export interface StreamState {
  id: number;
  name: string;
  createdAtMicros: bigint;
  topics: Map<number, TopicState>;
}

export const MAX_TOPICS_PER_STREAM = 4096;
export const MAX_STREAMS = 1 << 20;
export const MAX_PARTITIONS = 1000;

export class IggyState {
  readonly streams = new Map<number, StreamState>();
  private lastTimestampMicros = 0n;

  /** Server clock in µs, strictly increasing so timestamp polling has a total order. */
  nowMicros(): bigint {
    const now = BigInt(Date.now()) * 1000n;
    this.lastTimestampMicros = now > this.lastTimestampMicros ? now : this.lastTimestampMicros + 1n;
    return this.lastTimestampMicros;
  }

  findStream(id: Identifier): StreamState | undefined {
    if (id.kind === 'numeric') return this.streams.get(id.id);
    for (const stream of this.streams.values()) if (stream.name === id.name) return stream;
    return undefined;
  }

  findTopic(stream: StreamState, id: Identifier): TopicState | undefined {
    if (id.kind === 'numeric') return stream.topics.get(id.id);
    for (const topic of stream.topics.values()) if (topic.name === id.name) return topic;
    return undefined;
  }

  findGroup(topic: TopicState, id: Identifier): ConsumerGroupState | undefined {
    if (id.kind === 'numeric') return topic.groups.get(id.id);
    for (const group of topic.groups.values()) if (group.name === id.name) return group;
    return undefined;
  }

  sortedStreams(): StreamState[] {
    return [...this.streams.values()].sort((a, b) => a.id - b.id);
  }
}

export function sortedTopics(stream: StreamState): TopicState[] {
  return [...stream.topics.values()].sort((a, b) => a.id - b.id);
}

/** Stream and topic ids are the lowest unused slot, so they are reused after a delete. */
export function lowestFreeId(used: ReadonlyMap<number, unknown>): number {
  let id = 0;
  while (used.has(id)) id += 1;
  return id;
}

export function newPartition(id: number, createdAtMicros: bigint): PartitionState {
  return {
    id,
    createdAtMicros,
    batches: [],
    durableBatches: 0,
    journalMessages: 0,
    journalBytes: 0n,
    nextOffset: 0n,
    messagesCount: 0n,
    sizeBytes: 0n,
    consumerOffsets: new Map(),
    groupOffsets: new Map(),
  };
}

/** current_offset: the newest offset, 0 both when empty and with one message (messages_count tells them apart). */
export function currentOffset(partition: PartitionState): bigint {
  return partition.nextOffset === 0n ? 0n : partition.nextOffset - 1n;
}

export function topicMessagesCount(topic: TopicState): bigint {
  return topic.partitions.reduce((sum, p) => sum + p.messagesCount, 0n);
}

export function topicSizeBytes(topic: TopicState): bigint {
  return topic.partitions.reduce((sum, p) => sum + p.sizeBytes, 0n);
}

export function purgePartition(partition: PartitionState): void {
  partition.batches = [];
  partition.durableBatches = 0;
  partition.journalMessages = 0;
  partition.journalBytes = 0n;
  partition.nextOffset = 0n;
  partition.messagesCount = 0n;
  partition.sizeBytes = 0n;
  partition.consumerOffsets.clear();
  partition.groupOffsets.clear();
}
