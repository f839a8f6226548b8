import { partitionLag, type IggyClient } from '@/lib/iggy';
import { DemoError } from './errors';
import type { PartitionWatch } from './partition-watch';
import { consumerTarget, readStoredOffsets, type ConsumerNames } from './stored-offsets';
import type { Topology } from './types';

export type TopologyClient = Pick<IggyClient, 'getStream' | 'getTopic' | 'getConsumerOffset'>;

/**
 * One read of the demo's stream, topic and the consumer's stored offset and lag per partition, for
 * `/api/topology`. Every figure read also goes to the partition watch: a topology read may be the first to see
 * that the server lost data. Throws TOPIC_NOT_FOUND before the producer has created the topic.
 */
export async function readTopology(
  client: TopologyClient,
  names: ConsumerNames,
  watch: PartitionWatch,
): Promise<Topology> {
  const { streamName, topicName, consumerName } = names;
  const stream = await client.getStream(streamName);
  const issuedAt = watch.tick();
  const topic = stream ? await client.getTopic(streamName, topicName) : null;
  if (!stream || !topic) {
    throw new DemoError(
      'TOPIC_NOT_FOUND',
      `Topic ${streamName}/${topicName} does not exist yet; start the producer to create it`,
    );
  }
  watch.observeTopic(topic.createdAtMicros);
  const storedOffsets: Topology['consumer']['storedOffsets'] = [];
  let totalLag = 0n;
  for await (const { partition, stored } of readStoredOffsets(
    client,
    consumerTarget(names),
    topic.partitions,
  )) {
    watch.observePartition(partition.id, partition.currentOffset, partition.messagesCount, stored, issuedAt);
    const lag = partitionLag(partition.currentOffset, partition.messagesCount, stored);
    totalLag += lag;
    storedOffsets.push({
      partitionId: partition.id,
      offset: stored === null ? null : stored.toString(),
      lag: lag.toString(),
    });
  }
  return {
    stream: { id: stream.id, name: stream.name },
    topic: {
      id: topic.id,
      name: topic.name,
      partitions: topic.partitions.map((p) => ({
        id: p.id,
        currentOffset: p.currentOffset.toString(),
        messagesCount: p.messagesCount.toString(),
        sizeBytes: p.sizeBytes.toString(),
        segmentsCount: p.segmentsCount,
      })),
    },
    consumer: { name: consumerName, storedOffsets, lag: totalLag.toString() },
  };
}
