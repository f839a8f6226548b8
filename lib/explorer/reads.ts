/** The explorer's read views: the tree, one topic, one page of messages. Every poll leaves offsets alone. */
import { Consumer, PollingStrategy, type IggyClient } from '@/lib/iggy';
import type { ExplorerMessages, ExplorerStream, ExplorerTopicDetails, MessagesQuery } from './contract';
import { EXPLORER_LIMITS, BROWSE_CONSUMER } from './limits';
import { requirePartition, requireTopic } from './lookup';
import { catalogView, messageView, partitionView, topicView } from './views';

type Without<T> = Omit<T, 'frames' | 'framesDropped' | 'cli'>;

export async function readTree(
  client: IggyClient,
): Promise<{ streams: ExplorerStream[]; streamsNotShown: number }> {
  const all = await client.getStreams();
  const listed = all.slice(0, EXPLORER_LIMITS.maxStreams);
  const streams: ExplorerStream[] = [];
  for (const stream of listed) {
    const topics = await client.getTopics(stream.id);
    const shown = topics.slice(0, EXPLORER_LIMITS.maxTopicsPerStream);
    streams.push({
      id: stream.id,
      name: stream.name,
      createdAtMicros: stream.createdAtMicros.toString(),
      topicsCount: stream.topicsCount,
      sizeBytes: stream.sizeBytes.toString(),
      messagesCount: stream.messagesCount.toString(),
      topics: shown.map(topicView),
      topicsNotShown: topics.length - shown.length,
    });
  }
  return { streams, streamsNotShown: all.length - listed.length };
}

export async function readTopic(
  client: IggyClient,
  stream: string,
  topic: string,
): Promise<Without<ExplorerTopicDetails>> {
  const details = await requireTopic(client, stream, topic);
  const catalog = await client.describeOptions('topic');
  return {
    stream,
    topic: topicView(details),
    partitions: details.partitions.map(partitionView),
    catalog: catalog.map(catalogView),
  };
}

function strategyOf(query: MessagesQuery) {
  switch (query.seek) {
    case 'offset':
      return PollingStrategy.offset(BigInt(query.value!));
    case 'timestamp':
      return PollingStrategy.timestamp(BigInt(query.value!));
    case 'first':
      return PollingStrategy.first();
    case 'last':
      return PollingStrategy.last();
  }
}

/**
 * One page. The count shrinks when the partition's average message size says the page would pass the
 * byte budget (the poll reply is held whole in memory before it is cut to previews).
 */
export async function readMessages(
  client: IggyClient,
  query: MessagesQuery,
): Promise<Without<ExplorerMessages>> {
  const details = await requireTopic(client, query.stream, query.topic);
  const partitionId = Number(query.partition);
  const partition = requirePartition(details, partitionId);
  const requestedCount = query.count === undefined ? EXPLORER_LIMITS.defaultCount : Number(query.count);
  const average = partition.messagesCount > 0n ? Number(partition.sizeBytes / partition.messagesCount) : 0;
  const affordable =
    average > 0 ? Math.max(1, Math.floor(EXPLORER_LIMITS.pageBudgetBytes / average)) : requestedCount;
  const polledCount = Math.min(requestedCount, affordable);
  const polled = await client.pollMessages({
    consumer: Consumer.single(BROWSE_CONSUMER),
    streamId: query.stream,
    topicId: query.topic,
    partitionId,
    strategy: strategyOf(query),
    count: polledCount,
    // Never store an offset: browsing must not move anyone's position.
    autoCommit: false,
  });
  return {
    partitionId,
    currentOffset: polled.currentOffset.toString(),
    partitionMessagesCount: partition.messagesCount.toString(),
    requestedCount,
    polledCount,
    messages: polled.messages.map(messageView),
  };
}
