/**
 * How the demo names its consumer on one partition, and the one loop that reads a consumer's stored offset on
 * each partition of a topic. Pure (it takes a client interface and imports only the client's types), so the
 * demo runtime, its consumer loop and the labs all read stored offsets the same way without sharing a runtime.
 */
import { Consumer, type IggyClient } from '@/lib/iggy';

/** A named plain consumer on one topic: how the demo's consumer presents itself to Iggy. */
export interface ConsumerNames {
  streamName: string;
  topicName: string;
  consumerName: string;
}

/** What the consumer-offset calls and a poll take to name one consumer on one partition. */
export interface PartitionTarget {
  consumer: Consumer;
  streamId: string;
  topicId: string;
  partitionId: number;
}

/** One consumer on every partition of a topic. */
export type ConsumerTarget = Omit<PartitionTarget, 'partitionId'>;

/** The demo's plain consumer on its topic. */
export function consumerTarget(names: ConsumerNames): ConsumerTarget {
  return {
    consumer: Consumer.single(names.consumerName),
    streamId: names.streamName,
    topicId: names.topicName,
  };
}

/** The demo's plain consumer on `partitionId`, as every offset call and poll of it names it. */
export function partitionTarget(names: ConsumerNames, partitionId: number): PartitionTarget {
  return { ...consumerTarget(names), partitionId };
}

export type StoredOffsetClient = Pick<IggyClient, 'getConsumerOffset'>;

/** A partition as read with the topic, and the consumer's stored offset on it (null = nothing stored). */
export interface StoredOffset<P extends { id: number }> {
  partition: P;
  stored: bigint | null;
}

/**
 * The consumer's stored offset on each partition in turn, one request each. Yielded as it goes, so a caller
 * checks each offset against its partition before the next request leaves, as it would in its own loop.
 */
export async function* readStoredOffsets<P extends { id: number }>(
  client: StoredOffsetClient,
  where: ConsumerTarget,
  partitions: readonly P[],
): AsyncGenerator<StoredOffset<P>, void, undefined> {
  for (const partition of partitions) {
    const info = await client.getConsumerOffset({ ...where, partitionId: partition.id });
    yield { partition, stored: info ? info.storedOffset : null };
  }
}
