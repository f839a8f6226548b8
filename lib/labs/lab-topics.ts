import type { IggyClient } from '@/lib/iggy';

/** Deletes a lab topic when it exists (Reset); true when there was one to delete. */
export async function deleteTopicIfExists(
  client: IggyClient,
  stream: string,
  topic: string,
): Promise<boolean> {
  const exists = (await client.getTopic(stream, topic)) !== null;
  if (exists) await client.deleteTopic(stream, topic);
  return exists;
}

/**
 * Creates a lab topic afresh, deleting one of that name first: offsets start at 0 again and no consumer
 * keeps a stored offset from before. True when one existed.
 */
export async function recreateTopic(
  client: IggyClient,
  stream: string,
  topic: string,
  partitionsCount: number,
): Promise<boolean> {
  const existed = await deleteTopicIfExists(client, stream, topic);
  await client.createTopic({ streamId: stream, name: topic, partitionsCount });
  return existed;
}
