/** What the consumer-group lab reads from Iggy for its state: the topic, the group and its stored offsets. */

import { Consumer, partitionLag, type IggyClient, type TopicDetails } from '@/lib/iggy';
import { readStoredOffsets } from '@/lib/demo/stored-offsets';
import type { PartitionView } from './contract';
import { CONSUMER_GROUPS_TOPIC, LAB_GROUP, type MemberLabel } from './limits';

export type ServerView = Awaited<ReturnType<typeof readServer>>;

/** One read of the topic, the group and the group's stored offset per partition. */
export async function readServer(client: IggyClient, stream: string) {
  const topic = await client.getTopic(stream, CONSUMER_GROUPS_TOPIC);
  if (!topic) return { topic: null, group: null, stored: new Map<number, bigint>() };
  const group = await client.getConsumerGroup(stream, CONSUMER_GROUPS_TOPIC, LAB_GROUP);
  const stored = new Map<number, bigint>();
  if (group) {
    const where = { consumer: Consumer.group(LAB_GROUP), streamId: stream, topicId: CONSUMER_GROUPS_TOPIC };
    for await (const { partition, stored: offset } of readStoredOffsets(client, where, topic.partitions)) {
      if (offset !== null) stored.set(partition.id, offset);
    }
  }
  return { topic, group, stored };
}

/** Each partition with its owner among the lab's members, its offsets and the group's lag on it. */
export function partitionViews(
  topic: TopicDetails | null,
  stored: ReadonlyMap<number, bigint> | undefined,
  owners: ReadonlyMap<number, MemberLabel>,
): PartitionView[] {
  return (topic?.partitions ?? []).map((p) => {
    const offset = stored?.get(p.id) ?? null;
    const empty = p.messagesCount === 0n;
    return {
      id: p.id,
      owner: owners.get(p.id) ?? null,
      messagesCount: p.messagesCount.toString(),
      currentOffset: empty ? null : p.currentOffset.toString(),
      storedOffset: offset === null ? null : offset.toString(),
      lag: partitionLag(p.currentOffset, p.messagesCount, offset).toString(),
    };
  });
}
