/** Server and connection introspection (docs/architecture.md#reply-layouts): stats, this client, all clients. */

import { protocolError } from '../../errors';
import { BinaryReader } from '../binary';
import { ReadCode } from '../constants';
import { decodeUntilEnd } from '../primitives';
import { command, noBody, read } from './command';

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
  return decodeUntilEnd(payload, 'clients', readClient);
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

export const systemCommands = {
  getStats: command({ name: 'GetStats', kind: read(ReadCode.GetStats), encode: noBody, decode: decodeStats }),
  getMe: command({ name: 'GetMe', kind: read(ReadCode.GetMe), encode: noBody, decode: decodeClientDetails }),
  getClients: command({
    name: 'GetClients',
    kind: read(ReadCode.GetClients),
    encode: noBody,
    decode: decodeClients,
  }),
};
