import { WireWriter } from './bytes';
import { encodeOptionsBlock } from './options';
import {
  type ConsumerGroupState,
  type PartitionState,
  type StreamState,
  type TopicState,
  currentOffset,
  sortedTopics,
  topicMessagesCount,
  topicSizeBytes,
} from '../model/state';
import { membersInOrder } from '../model/groups';

/** Reply payload layouts of docs/architecture.md#reply-layouts. */

export function encodeStreamResponse(stream: StreamState): Buffer {
  const topics = [...stream.topics.values()];
  return new WireWriter()
    .u32(stream.id)
    .u64(stream.createdAtMicros)
    .u32(topics.length)
    .u64(topics.reduce((sum, t) => sum + topicSizeBytes(t), 0n))
    .u64(topics.reduce((sum, t) => sum + topicMessagesCount(t), 0n))
    .wireName(stream.name)
    .u32(0) // streams carry no options
    .toBuffer();
}

export function encodeStreamDetails(stream: StreamState): Buffer {
  return Buffer.concat([encodeStreamResponse(stream), ...sortedTopics(stream).map(encodeTopicHeader)]);
}

export function encodeTopicHeader(topic: TopicState): Buffer {
  const explicit = encodeOptionsBlock(topic.explicitOptions);
  const derived = encodeOptionsBlock(topic.derivedOptions);
  return new WireWriter()
    .u32(topic.id)
    .u64(topic.createdAtMicros)
    .u32(topic.partitions.length)
    .u64(topic.settings.messageExpiryMicros)
    .u8(topic.settings.compressionAlgorithm)
    .u64(topic.settings.maxTopicSizeBytes)
    .u64(topicSizeBytes(topic))
    .u64(topicMessagesCount(topic))
    .wireName(topic.name)
    .u32(explicit.length)
    .bytes(explicit)
    .u32(derived.length)
    .bytes(derived)
    .toBuffer();
}

/** 40 bytes. `fresh` = the create-topic reply shape: segments_count and the counters are 0 there. */
export function encodePartitionResponse(partition: PartitionState, fresh: boolean): Buffer {
  return new WireWriter()
    .u32(partition.id)
    .u64(partition.createdAtMicros)
    .u32(fresh ? 0 : 1)
    .u64(fresh ? 0n : currentOffset(partition))
    .u64(fresh ? 0n : partition.sizeBytes)
    .u64(fresh ? 0n : partition.messagesCount)
    .toBuffer();
}

export function encodeTopicDetails(topic: TopicState, fresh: boolean): Buffer {
  return Buffer.concat([
    encodeTopicHeader(topic),
    ...topic.partitions.map((p) => encodePartitionResponse(p, fresh)),
  ]);
}

export function encodeConsumerGroupResponse(topic: TopicState, group: ConsumerGroupState): Buffer {
  return new WireWriter()
    .u32(group.id)
    .u32(topic.partitions.length)
    .u32(group.members.size)
    .wireName(group.name)
    .toBuffer();
}

export function encodeConsumerGroupDetails(topic: TopicState, group: ConsumerGroupState): Buffer {
  const w = new WireWriter().bytes(encodeConsumerGroupResponse(topic, group));
  for (const member of membersInOrder(group)) {
    w.u32(member.memberId).u32(member.partitions.length);
    for (const partitionId of member.partitions) w.u32(partitionId);
  }
  return w.toBuffer();
}

export interface ClientInfo {
  connectionId: number;
  userId: number | undefined;
  address: string;
  groups: { streamId: number; topicId: number; groupId: number }[];
}

export const NOT_LOGGED_IN_USER = 0xffff_ffff;

export function encodeClientResponse(client: ClientInfo, withGroups: boolean): Buffer {
  const w = new WireWriter()
    .u32(client.connectionId)
    .u32(client.userId ?? NOT_LOGGED_IN_USER)
    .u8(1) // TCP
    .longString(client.address)
    .u32(client.groups.length);
  if (withGroups) for (const g of client.groups) w.u32(g.streamId).u32(g.topicId).u32(g.groupId);
  return w.toBuffer();
}

export interface StatsInput {
  startTimeMicros: bigint;
  nowMicros: bigint;
  streams: StreamState[];
  clientsCount: number;
  serverVersion: string;
  serverSemver: number;
  readBytes: bigint;
  writtenBytes: bigint;
}

/** Fixed part of 108 bytes, then the variable part (docs/architecture.md#reply-layouts Stats). */
export function encodeStats(input: StatsInput): Buffer {
  const topics = input.streams.flatMap((s) => [...s.topics.values()]);
  const partitions = topics.flatMap((t) => t.partitions);
  const messages = partitions.reduce((sum, p) => sum + p.messagesCount, 0n);
  const size = partitions.reduce((sum, p) => sum + p.sizeBytes, 0n);
  const groups = topics.reduce((sum, t) => sum + t.groups.size, 0);
  const memory = process.memoryUsage();
  return new WireWriter()
    .u32(process.pid)
    .f32(0)
    .f32(0)
    .u64(BigInt(memory.rss))
    .u64(BigInt(memory.rss) * 4n)
    .u64(BigInt(memory.rss) * 3n)
    .u64(input.nowMicros - input.startTimeMicros)
    .u64(input.startTimeMicros)
    .u64(input.readBytes)
    .u64(input.writtenBytes)
    .u64(size)
    .u32(input.streams.length)
    .u32(topics.length)
    .u32(partitions.length)
    .u32(partitions.length) // one segment per partition
    .u64(messages)
    .u32(input.clientsCount)
    .u32(groups)
    .longString('iggy-test-server')
    .longString(process.platform)
    .longString(process.version)
    .longString('in-memory')
    .longString(input.serverVersion)
    .u32(input.serverSemver)
    .u32(0) // cache metrics
    .u32(1) // threads
    .u64(0n)
    .u64(0n)
    .toBuffer();
}

/** One node as cluster metadata lists it. Ports 0 = that transport is not configured. */
export interface ClusterNodeInfo {
  name: string;
  ip: string;
  tcpPort: number;
  quicPort: number;
  httpPort: number;
  websocketPort: number;
  /** 0 leader, 1 follower. */
  role: number;
  /** 0 healthy, 1 starting, 2 stopping, 3 unreachable, 4 maintenance. */
  status: number;
}

export const NodeRole = { Leader: 0, Follower: 1 } as const;
export const NodeStatus = { Healthy: 0 } as const;

/**
 * Cluster metadata (read code 12, docs/iggy-concepts.md#replication-and-clusters), little-endian:
 * `[name_len u32][name][node_count u32]` then per node
 * `[name_len u32][name][ip_len u32][ip][tcp u16][quic u16][http u16][websocket u16][role u8][status u8]`.
 */
export function encodeClusterMetadata(clusterName: string, nodes: readonly ClusterNodeInfo[]): Buffer {
  const w = new WireWriter().longString(clusterName).u32(nodes.length);
  for (const node of nodes) {
    const ports = Buffer.alloc(10);
    ports.writeUInt16LE(node.tcpPort, 0);
    ports.writeUInt16LE(node.quicPort, 2);
    ports.writeUInt16LE(node.httpPort, 4);
    ports.writeUInt16LE(node.websocketPort, 6);
    ports.writeUInt8(node.role, 8);
    ports.writeUInt8(node.status, 9);
    w.longString(node.name).longString(node.ip).bytes(ports);
  }
  return w.toBuffer();
}
