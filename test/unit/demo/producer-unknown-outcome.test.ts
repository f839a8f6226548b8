import { describe, expect, it } from 'vitest';
import {
  IggyError,
  IggyErrorCode,
  type PolledMessage,
  type PolledMessages,
  type SendResult,
} from '@/lib/iggy';
import { disconnectedError, outcomeUnknownError } from '@/lib/iggy/errors';
import { silentLogger } from '@/lib/demo/logger';
import { ProducerLoop, type ProducerClient } from '@/lib/demo/producer-loop';

/** One partition in memory; send number `lostReplyOf` fails as a lost reply, stored or not as `storedAnyway` says. */
class Topic {
  payloads: string[] = [];
  sends = 0;
  constructor(
    readonly lostReplyOf: number,
    readonly storedAnyway: boolean,
  ) {}

  client(): ProducerClient {
    return {
      serverVersion: '0.9.0',
      ensureStream: (async () => ({})) as unknown as ProducerClient['ensureStream'],
      getTopic: (async () => ({
        partitionsCount: 1,
        partitions: [{ id: 0 }],
      })) as unknown as ProducerClient['getTopic'],
      createTopic: (async () => ({})) as unknown as ProducerClient['createTopic'],
      sendMessages: async (req: {
        messages: readonly { payload: Uint8Array | string }[];
      }): Promise<SendResult> => {
        this.sends += 1;
        const texts = req.messages.map((m) =>
          typeof m.payload === 'string' ? m.payload : Buffer.from(m.payload).toString(),
        );
        if (this.sends === this.lostReplyOf) {
          if (this.storedAnyway) this.payloads.push(...texts);
          throw outcomeUnknownError('send messages', disconnectedError('connection reset by peer'));
        }
        const baseOffset = BigInt(this.payloads.length);
        this.payloads.push(...texts);
        return { partitionId: 0, baseOffset };
      },
      pollMessages: async (req: { count: number }): Promise<PolledMessages> => {
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
      },
    } as unknown as ProducerClient;
  }

  ids(): number[] {
    return this.payloads.map((p) => (JSON.parse(p) as { id: number }).id);
  }
}

async function run(topic: Topic, untilSends: number) {
  const unknown: { firstId: bigint; count: number }[] = [];
  const loop = new ProducerLoop({
    client: topic.client(),
    streamName: 's',
    topicName: 't',
    partitionsCount: 1,
    ratePerSec: 200,
    logger: silentLogger(),
    onUnknownOutcome: (batch) => unknown.push(batch),
  });
  await loop.start();
  const deadline = Date.now() + 10_000;
  while (topic.sends < untilSends) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
  await loop.stop();
  await loop.whenIdle();
  return { unknown, status: loop.status() };
}

describe('ProducerLoop: a send whose outcome is unknown', () => {
  it('is not resent when it was lost: the ids move on past it', async () => {
    const topic = new Topic(3, false);
    const { unknown, status } = await run(topic, 6);
    expect(unknown).toHaveLength(1);
    const lost = unknown[0]!;
    const skipped = Array.from({ length: lost.count }, (_, i) => Number(lost.firstId) + i);
    const ids = topic.ids();
    // Every id up to the newest, except exactly the lost batch's: nothing resent, nothing else missing.
    const newest = ids.at(-1)!;
    expect(ids).toEqual(
      Array.from({ length: newest }, (_, i) => i + 1).filter((id) => !skipped.includes(id)),
    );
    expect(lost.firstId).toBeGreaterThan(1n);
    // Counted as neither sent nor failed: only acknowledged sends count.
    expect(status.sent).toBe(topic.ids().length);
  });

  it('is not repeated when it was stored after all', async () => {
    const topic = new Topic(3, true);
    await run(topic, 6);
    const ids = topic.ids();
    // The batch that was stored after all is there once, and the ids continue right after it.
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
  });

  it('is a typed error the caller must not retry blindly', () => {
    const error = outcomeUnknownError('send messages', disconnectedError('reset'));
    expect(error).toBeInstanceOf(IggyError);
    expect(error.code).toBe(IggyErrorCode.OutcomeUnknown);
    expect(error.retryable).toBe(false);
  });
});
