import type { Identifier } from '../wire/bytes';
import type { StoredBatch } from '../wire/batch';
import type { OptionEntry } from '../wire/options';
import type { TopicSettings } from '../wire/topic-options';

/** The in-memory data a real server would keep on disk; survives kill()/restart(). */

export interface PartitionState {
  id: number;
  createdAtMicros: bigint;
  batches: StoredBatch[];
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
  /** Server-side connection number reported as member_id. */
  memberId: number;
  partitions: number[];
}

export interface ConsumerGroupState {
  id: number;
  name: string;
  /** Keyed by the u128 client id; Map keeps join order, which drives round-robin assignment. */
  members: Map<bigint, GroupMember>;
  generation: bigint;
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
  partition.nextOffset = 0n;
  partition.messagesCount = 0n;
  partition.sizeBytes = 0n;
  partition.consumerOffsets.clear();
  partition.groupOffsets.clear();
}

/** Round-robin assignment of the topic's partitions over members in join order; bumps the generation. */
export function rebalance(topic: TopicState, group: ConsumerGroupState): void {
  const members = [...group.members.values()];
  for (const member of members) member.partitions = [];
  if (members.length > 0) {
    topic.partitions.forEach((partition, index) => {
      members[index % members.length]!.partitions.push(partition.id);
    });
  }
  group.generation += 1n;
}
