/** Decoders for reply payloads (docs/architecture.md#register-and-login, #reply-layouts). Every decoder consumes its payload exactly. */

import { protocolError } from '../errors';
import { BinaryReader } from './binary';
import { decodeOptionsBlock, type TlvKindName, type TlvValue } from './primitives';

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

export interface StreamDetails {
  id: number;
  name: string;
  createdAtMicros: bigint;
  topicsCount: number;
  sizeBytes: bigint;
  messagesCount: bigint;
  /** [] from list and create */
  topics: TopicSummary[];
}

export interface ConsumerOffsetInfo {
  partitionId: number;
  currentOffset: bigint;
  storedOffset: bigint;
}

export interface ConsumerGroupMember {
  id: number;
  partitions: number[];
}

export interface ConsumerGroupDetails {
  id: number;
  name: string;
  partitionsCount: number;
  membersCount: number;
  members: ConsumerGroupMember[];
}

export interface ConsumerGroupAssignment {
  generation: bigint;
  partitions: number[];
}

export type ClientTransport = 'tcp' | 'quic' | 'websocket' | 'unknown';

export interface ClientInfo {
  clientId: number;
  userId: number | null;
  transport: ClientTransport;
  address: string;
  consumerGroupsCount: number;
  consumerGroups?: { streamId: number; topicId: number; groupId: number }[];
}

export interface CacheMetric {
  streamId: number;
  topicId: number;
  partitionId: number;
  hits: bigint;
  misses: bigint;
  hitRatio: number;
}

export interface Stats {
  processId: number;
  cpuUsage: number;
  totalCpuUsage: number;
  memoryUsageBytes: bigint;
  totalMemoryBytes: bigint;
  availableMemoryBytes: bigint;
  runTimeMicros: bigint;
  startTimeMicros: bigint;
  readBytes: bigint;
  writtenBytes: bigint;
  messagesSizeBytes: bigint;
  streamsCount: number;
  topicsCount: number;
  partitionsCount: number;
  segmentsCount: number;
  messagesCount: bigint;
  clientsCount: number;
  consumerGroupsCount: number;
  hostname: string;
  osName: string;
  osVersion: string;
  kernelVersion: string;
  serverVersion: string;
  /** 0.9.0 → 9000; 0 = absent */
  serverSemver: number;
  cacheMetrics: CacheMetric[];
  threadsCount: number;
  freeDiskSpaceBytes: bigint;
  totalDiskSpaceBytes: bigint;
}

export interface LoginReply {
  userId: number;
  session: bigint;
  serverProtocolVersion: number;
  serverVersion: string;
}

/** Login payload after the result count: user_id, session, protocol version, server version. */
export function decodeLoginReply(payload: Buffer): LoginReply {
  const r = new BinaryReader(payload, 'login reply');
  const userId = r.u32();
  const session = r.u64();
  const serverProtocolVersion = r.u32();
  const serverVersion = r.name();
  r.expectEnd();
  if (session === 0n) throw protocolError('login reply carries session 0');
  return { userId, session, serverProtocolVersion, serverVersion };
}

function readStream(r: BinaryReader): StreamDetails {
  const id = r.u32();
  const createdAtMicros = r.u64();
  const topicsCount = r.u32();
  const sizeBytes = r.u64();
  const messagesCount = r.u64();
  const name = r.name();
  r.skip(r.u32()); // options block: streams have none today
  return { id, name, createdAtMicros, topicsCount, sizeBytes, messagesCount, topics: [] };
}

function readTopicHeader(r: BinaryReader): TopicSummary {
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

/** Create stream reply: one StreamResponse. */
export function decodeStream(payload: Buffer): StreamDetails {
  const r = new BinaryReader(payload, 'stream');
  const stream = readStream(r);
  r.expectEnd();
  return stream;
}

/** Get stream: StreamResponse + topics_count TopicHeaders; empty = not found. */
export function decodeStreamDetails(payload: Buffer): StreamDetails | null {
  if (payload.length === 0) return null;
  const r = new BinaryReader(payload, 'stream details');
  const stream = readStream(r);
  for (let i = 0; i < stream.topicsCount; i++) stream.topics.push(readTopicHeader(r));
  r.expectEnd();
  return stream;
}

/** Get streams: StreamResponse* until the end. */
export function decodeStreams(payload: Buffer): StreamDetails[] {
  const r = new BinaryReader(payload, 'streams');
  const streams: StreamDetails[] = [];
  while (r.remaining > 0) streams.push(readStream(r));
  return streams;
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

function readGroup(r: BinaryReader): Omit<ConsumerGroupDetails, 'members'> {
  const id = r.u32();
  const partitionsCount = r.u32();
  const membersCount = r.u32();
  const name = r.name();
  return { id, name, partitionsCount, membersCount };
}

/** ConsumerGroupDetails: the group, then members_count × `[id u32][count u32][partition u32 × count]`; empty = not found. */
export function decodeConsumerGroupDetails(payload: Buffer): ConsumerGroupDetails | null {
  if (payload.length === 0) return null;
  const r = new BinaryReader(payload, 'consumer group');
  const group = readGroup(r);
  const members: ConsumerGroupMember[] = [];
  for (let i = 0; i < group.membersCount; i++) {
    const id = r.u32();
    const count = r.u32();
    if (count * 4 > r.remaining) throw protocolError(`consumer group member claims ${count} partitions`);
    const partitions: number[] = [];
    for (let j = 0; j < count; j++) partitions.push(r.u32());
    members.push({ id, partitions });
  }
  r.expectEnd();
  return { ...group, members };
}

/** Get consumer groups: ConsumerGroupResponse* until the end (no members listed). */
export function decodeConsumerGroups(payload: Buffer): ConsumerGroupDetails[] {
  const r = new BinaryReader(payload, 'consumer groups');
  const groups: ConsumerGroupDetails[] = [];
  while (r.remaining > 0) groups.push({ ...readGroup(r), members: [] });
  return groups;
}

/** Sync consumer group: `[generation u64][count u32][partition u32 × count]`; empty = not a member. */
export function decodeConsumerGroupAssignment(payload: Buffer): ConsumerGroupAssignment | null {
  if (payload.length === 0) return null;
  const r = new BinaryReader(payload, 'consumer group assignment');
  const generation = r.u64();
  const count = r.u32();
  if (count * 4 !== r.remaining)
    throw protocolError(`assignment claims ${count} partitions with ${r.remaining} bytes left`);
  const partitions: number[] = [];
  for (let i = 0; i < count; i++) partitions.push(r.u32());
  return { generation, partitions };
}

/** Get consumer offset: `[partition u32][current u64][stored u64]`; empty = nothing stored. */
export function decodeConsumerOffset(payload: Buffer): ConsumerOffsetInfo | null {
  if (payload.length === 0) return null;
  const r = new BinaryReader(payload, 'consumer offset');
  const info = { partitionId: r.u32(), currentOffset: r.u64(), storedOffset: r.u64() };
  r.expectEnd();
  return info;
}

const TRANSPORTS: Record<number, ClientTransport> = { 1: 'tcp', 2: 'quic', 4: 'websocket' };

function readClient(r: BinaryReader): ClientInfo {
  const clientId = r.u32();
  const userId = r.u32();
  const transport = TRANSPORTS[r.u8()] ?? 'unknown';
  const address = r.string32();
  const consumerGroupsCount = r.u32();
  return { clientId, userId: userId === 0xffffffff ? null : userId, transport, address, consumerGroupsCount };
}

/** Get me: ClientResponse + consumer_groups_count × `[stream u32][topic u32][group u32]`. */
export function decodeClientDetails(payload: Buffer): ClientInfo {
  const r = new BinaryReader(payload, 'client details');
  const client = readClient(r);
  if (client.consumerGroupsCount * 12 !== r.remaining) {
    throw protocolError(
      `client details claim ${client.consumerGroupsCount} groups with ${r.remaining} bytes left`,
    );
  }
  client.consumerGroups = [];
  for (let i = 0; i < client.consumerGroupsCount; i++) {
    client.consumerGroups.push({ streamId: r.u32(), topicId: r.u32(), groupId: r.u32() });
  }
  return client;
}

/** Get clients: ClientResponse* until the end. */
export function decodeClients(payload: Buffer): ClientInfo[] {
  const r = new BinaryReader(payload, 'clients');
  const clients: ClientInfo[] = [];
  while (r.remaining > 0) clients.push(readClient(r));
  return clients;
}

/**
 * Stats: 108-byte fixed part, five u32-prefixed strings, then an optional tail. The tail
 * (semver, cache metrics, threads, disk) is read only as far as the server sent it, because
 * older and newer builds differ there and none of it is essential.
 */
export function decodeStats(payload: Buffer): Stats {
  const r = new BinaryReader(payload, 'stats');
  const stats: Stats = {
    processId: r.u32(),
    cpuUsage: r.f32(),
    totalCpuUsage: r.f32(),
    memoryUsageBytes: r.u64(),
    totalMemoryBytes: r.u64(),
    availableMemoryBytes: r.u64(),
    runTimeMicros: r.u64(),
    startTimeMicros: r.u64(),
    readBytes: r.u64(),
    writtenBytes: r.u64(),
    messagesSizeBytes: r.u64(),
    streamsCount: r.u32(),
    topicsCount: r.u32(),
    partitionsCount: r.u32(),
    segmentsCount: r.u32(),
    messagesCount: r.u64(),
    clientsCount: r.u32(),
    consumerGroupsCount: r.u32(),
    hostname: r.string32(),
    osName: r.string32(),
    osVersion: r.string32(),
    kernelVersion: r.string32(),
    serverVersion: r.string32(),
    serverSemver: 0,
    cacheMetrics: [],
    threadsCount: 0,
    freeDiskSpaceBytes: 0n,
    totalDiskSpaceBytes: 0n,
  };
  if (r.remaining === 0) return stats;
  stats.serverSemver = r.u32();
  if (r.remaining === 0) return stats;
  const metrics = r.u32();
  if (metrics * 32 > r.remaining) throw protocolError(`stats claim ${metrics} cache metrics`);
  for (let i = 0; i < metrics; i++) {
    stats.cacheMetrics.push({
      streamId: r.u32(),
      topicId: r.u32(),
      partitionId: r.u32(),
      hits: r.u64(),
      misses: r.u64(),
      hitRatio: r.f32(),
    });
  }
  if (r.remaining === 0) return stats;
  stats.threadsCount = r.u32();
  if (r.remaining === 0) return stats;
  stats.freeDiskSpaceBytes = r.u64();
  if (r.remaining === 0) return stats;
  stats.totalDiskSpaceBytes = r.u64();
  return stats;
}
