import { describe, expect, it } from 'vitest';
import {
  IggyError,
  IggyErrorCode,
  type PolledMessage,
  type PolledMessages,
  type PollingStrategy,
} from '@/lib/iggy';
import { ConsumerLoop, type ConsumerClient } from '@/lib/demo/consumer-loop';
import { silentLogger } from '@/lib/demo/logger';
import { PartitionWatch } from '@/lib/demo/partition-watch';

/**
 * A one-partition topic whose server-side behaviour can misfire on purpose: a poll that commits
 * but whose reply is lost, or an auto-commit that never lands. The consumer must deliver every
 * offset exactly once either way.
 */
class FlakyTopic implements ConsumerClient {
  messages: PolledMessage[] = [];
  stored: bigint | null = null;
  exists = true;
  /** Poll numbers (1-based) whose commit happens but whose reply is replaced by a disconnect. */
  loseReplyOf = new Set<number>();
  /** Poll numbers whose auto-commit silently does not happen. */
  skipCommitOf = new Set<number>();
  /** Poll numbers that fail before the server does anything. */
  failBeforeCommitOf = new Set<number>();
  polls = 0;
  storedByClient: bigint[] = [];
  deletes = 0;
  /** Server clock: stamps only grow, across crashes too. */
  private clock = 0n;

  /**
   * What a crash of Iggy 0.9.0 leaves: the first `keep` messages, the stored offset clamped to the data (0 when
   * empty). Offsets are then handed out again.
   */
  crash(keep: number): void {
    this.messages = this.messages.slice(0, keep);
    const current = BigInt(Math.max(0, keep - 1));
    if (this.stored !== null && this.stored > current) this.stored = current;
  }

  add(count: number): void {
    for (let i = 0; i < count; i += 1) {
      const offset = BigInt(this.messages.length);
      this.messages.push({
        offset,
        id: offset + 1n,
        checksum: 0n,
        partitionId: 0,
        timestampMicros: (this.clock += 1n),
        originTimestampMicros: 0n,
        payload: Buffer.from(`m${offset}`),
        userHeaders: Buffer.alloc(0),
      });
    }
  }

  private notFound(): IggyError {
    return new IggyError({ code: IggyErrorCode.TopicIdNotFound, kind: 'server' });
  }

  pollMessages = async (req: {
    strategy: PollingStrategy;
    count: number;
    autoCommit: boolean;
  }): Promise<PolledMessages> => {
    if (!this.exists) throw this.notFound();
    this.polls += 1;
    if (this.failBeforeCommitOf.has(this.polls))
      throw new IggyError({ code: IggyErrorCode.Timeout, kind: 'timeout' });
    const from =
      req.strategy.kind === 'next'
        ? this.stored === null
          ? 0n
          : this.stored + 1n
        : req.strategy.kind === 'offset'
          ? req.strategy.value
          : 0n;
    const batch = this.messages.filter((m) => m.offset >= from).slice(0, req.count);
    if (req.autoCommit && batch.length > 0 && !this.skipCommitOf.has(this.polls))
      this.stored = batch.at(-1)!.offset;
    if (this.loseReplyOf.has(this.polls))
      throw new IggyError({ code: IggyErrorCode.Disconnected, kind: 'disconnected' });
    return { partitionId: 0, currentOffset: BigInt(Math.max(0, this.messages.length - 1)), messages: batch };
  };

  getTopic = (async () => {
    if (!this.exists) return null;
    return {
      id: 0,
      name: 't',
      partitions: [
        {
          id: 0,
          createdAtMicros: 0n,
          segmentsCount: 1,
          currentOffset: BigInt(Math.max(0, this.messages.length - 1)),
          sizeBytes: 0n,
          messagesCount: BigInt(this.messages.length),
        },
      ],
    };
  }) as unknown as ConsumerClient['getTopic'];

  getConsumerOffset = (async () => {
    if (!this.exists) throw this.notFound();
    return this.stored === null
      ? null
      : { partitionId: 0, currentOffset: BigInt(this.messages.length - 1), storedOffset: this.stored };
  }) as ConsumerClient['getConsumerOffset'];

  storeConsumerOffset = (async (req: { offset: bigint }) => {
    this.storedByClient.push(req.offset);
    this.stored = req.offset;
  }) as ConsumerClient['storeConsumerOffset'];

  deleteConsumerOffset = (async () => {
    this.deletes += 1;
    this.stored = null;
  }) as ConsumerClient['deleteConsumerOffset'];
}

async function runUntil(
  topic: FlakyTopic,
  done: (delivered: bigint[]) => boolean,
  batchSize = 3,
): Promise<{ delivered: bigint[]; seqs: number[]; loop: ConsumerLoop }> {
  const delivered: bigint[] = [];
  const seqs: number[] = [];
  const loop = new ConsumerLoop({
    client: topic,
    streamName: 's',
    topicName: 't',
    consumerName: 'c',
    logger: silentLogger(),
    onMessages: (messages) => {
      delivered.push(...messages.map((m) => m.offset));
      seqs.push(...messages.map((m) => m.seq));
    },
    pollIntervalMs: 2,
    offsetRefreshMs: 5,
    batchSize,
  });
  loop.start();
  const deadline = Date.now() + 5000;
  while (!done(delivered) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  await loop.stop();
  await loop.whenIdle();
  return { delivered, seqs, loop };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => BigInt(i));
const seqRange = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('ConsumerLoop delivery guarantees', () => {
  it('delivers every offset once, polling again at once after a full batch', async () => {
    const topic = new FlakyTopic();
    topic.add(10);
    const { delivered, seqs, loop } = await runUntil(topic, (d) => d.length >= 10);
    expect(delivered).toEqual(range(10));
    expect(seqs).toEqual(seqRange(10));
    expect(loop.latestSeq).toBe(10);
    expect(loop.status()).toMatchObject({ received: 10, lastOffset: '9', storedOffset: '9', lag: '0' });
  });

  it('fetches by offset what a poll committed but never returned (no skip)', async () => {
    const topic = new FlakyTopic();
    topic.add(10);
    topic.loseReplyOf.add(2); // offsets 3..5 are committed on the server, the reply is lost
    const { delivered, seqs } = await runUntil(topic, (d) => d.length >= 10);
    expect(delivered).toEqual(range(10));
    expect(seqs).toEqual(seqRange(10));
  });

  it('drops redelivered offsets when an auto-commit did not land (no repeat), and re-stores its position', async () => {
    const topic = new FlakyTopic();
    topic.add(10);
    topic.skipCommitOf.add(2); // offsets 3..5 delivered, the server still says 2
    topic.failBeforeCommitOf.add(3); // forces a recovery check while the server is behind
    const { delivered, seqs } = await runUntil(topic, (d) => d.length >= 10);
    expect(delivered).toEqual(range(10));
    // The redelivered offsets got no seq: numbering has no gaps and no repeats.
    expect(seqs).toEqual(seqRange(10));
    expect(topic.storedByClient).toEqual([5n]);
    expect(topic.stored).toBe(9n);
  });

  it('after a crash that lost everything, reads the new offsets 0, 1, 2 (no skip) and seq keeps counting', async () => {
    const topic = new FlakyTopic();
    topic.add(5);
    const watch = new PartitionWatch();
    const delivered: bigint[] = [];
    const seqs: number[] = [];
    const loop = new ConsumerLoop({
      client: topic,
      streamName: 's',
      topicName: 't',
      consumerName: 'c',
      logger: silentLogger(),
      watch,
      onMessages: (messages) => {
        delivered.push(...messages.map((m) => m.offset));
        seqs.push(...messages.map((m) => m.seq));
      },
      pollIntervalMs: 2,
      offsetRefreshMs: 60_000, // no topic read in between: the poll reply itself must reveal it
      batchSize: 10,
    });
    loop.start();
    const wait = async (n: number) => {
      const deadline = Date.now() + 5000;
      while (delivered.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    };
    await wait(5);
    topic.crash(0);
    expect(topic.stored).toBe(0n);
    topic.add(3);
    await wait(8);
    await new Promise((r) => setTimeout(r, 30));
    await loop.stop();
    await loop.whenIdle();
    expect(delivered).toEqual([...range(5), 0n, 1n, 2n]);
    expect(seqs).toEqual(seqRange(8));
    expect(watch.recent()).toEqual([expect.objectContaining({ lostFrom: '0', lostTo: '4', partitionId: 0 })]);
    expect(topic.stored).toBe(2n);
  });

  it('a reset noticed while the partition is empty deletes the clamped stored offset', async () => {
    const topic = new FlakyTopic();
    topic.add(4);
    const watch = new PartitionWatch();
    const { delivered } = await runUntil(topic, (d) => d.length >= 4);
    expect(delivered).toEqual(range(4));
    topic.crash(0);
    // Someone else (the producer's replies, a topology read) noticed it first.
    watch.observePartition(0, 3n, 4n, 3n);
    watch.observePartition(0, 0n, 0n, 0n);
    const loop = new ConsumerLoop({
      client: topic,
      streamName: 's',
      topicName: 't',
      consumerName: 'c',
      logger: silentLogger(),
      watch,
      onMessages: () => {},
      pollIntervalMs: 2,
    });
    loop.start();
    const deadline = Date.now() + 5000;
    while (topic.deletes === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    await loop.stop();
    await loop.whenIdle();
    expect(topic.deletes).toBe(1);
    expect(topic.stored).toBeNull();
  });

  it('waits quietly while the topic is missing and starts over when it comes back empty', async () => {
    const topic = new FlakyTopic();
    topic.exists = false;
    const delivered: bigint[] = [];
    const seqs: number[] = [];
    const loop = new ConsumerLoop({
      client: topic,
      streamName: 's',
      topicName: 't',
      consumerName: 'c',
      logger: silentLogger(),
      onMessages: (messages) => {
        delivered.push(...messages.map((m) => m.offset));
        seqs.push(...messages.map((m) => m.seq));
      },
      pollIntervalMs: 2,
      offsetRefreshMs: 5,
    });
    loop.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(loop.status()).toMatchObject({ running: true, waitingForTopic: true, received: 0 });
    expect(loop.status().lastError).toBeUndefined();
    topic.exists = true;
    topic.add(2);
    const deadline = Date.now() + 5000;
    while (delivered.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(delivered).toEqual(range(2));
    expect(loop.status().waitingForTopic).toBeUndefined();

    // The topic is deleted and recreated: offset 0 is new again and must be delivered.
    topic.exists = false;
    while (loop.status().waitingForTopic !== true && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    topic.messages = [];
    topic.stored = null;
    topic.add(1);
    topic.exists = true;
    while (delivered.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await loop.stop();
    expect(delivered).toEqual([0n, 1n, 0n]);
    // Offsets started again at 0; seq did not: the recreated topic's offset 0 is seq 3, never confused with seq 1.
    expect(seqs).toEqual([1, 2, 3]);
  });

  it('numbers messages with one seq across partitions, in delivery order', async () => {
    const partitions = new Map<number, PolledMessage[]>([
      [0, []],
      [1, []],
      [2, []],
    ]);
    const stored = new Map<number, bigint>();
    for (let i = 0; i < 9; i += 1) {
      const partitionId = i % 3;
      const list = partitions.get(partitionId)!;
      const offset = BigInt(list.length);
      list.push({
        offset,
        id: BigInt(i + 1),
        checksum: 0n,
        partitionId,
        timestampMicros: 0n,
        originTimestampMicros: 0n,
        payload: Buffer.from(`p${partitionId}o${offset}`),
        userHeaders: Buffer.alloc(0),
      });
    }
    const client: ConsumerClient = {
      pollMessages: (async (req: { partitionId: number; count: number }) => {
        const list = partitions.get(req.partitionId)!;
        const from = (stored.get(req.partitionId) ?? -1n) + 1n;
        const batch = list.filter((m) => m.offset >= from).slice(0, req.count);
        if (batch.length > 0) stored.set(req.partitionId, batch.at(-1)!.offset);
        return { partitionId: req.partitionId, currentOffset: BigInt(list.length - 1), messages: batch };
      }) as ConsumerClient['pollMessages'],
      getTopic: (async () => ({
        id: 0,
        name: 't',
        partitions: [...partitions].map(([id, list]) => ({
          id,
          createdAtMicros: 0n,
          segmentsCount: 1,
          currentOffset: BigInt(list.length - 1),
          sizeBytes: 0n,
          messagesCount: BigInt(list.length),
        })),
      })) as unknown as ConsumerClient['getTopic'],
      getConsumerOffset: (async (req: { partitionId: number }) => {
        const offset = stored.get(req.partitionId);
        return offset === undefined
          ? null
          : { partitionId: req.partitionId, currentOffset: 2n, storedOffset: offset };
      }) as ConsumerClient['getConsumerOffset'],
      storeConsumerOffset: (async () => undefined) as ConsumerClient['storeConsumerOffset'],
      deleteConsumerOffset: (async () => undefined) as ConsumerClient['deleteConsumerOffset'],
    };
    const got: { seq: number; partitionId: number; offset: bigint }[] = [];
    const loop = new ConsumerLoop({
      client,
      streamName: 's',
      topicName: 't',
      consumerName: 'c',
      logger: silentLogger(),
      onMessages: (messages) =>
        got.push(...messages.map(({ seq, partitionId, offset }) => ({ seq, partitionId, offset }))),
      pollIntervalMs: 2,
      offsetRefreshMs: 5,
      batchSize: 2,
    });
    loop.start();
    const deadline = Date.now() + 5000;
    while (got.length < 9 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await loop.stop();
    await loop.whenIdle();
    expect(got.map((m) => m.seq)).toEqual(seqRange(9));
    // Every (partition, offset) exactly once, although offsets repeat across partitions.
    expect(new Set(got.map((m) => `${m.partitionId}:${m.offset}`)).size).toBe(9);
    for (const partitionId of [0, 1, 2])
      expect(got.filter((m) => m.partitionId === partitionId).map((m) => m.offset)).toEqual([0n, 1n, 2n]);
    expect(loop.status().lag).toBe('0');
  });

  it('reports a poll failure in state and clears it after recovery', async () => {
    const topic = new FlakyTopic();
    topic.add(1);
    topic.loseReplyOf.add(1);
    const seen: (string | undefined)[] = [];
    const loop = new ConsumerLoop({
      client: topic,
      streamName: 's',
      topicName: 't',
      consumerName: 'c',
      logger: silentLogger(),
      onMessages: () => undefined,
      onChange: () => seen.push(loop.status().lastError?.code),
      pollIntervalMs: 2,
    });
    loop.start();
    const deadline = Date.now() + 5000;
    while (loop.status().received < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await loop.stop();
    expect(seen).toContain('DISCONNECTED');
    expect(loop.status().lastError).toBeUndefined();
    expect(loop.status().received).toBe(1);
  });
});
