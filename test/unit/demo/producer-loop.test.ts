import { describe, expect, it } from 'vitest';
import {
  IggyError,
  IggyErrorCode,
  type PolledMessage,
  type PolledMessages,
  type SendResult,
} from '@/lib/iggy';
import { silentLogger } from '@/lib/demo/logger';
import { ProducerLoop, type ProducerClient } from '@/lib/demo/producer-loop';

/** A one-partition topic in memory that can fail sends in the two ways that matter: stored-but-unacknowledged, and not stored. */
class FakeTopic implements ProducerClient {
  payloads: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  sendDelayMs = 0;
  /** Send numbers (1-based) that are stored but whose acknowledgement is lost. */
  loseAckOf = new Set<number>();
  /** Send numbers that fail before anything is stored. */
  rejectOf = new Set<number>();
  sends = 0;
  partitionIds = [0];
  /** The partitioning of every send, in order. */
  partitionings: unknown[] = [];

  readonly serverVersion = '0.9.0-edge.5';
  /** false: getTopic answers null until createTopic ran. */
  topicExists = true;
  /** Answer createTopic with 4041, as an edge build does for `durability`. */
  refuseDurability = false;
  createRequests: unknown[] = [];

  ensureStream = (async () => ({})) as unknown as ProducerClient['ensureStream'];
  private topicDetails = () => ({
    partitionsCount: this.partitionIds.length,
    partitions: this.partitionIds.map((id) => ({ id })),
  });
  getTopic = (async () =>
    this.topicExists ? this.topicDetails() : null) as unknown as ProducerClient['getTopic'];
  createTopic = (async (req: { durability?: string }) => {
    this.createRequests.push(req);
    if (this.refuseDurability && req.durability !== undefined)
      throw new IggyError({ code: IggyErrorCode.UnsupportedOptionKey, kind: 'server' });
    this.topicExists = true;
    return this.topicDetails();
  }) as unknown as ProducerClient['createTopic'];

  sendMessages = async (req: {
    partitioning?: unknown;
    messages: readonly { payload: Uint8Array | string }[];
  }): Promise<SendResult> => {
    this.sends += 1;
    this.partitionings.push(req.partitioning);
    const n = this.sends;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.sendDelayMs > 0) await new Promise((r) => setTimeout(r, this.sendDelayMs));
      if (this.rejectOf.has(n))
        throw new IggyError({ code: IggyErrorCode.Disconnected, kind: 'disconnected' });
      const baseOffset = BigInt(this.payloads.length);
      for (const m of req.messages)
        this.payloads.push(typeof m.payload === 'string' ? m.payload : Buffer.from(m.payload).toString());
      if (this.loseAckOf.has(n)) throw new IggyError({ code: IggyErrorCode.Timeout, kind: 'timeout' });
      return { partitionId: 0, baseOffset };
    } finally {
      this.inFlight -= 1;
    }
  };

  pollMessages = async (req: { count: number }): Promise<PolledMessages> => {
    const from = Math.max(0, this.payloads.length - req.count);
    const messages = this.payloads.slice(from).map((text, i): PolledMessage => ({
      offset: BigInt(from + i),
      id: 1n,
      checksum: 0n,
      partitionId: 0,
      timestampMicros: 0n,
      originTimestampMicros: 0n,
      payload: Buffer.from(text),
      userHeaders: Buffer.alloc(0),
    }));
    return { partitionId: 0, currentOffset: BigInt(Math.max(0, this.payloads.length - 1)), messages };
  };

  ids(): number[] {
    return this.payloads.flatMap((p) => {
      try {
        return [(JSON.parse(p) as { id: number }).id];
      } catch {
        return [];
      }
    });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function producer(topic: FakeTopic, ratePerSec = 200): ProducerLoop {
  return new ProducerLoop({
    client: topic,
    streamName: 's',
    topicName: 't',
    partitionsCount: 1,
    ratePerSec,
    logger: silentLogger(),
  });
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(5);
  }
}

const consecutive = (ids: number[], first: number) => ids.every((id, i) => id === first + i);

describe('ProducerLoop', () => {
  it('continues after the newest JSON id in the topic, looking past a foreign payload on top', async () => {
    const topic = new FakeTopic();
    topic.payloads = ['{"id": 7, "text": "x", "ts": "2026-01-01T00:00:00.000Z"}', 'raw bytes, not JSON'];
    const loop = producer(topic);
    await loop.start();
    await until(() => topic.ids().length >= 4);
    await loop.stop();
    await loop.whenIdle();
    expect(topic.ids().slice(0, 4)).toEqual([7, 8, 9, 10]);
    expect(JSON.parse(topic.payloads[2]!)).toMatchObject({ id: 8, text: 'hello from producer' });
  });

  it('never has two sends in flight and never repeats an id, however start and stop are toggled', async () => {
    const topic = new FakeTopic();
    topic.sendDelayMs = 3;
    const loop = producer(topic, 500);
    for (let i = 0; i < 25; i += 1) {
      void loop.start();
      await sleep(10 + (i % 3) * 4);
      await loop.stop();
      if (i % 5 === 0) void loop.start(100);
    }
    await loop.stop();
    await loop.whenIdle();
    expect(topic.sends).toBeGreaterThan(10);
    expect(topic.maxInFlight).toBe(1);
    expect(consecutive(topic.ids(), 1)).toBe(true);
    expect(loop.status()).toMatchObject({ running: false, sent: topic.ids().length });
  });

  it('stop() lets the send in flight finish and counts it', async () => {
    const topic = new FakeTopic();
    topic.sendDelayMs = 200;
    const loop = producer(topic, 1);
    await loop.start();
    await until(() => topic.inFlight === 1);
    const state = await loop.stop();
    expect(state.running).toBe(false);
    await loop.whenIdle();
    expect(topic.payloads).toHaveLength(1);
    expect(loop.status().sent).toBe(1);
    await sleep(50);
    expect(topic.sends).toBe(1);
  });

  it('after a lost acknowledgement re-reads the topic, so the stored message is not sent again under the same id', async () => {
    const topic = new FakeTopic();
    topic.loseAckOf.add(2);
    const loop = producer(topic, 20);
    await loop.start();
    await until(() => topic.sends >= 4);
    await loop.stop();
    await loop.whenIdle();
    expect(consecutive(topic.ids(), 1)).toBe(true);
    expect(loop.status().lastError).toBeUndefined(); // cleared by the next successful send
  });

  it('after a rejected send reuses the id that never reached the topic', async () => {
    const topic = new FakeTopic();
    topic.rejectOf.add(2);
    const seen: (string | undefined)[] = [];
    const observed = new ProducerLoop({
      client: topic,
      streamName: 's',
      topicName: 't',
      partitionsCount: 1,
      ratePerSec: 20,
      logger: silentLogger(),
      onChange: () => seen.push(observed.status().lastError?.code),
    });
    await observed.start();
    await until(() => topic.sends >= 4);
    await observed.stop();
    await observed.whenIdle();
    expect(seen).toContain('DISCONNECTED');
    expect(consecutive(topic.ids(), 1)).toBe(true);
  });

  it('after a crash lost the newest messages, keeps counting ids from what it sent (not from the topic)', async () => {
    const topic = new FakeTopic();
    const loop = producer(topic);
    await loop.start();
    await until(() => topic.ids().length >= 5);
    // The crash: the server lost everything, and the next send fails as the connection drops.
    topic.rejectOf.add(topic.sends + 1);
    topic.payloads = [];
    await until(() => topic.ids().length >= 3);
    await loop.stop();
    await loop.whenIdle();
    const sentBefore = loop.status().sent - topic.ids().length;
    expect(topic.ids()[0]).toBe(sentBefore + 1);
    expect(consecutive(topic.ids(), sentBefore + 1)).toBe(true);
    expect(sentBefore).toBeGreaterThanOrEqual(5);
  });

  it('creates a missing topic with the durability asked for, and none when unset', async () => {
    for (const durability of ['persisted', undefined] as const) {
      const topic = new FakeTopic();
      topic.topicExists = false;
      const loop = new ProducerLoop({
        client: topic,
        streamName: 's',
        topicName: 't',
        partitionsCount: 1,
        ratePerSec: 100,
        logger: silentLogger(),
        ...(durability ? { durability } : {}),
      });
      await loop.start();
      await until(() => topic.ids().length >= 1);
      await loop.stop();
      await loop.whenIdle();
      expect(topic.createRequests).toHaveLength(1);
      expect(topic.createRequests[0]).toEqual(
        durability
          ? expect.objectContaining({ durability })
          : expect.not.objectContaining({ durability: expect.anything() }),
      );
    }
  });

  it('a server that does not know `durability` (4041): stops with a clear error naming the version, no topic', async () => {
    const topic = new FakeTopic();
    topic.topicExists = false;
    topic.refuseDurability = true;
    const errors: unknown[] = [];
    const loop = new ProducerLoop({
      client: topic,
      streamName: 's',
      topicName: 't',
      partitionsCount: 1,
      ratePerSec: 100,
      durability: 'replicated',
      logger: silentLogger(),
      onError: (e) => errors.push(e),
    });
    await loop.start();
    await until(() => !loop.isRunning);
    await loop.whenIdle();
    const status = loop.status();
    expect(status.running).toBe(false);
    expect(status.lastError?.code).toBe('DURABILITY_UNSUPPORTED');
    expect(status.lastError?.message).toContain('version 0.9.0-edge.5');
    expect(status.lastError?.message).toContain('durability');
    expect(topic.createRequests).toHaveLength(1); // not retried, and never without the option
    expect(topic.topicExists).toBe(false);
    expect(topic.sends).toBe(0);
    expect(errors).toHaveLength(1);
  });

  it('names the partition of every send explicitly, taking the topic’s partitions in turn', async () => {
    const topic = new FakeTopic();
    topic.partitionIds = [0, 1, 2];
    const loop = producer(topic, 200);
    loop.start();
    await until(() => topic.sends >= 6);
    await loop.stop();
    expect(topic.partitionings.slice(0, 6)).toEqual(
      [0, 1, 2, 0, 1, 2].map((partitionId) => ({ kind: 'partitionId', partitionId })),
    );
  });

  it('validates rates and changes them while running', async () => {
    const topic = new FakeTopic();
    const loop = producer(topic, 1);
    await expect(loop.start(0)).rejects.toThrow(RangeError);
    expect(loop.status().running).toBe(false);
    await loop.start(2);
    expect(loop.status().ratePerSec).toBe(2);
    expect((await loop.start(300)).ratePerSec).toBe(300);
    expect(() => loop.setRate(Number.NaN)).toThrow(RangeError);
    expect(loop.status().ratePerSec).toBe(300);
    await until(() => topic.ids().length >= 30);
    await loop.stop();
  });
});
