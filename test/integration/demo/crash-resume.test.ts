import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireIggy, uniqueName, type IggyTarget } from '@/test/support/harness';
import { Consumer, Partitioning, PollingStrategy, type IggyClient, type PolledMessage } from '@/lib/iggy';
import { PartitionWatch } from '@/lib/demo/partition-watch';
import { applyResumePlan, planResume } from '@/lib/demo/resume-plan';
import { connectedClient } from '../iggy/clients';

/**
 * Observations §2 with this project's client: 50 messages read with auto-commit (stored 49), a crash loses
 * them all and clamps the stored offset to 0, 3 new sends get offsets 0, 1, 2, and a plain `Next` poll returns
 * [1, 2]. A consumer that plans its resume with the partition watch reads [0, 1, 2].
 */
let target: IggyTarget;

beforeAll(async () => {
  target = await acquireIggy();
});
afterAll(async () => {
  await target?.close();
});

interface Setup {
  client: IggyClient;
  stream: string;
  topic: string;
}

async function setup(options: { messagesRequiredToSave?: number } = {}): Promise<Setup> {
  const client = await connectedClient(target.url);
  const stream = uniqueName('crash-stream');
  const topic = uniqueName('crash-topic');
  await client.createStream(stream);
  await client.createTopic({ streamId: stream, name: topic, partitionsCount: 1, ...options });
  return { client, stream, topic };
}

async function send(s: Setup, count: number, first = 0): Promise<bigint[]> {
  const offsets: bigint[] = [];
  for (let i = 0; i < count; i += 1) {
    const result = await s.client.sendMessages({
      streamId: s.stream,
      topicId: s.topic,
      partitioning: Partitioning.partitionId(0),
      messages: [{ payload: Buffer.from(JSON.stringify({ id: first + i })) }],
    });
    offsets.push(result.baseOffset!);
  }
  return offsets;
}

async function pollNext(s: Setup, consumerName: string, count = 100): Promise<PolledMessage[]> {
  const polled = await s.client.pollMessages({
    consumer: Consumer.single(consumerName),
    streamId: s.stream,
    topicId: s.topic,
    partitionId: 0,
    strategy: PollingStrategy.next(),
    count,
    autoCommit: true,
  });
  return polled.messages;
}

async function partitionState(s: Setup, consumerName: string) {
  const topic = await s.client.getTopic(s.stream, s.topic);
  const partition = topic!.partitions[0]!;
  const stored = await s.client.getConsumerOffset({
    consumer: Consumer.single(consumerName),
    streamId: s.stream,
    topicId: s.topic,
    partitionId: 0,
  });
  return {
    currentOffset: partition.currentOffset,
    messagesCount: partition.messagesCount,
    stored: stored ? stored.storedOffset : null,
  };
}

/** What the consumer loop does per partition: watch, plan, apply, then Next. */
async function resumeWithWatch(s: Setup, consumerName: string, watch: PartitionWatch, lastShown: bigint) {
  const state = await partitionState(s, consumerName);
  watch.observePartition(0, state.currentOffset, state.messagesCount, state.stored);
  const plan = planResume({
    ...state,
    lossDetected: watch.epochOf(0) > 0,
    lastShownTimestampMicros: lastShown,
  });
  const read: bigint[] = [];
  await applyResumePlan(
    s.client,
    { streamName: s.stream, topicName: s.topic, consumerName, partitionId: 0 },
    plan,
    { deliver: (messages) => read.push(...messages.map((m) => m.offset)) },
  );
  return { plan, read };
}

async function crashAndReconnect(s: Setup): Promise<Setup> {
  await target.crash();
  await target.start();
  await s.client.close();
  return { ...s, client: await connectedClient(target.url) };
}

// Crashing needs the in-memory server; against IGGY_TEST_URL these skip.
describe.skipIf(Boolean(process.env.IGGY_TEST_URL?.trim()))(
  'resuming after a crash that lost messages (test server)',
  () => {
    it('reproduces the skip with a plain Next poll: stored 49 is clamped to 0 and [1, 2] come back', async () => {
      let s = await setup();
      await send(s, 50);
      expect((await pollNext(s, 'plain')).map((m) => m.offset)).toHaveLength(50);
      s = await crashAndReconnect(s);
      expect(await partitionState(s, 'plain')).toEqual({ currentOffset: 0n, messagesCount: 0n, stored: 0n });
      expect(await send(s, 3)).toEqual([0n, 1n, 2n]);
      expect((await pollNext(s, 'plain')).map((m) => m.offset)).toEqual([1n, 2n]);
    });

    it('noticed while the partition is empty: the stored offset is deleted and Next reads 0, 1, 2', async () => {
      let s = await setup();
      const watch = new PartitionWatch();
      expect(await send(s, 50)).toHaveLength(50);
      watch.observeSent(0, 0n, 50);
      const shown = await pollNext(s, 'careful');
      s = await crashAndReconnect(s);
      const { plan, read } = await resumeWithWatch(s, 'careful', watch, shown.at(-1)!.timestampMicros);
      expect(plan.action).toBe('delete-stored');
      expect(read).toEqual([]);
      expect(watch.recent()).toEqual([expect.objectContaining({ lostFrom: '0', lostTo: '49', exact: true })]);
      await send(s, 3, 50);
      const next = await pollNext(s, 'careful');
      expect(next.map((m) => m.offset)).toEqual([0n, 1n, 2n]);
      expect(next.map((m) => JSON.parse(m.payload.toString()).id)).toEqual([50, 51, 52]);
    });

    it('noticed only after 3 new sends: replays from the clamped offset by stamp and reads 0, 1, 2', async () => {
      let s = await setup();
      const watch = new PartitionWatch();
      expect(await send(s, 50)).toHaveLength(50);
      watch.observeSent(0, 0n, 50);
      const shown = await pollNext(s, 'late');
      s = await crashAndReconnect(s);
      await send(s, 3, 50);
      const { plan, read } = await resumeWithWatch(s, 'late', watch, shown.at(-1)!.timestampMicros);
      expect(plan).toMatchObject({ action: 'replay', fromOffset: 0n });
      expect(read).toEqual([0n, 1n, 2n]);
      expect((await partitionState(s, 'late')).stored).toBe(2n);
      expect(await pollNext(s, 'late')).toEqual([]);
      await send(s, 1, 53);
      expect((await pollNext(s, 'late')).map((m) => m.offset)).toEqual([3n]);
    });

    it('a durable prefix survives: the replay skips what was shown and reads only the new messages', async () => {
      // A small journal threshold makes the first 4 messages durable before the crash.
      let s = await setup({ messagesRequiredToSave: 4 });
      const watch = new PartitionWatch();
      watch.observeSent(0, 0n, 6);
      await send(s, 6);
      const shown = await pollNext(s, 'prefix');
      s = await crashAndReconnect(s);
      expect((await partitionState(s, 'prefix')).currentOffset).toBe(3n);
      // Two new sends fill exactly the lost offsets 4 and 5: only the producer's replies reveal the reset.
      expect(await send(s, 2, 6)).toEqual([4n, 5n]);
      watch.observeSent(0, 4n, 2);
      const { read } = await resumeWithWatch(s, 'prefix', watch, shown.at(-1)!.timestampMicros);
      expect(read).toEqual([4n, 5n]);
      expect(watch.recent()).toEqual([expect.objectContaining({ lostFrom: '4', lostTo: '5' })]);
    });

    it('a graceful restart loses nothing: no event, and Next continues after 49', async () => {
      let s = await setup();
      const watch = new PartitionWatch();
      await send(s, 50);
      watch.observeSent(0, 0n, 50);
      const shown = await pollNext(s, 'graceful');
      await target.shutdown();
      await target.start();
      await s.client.close();
      s = { ...s, client: await connectedClient(target.url) };
      const { plan } = await resumeWithWatch(s, 'graceful', watch, shown.at(-1)!.timestampMicros);
      expect(plan).toEqual({ action: 'next' });
      expect(watch.recent()).toEqual([]);
      expect(await send(s, 3, 50)).toEqual([50n, 51n, 52n]);
      expect((await pollNext(s, 'graceful')).map((m) => m.offset)).toEqual([50n, 51n, 52n]);
    });
  },
);
