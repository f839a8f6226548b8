/**
 * IggyGroupConsumer over real sockets. Runs unchanged against a real server (IGGY_TEST_URL): nothing here
 * depends on which member gets which partition (the servers deal them out differently), only on delivery:
 * exactly once while membership is stable, nothing lost across joins, leaves and reconnects, and duplicates
 * only where a rebalance can explain them and the consumers counted them.
 */
import { type Server, type Socket, connect, createServer } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { acquireIggy, uniqueName, type IggyTarget } from '@/test/support/harness';
import {
  IggyGroupConsumer,
  Partitioning,
  parseIggyUrl,
  type GroupAssignmentEvent,
  type GroupConsumerOptions,
  type IggyClient,
} from '@/lib/iggy';
import { connectedClient, makeClient, waitFor } from './clients';

const target: IggyTarget = await acquireIggy();
afterAll(async () => {
  await target.close();
});

const GROUP = 'workers';
const running: IggyGroupConsumer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((m) => m.close()));
});

interface Topic {
  stream: string;
  partitions: number;
  admin: IggyClient;
  cleanup(): Promise<void>;
}

async function groupTopic(partitions: number): Promise<Topic> {
  const admin = await connectedClient(target.url);
  const stream = (await admin.createStream(uniqueName('cg'))).name;
  await admin.createTopic({ streamId: stream, name: 'topic', partitionsCount: partitions });
  return { stream, partitions, admin, cleanup: () => admin.deleteStream(stream) };
}

/** One member on its own connection, consuming into `received`. */
class Member {
  readonly received: string[] = [];
  readonly events: GroupAssignmentEvent[] = [];
  readonly consumer: IggyGroupConsumer;
  loop: Promise<void> | undefined;

  constructor(topic: Topic, url: string, options: Partial<GroupConsumerOptions>) {
    const client = makeClient(url, { reconnect: { initialDelayMs: 50, maxDelayMs: 500 } });
    this.consumer = new IggyGroupConsumer(client, {
      streamId: topic.stream,
      topicId: 'topic',
      group: GROUP,
      createGroup: true,
      syncIntervalMs: 250,
      pollIntervalMs: 20,
      batchSize: 7,
      requestTimeoutMs: 5_000,
      ...options,
    });
    this.consumer.onAssignment((e) => this.events.push(e));
    running.push(this.consumer);
  }

  async start(): Promise<this> {
    await this.consumer.start();
    this.loop = this.consumer.consume((batch) => {
      for (const m of batch.messages) {
        // A message may only come from a partition this member polled by explicit id.
        expect(m.partitionId).toBe(batch.partitionId);
        this.received.push(m.payload.toString());
      }
    });
    this.loop.catch(() => undefined); // inspected through close() and the counters
    return this;
  }

  /** Deliveries this member can explain as rebalance side effects. */
  get counted(): number {
    const s = this.consumer.state;
    return s.redelivered + s.abandonedMessages;
  }
}

async function members(
  topic: Topic,
  count: number,
  options: Partial<GroupConsumerOptions> = {},
  url = target.url,
): Promise<Member[]> {
  // Started together: concurrent "create group" calls must all count as success.
  return Promise.all(Array.from({ length: count }, () => new Member(topic, url, options).start()));
}

/**
 * Every member synced, the partitions split among them with none shared and none left over, and nobody idle
 * while there are enough partitions to go round.
 */
function settled(group: Member[], partitions: number): boolean {
  const views = group.map((m) => m.consumer.state);
  if (views.some((v) => !v.member)) return false;
  if (group.length <= partitions && views.some((v) => v.partitions.length === 0)) return false;
  const all = views.flatMap((v) => v.partitions);
  return all.length === partitions && new Set(all).size === partitions;
}

async function waitSettled(group: Member[], partitions: number): Promise<void> {
  await waitFor(() => settled(group, partitions), 45_000, 'a settled assignment');
}

/** Sends `count` messages in batches of 10, balanced, so every partition gets some; returns their payloads. */
async function produce(
  topic: Topic,
  prefix: string,
  count: number,
  between?: (batch: number) => Promise<void>,
) {
  const payloads: string[] = [];
  for (let batch = 0; batch * 10 < count; batch++) {
    await between?.(batch);
    const messages = Array.from({ length: Math.min(10, count - batch * 10) }, (_, i) => {
      const payload = `${prefix}-${batch * 10 + i}`;
      payloads.push(payload);
      return { payload };
    });
    await topic.admin.sendMessages({
      streamId: topic.stream,
      topicId: 'topic',
      partitioning: Partitioning.balanced(),
      messages,
    });
  }
  return payloads;
}

function deliveries(group: Member[]): string[] {
  return group.flatMap((m) => m.received);
}

async function waitAllReceived(group: Member[], expected: string[]): Promise<void> {
  const wanted = new Set(expected);
  await waitFor(
    () => {
      const got = new Set(deliveries(group));
      return [...wanted].every((p) => got.has(p));
    },
    45_000,
    `all ${expected.length} messages`,
  );
}

function duplicatesOf(list: string[]): number {
  return list.length - new Set(list).size;
}

/**
 * Everything delivered was also stored: a fresh member, alone in the group, resumes after the last message of
 * every partition, so a marker sent to each partition is all it receives.
 */
async function expectGroupResumesAtTheEnd(topic: Topic): Promise<void> {
  const markers: string[] = [];
  for (let partitionId = 0; partitionId < topic.partitions; partitionId++) {
    markers.push(`end-${partitionId}`);
    await topic.admin.sendMessages({
      streamId: topic.stream,
      topicId: 'topic',
      partitioning: Partitioning.partitionId(partitionId),
      messages: [{ payload: `end-${partitionId}` }],
    });
  }
  const [fresh] = await members(topic, 1);
  await waitAllReceived([fresh!], markers);
  await fresh!.consumer.close();
  expect([...fresh!.received].sort()).toEqual(markers.sort());
}

/** A TCP relay in front of the server whose connections a test can cut: a reconnect on any server. */
async function startRelay(upstreamUrl: string) {
  const upstream = parseIggyUrl(upstreamUrl);
  const sockets = new Set<Socket>();
  const relay: Server = createServer((inbound) => {
    const outbound = connect(upstream.port, upstream.host);
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
      sockets.delete(inbound);
      sockets.delete(outbound);
    };
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', drop);
      s.on('close', drop);
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const port = (relay.address() as { port: number }).port;
  const credentials = `${encodeURIComponent(upstream.username)}:${encodeURIComponent(upstream.password)}`;
  return {
    url: `iggy://${credentials}@127.0.0.1:${port}`,
    cut: () => {
      for (const s of [...sockets]) s.destroy();
    },
    close: async () => {
      for (const s of [...sockets]) s.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}

describe.each([
  { mode: 'auto-commit', autoCommit: true },
  { mode: 'manual commit', autoCommit: false },
])('consumer group, $mode', ({ autoCommit }) => {
  it.each([
    { count: 2, partitions: 4 },
    { count: 3, partitions: 5 },
  ])(
    '$count members on $partitions partitions receive every message exactly once',
    async ({ count, partitions }) => {
      const topic = await groupTopic(partitions);
      try {
        const group = await members(topic, count, { autoCommit });
        await waitSettled(group, partitions);
        const sent = await produce(topic, 'stable', 200);
        await waitAllReceived(group, sent);
        await Promise.all(group.map((m) => m.consumer.close()));

        const all = deliveries(group);
        expect(all.sort()).toEqual([...sent].sort());
        expect(group.every((m) => m.received.length > 0)).toBe(true);
        expect(group.map((m) => m.consumer.state.redelivered)).toEqual(group.map(() => 0));
        await expectGroupResumesAtTheEnd(topic);
      } finally {
        await topic.cleanup();
      }
    },
  );

  it('members joining and leaving mid-stream lose nothing; duplicates only as counted', async () => {
    const topic = await groupTopic(4);
    try {
      const group = await members(topic, 2, { autoCommit });
      await waitSettled(group, 4);
      const sent = await produce(topic, 'churn', 300, async (batch) => {
        if (batch === 10) group.push(...(await members(topic, 1, { autoCommit })));
        if (batch === 20) await group[0]!.consumer.close();
        await new Promise((r) => setTimeout(r, 15)); // pacing, so rebalances land mid-stream
      });
      await waitAllReceived(group, sent);
      await Promise.all(group.map((m) => m.consumer.close()));

      const all = deliveries(group);
      expect(new Set(all)).toEqual(new Set(sent));
      const counted = group.reduce((sum, m) => sum + m.counted, 0);
      expect(duplicatesOf(all)).toBeLessThanOrEqual(counted);
      expect(group.map((m) => m.received.length > 0)).toEqual([true, true, true]);
      expect(group[0]!.events.at(-1)?.reason).toBe('left');
      await expectGroupResumesAtTheEnd(topic);
    } finally {
      await topic.cleanup();
    }
  }, 120_000);
});

describe('consumer group with more members than partitions', () => {
  it('the extra member stays idle and every message still arrives exactly once', async () => {
    const topic = await groupTopic(2);
    try {
      const group = await members(topic, 3);
      await waitSettled(group, 2);
      const sent = await produce(topic, 'crowded', 60);
      await waitAllReceived(group, sent);
      await Promise.all(group.map((m) => m.consumer.close()));
      expect(deliveries(group).sort()).toEqual([...sent].sort());
      expect(group.map((m) => m.received.length === 0).filter(Boolean)).toHaveLength(1);
      expect(group.every((m) => m.consumer.lastError === undefined)).toBe(true);
    } finally {
      await topic.cleanup();
    }
  });
});

describe('consumer group across reconnects', () => {
  it('a member whose connection drops rejoins as a new client and keeps receiving', async () => {
    const topic = await groupTopic(4);
    const relay = await startRelay(target.url);
    try {
      const [steady] = await members(topic, 1);
      const [relayed] = await members(topic, 1, {}, relay.url);
      const group = [steady!, relayed!];
      await waitSettled(group, 4);
      const before = await produce(topic, 'before', 100);
      await waitAllReceived(group, before);

      relay.cut();
      await waitFor(() => relayed!.consumer.state.joins >= 2, 20_000, 'the relayed member to rejoin');
      await waitSettled(group, 4);
      await waitFor(
        async () => (await topic.admin.getConsumerGroup(topic.stream, 'topic', GROUP))?.membersCount === 2,
        20_000,
        'the old membership to be gone',
      );
      const after = await produce(topic, 'after', 100);
      await waitAllReceived(group, [...before, ...after]);
      await Promise.all(group.map((m) => m.consumer.close()));

      const reasons = relayed!.events.map((e) => e.reason);
      expect(reasons.slice(reasons.indexOf('lost'))).toContain('joined');
      expect(relayed!.received.some((p) => p.startsWith('after'))).toBe(true);
      const all = deliveries(group);
      expect(new Set(all)).toEqual(new Set([...before, ...after]));
      expect(duplicatesOf(all)).toBeLessThanOrEqual(steady!.counted + relayed!.counted);
    } finally {
      await relay.close();
      await topic.cleanup();
    }
  }, 120_000);

  it.skipIf(!target.canKill)(
    'after a graceful server restart every member rejoins and nothing is lost',
    async () => {
      const topic = await groupTopic(4);
      try {
        const group = await members(topic, 2);
        await waitSettled(group, 4);
        const before = await produce(topic, 'before', 60);
        await waitAllReceived(group, before);
        // Graceful: a crash would lose the unflushed journal, as the real server does.
        await target.shutdown();
        await target.start();
        await waitFor(
          () => group.every((m) => m.consumer.state.joins >= 2),
          20_000,
          'every member to rejoin',
        );
        await waitSettled(group, 4);
        const after = await produce(topic, 'after', 60);
        await waitAllReceived(group, [...before, ...after]);
        await Promise.all(group.map((m) => m.consumer.close()));
        const all = deliveries(group);
        expect(new Set(all)).toEqual(new Set([...before, ...after]));
        expect(duplicatesOf(all)).toBeLessThanOrEqual(group.reduce((s, m) => s + m.counted, 0));
      } finally {
        await topic.cleanup();
      }
    },
    120_000,
  );
});
