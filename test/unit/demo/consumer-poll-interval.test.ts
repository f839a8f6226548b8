import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PolledMessages } from '@/lib/iggy';
import { ConsumerLoop, type ConsumerClient } from '@/lib/demo/consumer-loop';
import { silentLogger } from '@/lib/demo/logger';

/** An existing, empty one-partition topic that counts the polls it answers. */
function emptyTopic() {
  const polls: number[] = [];
  const client = {
    pollMessages: (async () => {
      polls.push(Date.now());
      return { partitionId: 0, currentOffset: 0n, messages: [] } satisfies PolledMessages;
    }) as ConsumerClient['pollMessages'],
    getTopic: (async () => ({
      id: 0,
      name: 't',
      partitions: [
        { id: 0, createdAtMicros: 0n, segmentsCount: 1, currentOffset: 0n, sizeBytes: 0n, messagesCount: 0n },
      ],
    })) as unknown as ConsumerClient['getTopic'],
    getConsumerOffset: (async () => null) as ConsumerClient['getConsumerOffset'],
    storeConsumerOffset: (async () => {}) as ConsumerClient['storeConsumerOffset'],
  } as ConsumerClient;
  return { client, polls };
}

function loopOn(client: ConsumerClient, pollIntervalMs?: number) {
  return new ConsumerLoop({
    client,
    streamName: 's',
    topicName: 't',
    consumerName: 'c',
    logger: silentLogger(),
    onMessages: () => {},
    offsetRefreshMs: 60_000,
    ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }),
  });
}

afterEach(() => vi.useRealTimers());

describe('ConsumerLoop poll interval', () => {
  it('is 500 ms unless told otherwise, and the status reports it', () => {
    expect(loopOn(emptyTopic().client).status().pollIntervalMs).toBe(500);
    expect(loopOn(emptyTopic().client, 250).status().pollIntervalMs).toBe(250);
  });

  it('a shorter interval ends the current wait at once: 2 s to 50 ms polls again right away', async () => {
    vi.useFakeTimers();
    const { client, polls } = emptyTopic();
    const loop = loopOn(client, 2000);
    loop.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(polls).toHaveLength(1); // first poll done, now sleeping 2 s

    expect(loop.setPollInterval(50).pollIntervalMs).toBe(50);
    await vi.advanceTimersByTimeAsync(0);
    expect(polls).toHaveLength(2); // woken, not 2 s later
    await vi.advanceTimersByTimeAsync(500);
    expect(polls.length).toBeGreaterThanOrEqual(11); // then every 50 ms
    await loop.stop();
    await loop.whenIdle();
  });

  it('a longer interval applies from the next sleep, without an extra poll', async () => {
    vi.useFakeTimers();
    const { client, polls } = emptyTopic();
    const loop = loopOn(client, 100);
    loop.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(polls).toHaveLength(1);
    loop.setPollInterval(2000);
    await vi.advanceTimersByTimeAsync(95);
    expect(polls).toHaveLength(2); // the 100 ms sleep in progress ran out as planned
    await vi.advanceTimersByTimeAsync(1900);
    expect(polls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(polls).toHaveLength(3);
    await loop.stop();
    await loop.whenIdle();
  });

  it.each([49, 2001, 100.5, Number.NaN])('refuses %s and keeps the interval it had', (ms) => {
    const loop = loopOn(emptyTopic().client);
    expect(() => loop.setPollInterval(ms)).toThrow(RangeError);
    expect(loop.status().pollIntervalMs).toBe(500);
  });
});
