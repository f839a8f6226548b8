import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireIggy, uniqueName, type IggyTarget } from '@/test/support/harness';
import { Partitioning } from '@/lib/iggy';
import { ensureDemoTopic } from '@/lib/demo/topic-setup';
import { connectedClient } from '../iggy/clients';

/** IGGY_TOPIC_DURABILITY at topic creation: released 0.9.0 takes it, an edge build answers 4041. */
let release: IggyTarget;
let edge: IggyTarget;

beforeAll(async () => {
  release = await acquireIggy();
  edge = await acquireIggy({ topicOptionsFlavor: 'edge', serverVersion: '0.9.0-edge.5' });
});
afterAll(async () => {
  await Promise.all([release?.close(), edge?.close()]);
});

async function streamOn(target: IggyTarget) {
  const client = await connectedClient(target.url);
  const streamName = uniqueName('durability-stream');
  await client.createStream(streamName);
  return { client, streamName, topicName: uniqueName('durability-topic') };
}

// Both servers are the in-memory one (the edge flavor and a crash cannot be ordered from a real server).
describe.skipIf(Boolean(process.env.IGGY_TEST_URL?.trim()))('demo topic durability', () => {
  it('persisted: every acknowledged message survives a crash', async () => {
    const { client, streamName, topicName } = await streamOn(release);
    await ensureDemoTopic(client, { streamName, topicName, partitionsCount: 1, durability: 'persisted' });
    for (let i = 0; i < 5; i += 1)
      await client.sendMessages({
        streamId: streamName,
        topicId: topicName,
        partitioning: Partitioning.partitionId(0),
        messages: [{ payload: Buffer.from(`m${i}`) }],
      });
    await release.crash();
    await release.start();
    const after = await connectedClient(release.url);
    const topic = await after.getTopic(streamName, topicName);
    expect(topic!.partitions[0]).toMatchObject({ currentOffset: 4n, messagesCount: 5n });
  });

  it('unset: no option is sent, so even an edge build creates the topic (and a crash loses the journal)', async () => {
    const { client, streamName, topicName } = await streamOn(edge);
    const topic = await ensureDemoTopic(client, { streamName, topicName, partitionsCount: 2 });
    expect(topic.partitions).toHaveLength(2);
    // Again: the existing topic is returned, not created twice.
    expect((await ensureDemoTopic(client, { streamName, topicName, partitionsCount: 2 })).id).toBe(topic.id);
  });

  it('an edge build refuses durability with 4041: a clear error naming the version, and no topic', async () => {
    const { client, streamName, topicName } = await streamOn(edge);
    const error = await ensureDemoTopic(client, {
      streamName,
      topicName,
      partitionsCount: 1,
      durability: 'replicated',
      serverVersion: client.serverVersion,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DURABILITY_UNSUPPORTED' });
    expect((error as Error).message).toContain('version 0.9.0-edge.5');
    expect((error as Error).message).toContain('durability');
    expect(await client.getTopic(streamName, topicName)).toBeNull();
  });
});
