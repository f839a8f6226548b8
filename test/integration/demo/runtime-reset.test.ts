import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { acquireIggy, type IggyTarget } from '@/test/support/harness';
import type { DemoRuntime } from '@/lib/demo/runtime';
import { RESET_CAUSE } from '@/lib/demo/partition-watch';
import { expectConsecutive, payloadId, startRuntime, testConfig, waitFor } from './runtime-fixture';

/**
 * The whole app against the test server's journal model (docs/iggy-concepts.md#what-a-crash-loses): a crash loses the unflushed messages,
 * the runtime says so (a reset event with the lost range) and its consumer reads the new offsets from 0 without
 * a skip, while the producer's JSON ids keep counting. A graceful restart loses nothing and says nothing.
 */
let target: IggyTarget;
const open: DemoRuntime[] = [];

beforeAll(async () => {
  target = await acquireIggy();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});
afterAll(async () => {
  await target?.close();
});

async function produceAndDrain(runtime: DemoRuntime, received: { length: number }, atLeast: number) {
  await runtime.startProducer({ ratePerSec: 40 });
  await waitFor(`${atLeast} consumed messages`, () => received.length >= atLeast);
  await runtime.stopProducer();
  await runtime.whenIdle();
  const sent = runtime.status().producer.sent;
  await waitFor('the consumer to catch up', () => received.length >= sent);
  return sent;
}

describe.skipIf(Boolean(process.env.IGGY_TEST_URL?.trim()))(
  'DemoRuntime and a server that loses messages',
  () => {
    it('crash with loss while producing: one reset event with the lost range, offsets from 0, ids continue', async () => {
      const started = startRuntime(testConfig(target));
      open.push(started.runtime);
      const { runtime, received } = started;
      const before = await produceAndDrain(runtime, received, 10);
      expect(received.map((m) => m.offset)).toEqual(Array.from({ length: before }, (_, i) => String(i)));

      await target.crash();
      await target.start();
      await runtime.startProducer({ ratePerSec: 40 });
      await waitFor('3 messages after the crash', () => received.length >= before + 3, 20_000);
      await runtime.stopProducer();
      await runtime.whenIdle();
      const sent = runtime.status().producer.sent;
      await waitFor('the consumer to catch up', () => received.length >= sent);

      const after = received.slice(before);
      expect(after.slice(0, 3).map((m) => m.offset)).toEqual(['0', '1', '2']);
      expect(
        expectConsecutive(
          after.map((m) => BigInt(m.offset)),
          0n,
        ),
      ).toBeNull();
      // The producer's ids keep counting across the loss, and seq across the offset restart.
      expect(expectConsecutive(received.map(payloadId), 1)).toBeNull();
      expect(
        expectConsecutive(
          received.map((m) => m.seq),
          1,
        ),
      ).toBeNull();
      expect(received).toHaveLength(sent);

      const { resets } = runtime.status();
      expect(resets).toEqual([
        expect.objectContaining({
          id: 1,
          partitionId: 0,
          lostFrom: '0',
          lostTo: String(before - 1),
          lostCount: String(before),
          exact: true,
          cause: RESET_CAUSE,
          afterSeq: before,
        }),
      ]);
      expect(Number.isNaN(Date.parse(resets[0]!.noticedAt))).toBe(false);
    });

    it('crash with loss noticed before any new send: 3 new sends are read as offsets 0, 1, 2', async () => {
      const started = startRuntime(testConfig(target));
      open.push(started.runtime);
      const { runtime, received } = started;
      const events: unknown[] = [];
      runtime.subscribe((event) => {
        if (event.type === 'reset') events.push(event.reset);
      });
      const before = await produceAndDrain(runtime, received, 5);

      await target.crash();
      await target.start();
      // A poll reply may reveal it first as "at least 1–N" (it cannot tell an empty partition from offset 0);
      // the consumer's topic read right after makes it exact, under the same id.
      await waitFor('the exact reset event', () => runtime.status().resets[0]?.exact === true, 20_000);
      expect(runtime.status().resets).toEqual([
        expect.objectContaining({ id: 1, lostFrom: '0', lostTo: String(before - 1), afterSeq: before }),
      ]);
      expect(events.length).toBeGreaterThanOrEqual(1);
      await runtime.startProducer({ ratePerSec: 40 });
      await waitFor('3 messages after the crash', () => received.length >= before + 3, 20_000);
      await runtime.stopProducer();
      await runtime.whenIdle();
      expect(received.slice(before, before + 3).map((m) => m.offset)).toEqual(['0', '1', '2']);
      expect(received.slice(before, before + 3).map(payloadId)).toEqual([before + 1, before + 2, before + 3]);
      expect(runtime.status().resets).toHaveLength(1);
    });

    it('a graceful restart: no reset event, no loss, offsets and ids simply continue', async () => {
      const started = startRuntime(testConfig(target));
      open.push(started.runtime);
      const { runtime, received } = started;
      const before = await produceAndDrain(runtime, received, 5);
      await target.shutdown();
      await target.start();
      const sent = await produceAndDrain(runtime, received, before + 3);
      expect(received).toHaveLength(sent);
      expect(
        expectConsecutive(
          received.map((m) => BigInt(m.offset)),
          0n,
        ),
      ).toBeNull();
      expect(expectConsecutive(received.map(payloadId), 1)).toBeNull();
      expect(runtime.status().resets).toEqual([]);
    });

    it('IGGY_TOPIC_DURABILITY=persisted: a crash loses nothing and reports nothing', async () => {
      const started = startRuntime(testConfig(target, { IGGY_TOPIC_DURABILITY: 'persisted' }));
      open.push(started.runtime);
      const { runtime, received } = started;
      const before = await produceAndDrain(runtime, received, 5);
      await target.crash();
      await target.start();
      const sent = await produceAndDrain(runtime, received, before + 3);
      expect(received).toHaveLength(sent);
      expect(
        expectConsecutive(
          received.map((m) => BigInt(m.offset)),
          0n,
        ),
      ).toBeNull();
      expect(runtime.status().resets).toEqual([]);
    });
  },
);

describe.skipIf(Boolean(process.env.IGGY_TEST_URL?.trim()))('DemoRuntime against an edge build', () => {
  let edge: IggyTarget;
  beforeAll(async () => {
    edge = await acquireIggy({ topicOptionsFlavor: 'edge', serverVersion: '0.9.0-edge.5' });
  });
  afterAll(async () => {
    await edge?.close();
  });

  it('IGGY_TOPIC_DURABILITY on a server without the option: the producer stops and says why; no topic', async () => {
    const started = startRuntime(testConfig(edge, { IGGY_TOPIC_DURABILITY: 'persisted' }));
    open.push(started.runtime);
    const { runtime } = started;
    await runtime.startProducer();
    await waitFor('the producer to give up', () => runtime.status().producer.lastError !== undefined);
    await runtime.whenIdle();
    const { producer } = runtime.status();
    expect(producer.running).toBe(false);
    expect(producer.sent).toBe(0);
    expect(producer.lastError).toMatchObject({ code: 'DURABILITY_UNSUPPORTED' });
    expect(producer.lastError!.message).toMatch(
      /version 0\.9\.0-edge\.5.*does not support the topic option durability/,
    );
    await expect(runtime.topology()).rejects.toMatchObject({ code: 'TOPIC_NOT_FOUND' });
  });
});
