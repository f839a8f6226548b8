/** Finding a stream, topic or partition by name, with a 404 that says which one is missing. */
import type { IggyClient, TopicDetails } from '@/lib/iggy';
import { ExplorerError } from './errors';

/** The topic with its partitions; a missing stream or topic is a 404 naming it (one more read tells which). */
export async function requireTopic(client: IggyClient, stream: string, topic: string): Promise<TopicDetails> {
  const details = await client.getTopic(stream, topic);
  if (details) return details;
  const streamDetails = await client.getStream(stream);
  if (!streamDetails)
    throw new ExplorerError('NOT_FOUND', `Stream ${JSON.stringify(stream)} does not exist on this server`);
  throw new ExplorerError(
    'TOPIC_NOT_FOUND',
    `Topic ${JSON.stringify(topic)} does not exist in stream ${JSON.stringify(stream)} (it may have been deleted)`,
  );
}

export function requirePartition(details: TopicDetails, partitionId: number) {
  const partition = details.partitions.find((p) => p.id === partitionId);
  if (!partition) {
    const ids = details.partitions.map((p) => p.id);
    const range =
      ids.length === 0
        ? 'it has no partitions'
        : `its partitions are ${Math.min(...ids)} to ${Math.max(...ids)}`;
    throw new ExplorerError(
      'NOT_FOUND',
      `Partition ${partitionId} does not exist in topic ${JSON.stringify(details.name)}: ${range}`,
    );
  }
  return partition;
}
