/**
 * A topic's consumers: its consumer groups (members and their partitions) and the single consumers the
 * app knows of, each with its stored offset and lag per partition. Lag comes from lib/iggy/lag.ts, the
 * one place it is computed. Read-only: nothing here joins a group or stores an offset.
 */
import { Consumer, partitionLag, type IggyClient, type PartitionDetails } from '@/lib/iggy';
import type { ExplorerConsumers, ExplorerPartitionLag } from './contract';
import { EXPLORER_LIMITS } from './limits';
import { requireTopic } from './lookup';

export interface KnownConsumer {
  name: string;
  source: 'demo' | 'asked';
}

/** The partitions whose offsets are read: the first EXPLORER_LIMITS.maxLagPartitions by id. */
export function lagPartitions(partitions: PartitionDetails[]): PartitionDetails[] {
  return [...partitions].sort((a, b) => a.id - b.id).slice(0, EXPLORER_LIMITS.maxLagPartitions);
}

export async function offsetsOf(
  client: IggyClient,
  consumer: Consumer,
  stream: string,
  topic: string,
  partitions: PartitionDetails[],
): Promise<{ offsets: ExplorerPartitionLag[]; total: bigint }> {
  const offsets: ExplorerPartitionLag[] = [];
  let total = 0n;
  for (const partition of partitions) {
    const info = await client.getConsumerOffset({
      consumer,
      streamId: stream,
      topicId: topic,
      partitionId: partition.id,
    });
    const stored = info ? info.storedOffset : null;
    const lag = partitionLag(partition.currentOffset, partition.messagesCount, stored);
    total += lag;
    offsets.push({
      partitionId: partition.id,
      currentOffset: partition.currentOffset.toString(),
      storedOffset: stored === null ? null : stored.toString(),
      lag: lag.toString(),
    });
  }
  return { offsets, total };
}

export async function readConsumers(
  client: IggyClient,
  stream: string,
  topic: string,
  known: KnownConsumer[],
): Promise<Omit<ExplorerConsumers, 'frames' | 'framesDropped' | 'cli'>> {
  const details = await requireTopic(client, stream, topic);
  const partitions = lagPartitions(details.partitions);
  const listed = await client.getConsumerGroups(stream, topic);
  const groups: ExplorerConsumers['groups'] = [];
  for (const summary of listed.slice(0, EXPLORER_LIMITS.maxGroups)) {
    // A group deleted between the list and this read is simply skipped.
    const group = await client.getConsumerGroup(stream, topic, summary.id);
    if (!group) continue;
    const { offsets, total } = await offsetsOf(client, Consumer.group(group.id), stream, topic, partitions);
    groups.push({
      id: group.id,
      name: group.name,
      partitionsCount: group.partitionsCount,
      membersCount: group.membersCount,
      members: group.members.map((m) => ({ id: m.id, partitions: [...m.partitions] })),
      offsets,
      totalLag: total.toString(),
    });
  }
  const consumers: ExplorerConsumers['consumers'] = [];
  for (const consumer of known) {
    const { offsets, total } = await offsetsOf(
      client,
      Consumer.single(consumer.name),
      stream,
      topic,
      partitions,
    );
    consumers.push({ name: consumer.name, source: consumer.source, offsets, totalLag: total.toString() });
  }
  return {
    stream,
    topic,
    groups,
    groupsNotShown: Math.max(0, listed.length - EXPLORER_LIMITS.maxGroups),
    consumers,
    partitionsNotRead: details.partitions.length - partitions.length,
  };
}

/** Total lag of one consumer or group right now (the lag history's sample); null when the topic is gone. */
export async function sampleLag(
  client: IggyClient,
  target: { stream: string; topic: string; kind: 'consumer' | 'group'; name: string },
): Promise<bigint | null> {
  const details = await client.getTopic(target.stream, target.topic);
  if (!details) return null;
  const consumer = target.kind === 'group' ? Consumer.group(target.name) : Consumer.single(target.name);
  const { total } = await offsetsOf(
    client,
    consumer,
    target.stream,
    target.topic,
    lagPartitions(details.partitions),
  );
  return total;
}
