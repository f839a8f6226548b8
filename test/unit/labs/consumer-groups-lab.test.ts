import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IggyClient } from '@/lib/iggy';
import {
  CONSUMER_GROUPS_MAX_CONNECTIONS,
  CONSUMER_GROUPS_TOPIC,
  ConsumerGroupsLab,
  LAB_GROUP,
} from '@/lib/labs/consumer-groups/lab';
import type { ConsumerGroupsLabState } from '@/lib/labs/consumer-groups/contract';
import type { LabFrame } from '@/lib/labs/contract';
import { startLabs } from './lab-fixture';

let labs: Awaited<ReturnType<typeof startLabs>>;
let lab: ConsumerGroupsLab;
let observer: IggyClient;

const FAST = { syncIntervalMs: 100, pollIntervalMs: 20, settleTimeoutMs: 5_000, disconnectWaitMs: 3_000 };

beforeAll(async () => {
  labs = await startLabs();
  lab = labs.runtime.lab('consumer-groups', (host) => new ConsumerGroupsLab(host, FAST), {
    maxConnections: CONSUMER_GROUPS_MAX_CONNECTIONS,
  });
  observer = IggyClient.fromUrl(labs.target.url, { requestTimeoutMs: 3_000 });
  await observer.connect();
});
afterAll(async () => {
  await observer?.close();
  await labs?.close();
});

async function until(
  what: string,
  predicate: (state: ConsumerGroupsLabState) => boolean,
  timeoutMs = 10_000,
): Promise<ConsumerGroupsLabState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await lab.state();
    if (predicate(state)) return state;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sessions on the server once the sockets the lab closed are gone (a logout is answered before the close). */
async function settledSessions(client: IggyClient): Promise<number> {
  const deadline = Date.now() + 5_000;
  let count = (await client.getClients()).length;
  while (count > 1 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    count = (await client.getClients()).length;
  }
  return count;
}

const requests = (frames: LabFrame[]) =>
  frames.filter((f) => f.kind === 'request').map((f) => `${f.connection}:${f.command}`);
const received = (state: ConsumerGroupsLabState) => state.members.reduce((sum, m) => sum + m.received, 0);
const ownedOnce = (state: ConsumerGroupsLabState) => {
  const owned = state.members.flatMap((m) => m.partitions).sort((a, b) => a - b);
  return owned.length === state.partitions.length && owned.every((p, i) => p === i);
};

describe('the consumer-group lab against an Iggy server', () => {
  it('starts empty: no topic, no members, nothing received', async () => {
    const state = await lab.state();
    expect(state).toMatchObject({
      topic: CONSUMER_GROUPS_TOPIC,
      group: LAB_GROUP,
      topicInfo: null,
      serverGroup: null,
      members: [],
      producer: { running: false, sent: 0 },
      delivery: { received: 0, distinct: 0, duplicatesWithoutRebalance: 0 },
    });
  });

  it('a first member creates the topic and the group, joins, syncs and polls every partition', async () => {
    const add = await lab.addMember();
    expect(add.outcome).toMatchObject({ member: 'A', settled: true });
    expect(add.outcome.assignment).toEqual([{ member: 'A', partitions: [0, 1, 2, 3], generation: '1' }]);
    const sent = requests(add.frames);
    const order = ['lab:CreateTopic', 'member-A:Register (login)', 'member-A:CreateConsumerGroup'];
    for (const command of order) expect(sent).toContain(command);
    const join = sent.indexOf('member-A:JoinConsumerGroup');
    const sync = sent.indexOf('member-A:SyncConsumerGroup');
    expect(join).toBeGreaterThan(sent.indexOf('member-A:Register (login)'));
    expect(sync).toBeGreaterThan(join);
    // Polls are named by partition, and only the first per partition is listed.
    const polls = sent.filter((c) => c.startsWith('member-A:PollMessages'));
    expect(new Set(polls).size).toBe(polls.length);
    expect(polls.every((c) => /\(partition [0-3]\)$/.test(c))).toBe(true);
    expect(add.cli?.command).toMatch(/^iggy consumer-group get labs-\S+ consumer-groups lab-group$/);
    const state = await lab.state();
    expect(state.topicInfo?.partitionsCount).toBe(4);
    expect(state.partitions.map((p) => p.owner)).toEqual(['A', 'A', 'A', 'A']);
    expect(state.serverGroup?.membersCount).toBe(1);
  });

  it('recreates the topic with the partition count asked for; members leave first', async () => {
    const setup = await lab.setup(6);
    expect(setup.outcome).toEqual({ partitions: 6, recreated: true });
    expect(requests(setup.frames)).toContain('member-A:LeaveConsumerGroup');
    const state = await lab.state();
    expect(state.members).toEqual([]);
    expect(state.partitions).toHaveLength(6);
    expect(labs.runtime.host('consumer-groups').connectionCount).toBeLessThanOrEqual(2);
  });

  it('three members share the partitions, each exactly once, and every message arrives once', async () => {
    for (const expected of ['A', 'B', 'C']) {
      const add = await lab.addMember();
      expect(add.outcome.member).toBe(expected);
      expect(add.outcome.settled).toBe(true);
    }
    const second = await lab.state();
    expect(ownedOnce(second)).toBe(true);
    expect(second.members.every((m) => m.partitions.length === 2)).toBe(true);
    expect(second.serverGroup?.membersCount).toBe(3);

    const start = await lab.startProducer(50, 'balanced');
    expect(requests(start.frames)).toContain('producer:SendMessages');
    const flowing = await until('messages on every member', (s) => s.members.every((m) => m.received >= 5));
    expect(flowing.delivery.duplicatesWithoutRebalance).toBe(0);
    expect(flowing.delivery.redeliveredAfterRebalance).toBe(0);
    expect(flowing.delivery.distinct).toBe(received(flowing));
    for (const member of flowing.members) {
      expect(member.lastMessages.length).toBeGreaterThan(0);
      expect(member.lastMessages.every((m) => member.partitions.includes(m.partitionId))).toBe(true);
    }
  });

  it('removing a member deals its partitions to the others, and messages keep flowing', async () => {
    const remove = await lab.removeMember('B');
    expect(remove.outcome.settled).toBe(true);
    expect(requests(remove.frames)).toContain('member-B:LeaveConsumerGroup');
    expect(remove.outcome.assignment.map((a) => a.member)).toEqual(['A', 'C']);
    const after = await lab.state();
    expect(ownedOnce(after)).toBe(true);
    expect(after.serverGroup?.membersCount).toBe(2);
    const before = received(after);
    const later = await until('more messages after the rebalance', (s) => received(s) >= before + 20);
    expect(later.delivery.duplicatesWithoutRebalance).toBe(0);
    expect(later.events[0]).toMatchObject({ kind: 'removed', member: 'B' });
  });

  it('a disconnected member vanishes without leaving; what it held is redelivered and attributed to it', async () => {
    const drop = await lab.disconnectMember('A');
    expect(drop.outcome.heldUncommitted).toBeGreaterThan(0);
    const sent = requests(drop.frames);
    expect(sent.some((c) => c.startsWith('member-A:Leave'))).toBe(false);
    expect(sent.some((c) => c.startsWith('member-C:SyncConsumerGroup'))).toBe(true);
    expect(drop.explanation).toContain('at-least-once');
    const state = await until(
      'the redelivery',
      (s) => s.delivery.redeliveredAfterRebalance >= drop.outcome.heldUncommitted!,
    );
    expect(state.members.map((m) => m.label)).toEqual(['C']);
    expect(state.partitions.every((p) => p.owner === 'C')).toBe(true);
    expect(state.serverGroup?.membersCount).toBe(1);
    const event = state.events.find((e) => e.kind === 'disconnected');
    expect(event).toMatchObject({ member: 'A' });
    expect(event!.redelivered).toBeGreaterThanOrEqual(drop.outcome.heldUncommitted!);
    expect(state.delivery.duplicatesWithoutRebalance).toBe(0);
    expect(state.members[0]!.redelivered).toBeGreaterThan(0);
  });

  it('refuses unknown members and a ninth member, changing nothing', async () => {
    const before = (await lab.state()).members.map((m) => m.label);
    await expect(lab.removeMember('B')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(lab.disconnectMember('H')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await lab.state()).members.map((m) => m.label)).toEqual(before);
    await lab.stopProducer();
    while ((await lab.state()).members.length < 8) await lab.addMember();
    await expect(lab.addMember()).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('8 members'),
    });
    const full = await lab.state();
    expect(full.members).toHaveLength(8);
    expect(full.serverGroup?.membersCount).toBe(8);
    // Six partitions, eight members: two members own nothing, and no partition is polled twice.
    expect(ownedOnce(full)).toBe(true);
  });

  it('reports the group lag per partition, draining to 0 once the producer stops', async () => {
    const drained = await until('lag 0', (s) => s.partitions.every((p) => p.lag === '0'));
    expect(drained.producer.running).toBe(false);
    const withData = drained.partitions.filter((p) => p.currentOffset !== null);
    expect(withData.length).toBeGreaterThan(0);
    for (const p of withData) expect(p.storedOffset).toBe(p.currentOffset);
  });

  it('reset stops the producer, closes every member connection and deletes the topic', async () => {
    await lab.startProducer(20, 'key');
    const reset = await lab.reset();
    expect(reset.outcome).toEqual({ topicDeleted: true, membersClosed: 8 });
    expect(labs.runtime.host('consumer-groups').connectionCount).toBe(0);
    expect(lab.producerRunning).toBe(false);
    expect(lab.memberCount).toBe(0);
    // On the server only the observer is left: no member, producer or admin session lingers.
    expect(await settledSessions(observer)).toBe(1);
    const state = await lab.state();
    expect(state).toMatchObject({ topicInfo: null, members: [], notice: null });
  });
});

describe('the consumer-group lab when its connections go away', () => {
  it('app stop closes members and producer; nothing keeps sending', async () => {
    const own = await startLabs();
    try {
      const other = own.runtime.lab('consumer-groups', (host) => new ConsumerGroupsLab(host, FAST), {
        maxConnections: CONSUMER_GROUPS_MAX_CONNECTIONS,
      });
      await other.addMember();
      await other.addMember();
      await other.startProducer(50, 'balanced');
      await own.runtime.close();
      expect(other.producerRunning).toBe(false);
      expect(other.memberCount).toBe(0);
      const check = IggyClient.fromUrl(own.target.url, { requestTimeoutMs: 3_000 });
      await check.connect();
      try {
        expect(await settledSessions(check)).toBe(1);
        const count = async () =>
          (await check.getTopic(own.streamName, CONSUMER_GROUPS_TOPIC))?.partitions.reduce(
            (sum, p) => sum + p.messagesCount,
            0n,
          );
        const before = await count();
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(await count()).toBe(before);
      } finally {
        await check.close();
      }
    } finally {
      await own.close();
    }
  });

  it('after the idle period the sweep closes members and producer, and says so', async () => {
    let clock = 1_000_000;
    const own = await startLabs({ now: () => clock });
    try {
      const idle = own.runtime.lab('consumer-groups', (host) => new ConsumerGroupsLab(host, FAST), {
        maxConnections: CONSUMER_GROUPS_MAX_CONNECTIONS,
      });
      await idle.addMember();
      await idle.startProducer(10, 'balanced');
      clock += 10 * 60_000;
      expect(await own.runtime.sweepIdle()).toEqual(['consumer-groups']);
      expect(idle.memberCount).toBe(0);
      expect(idle.producerRunning).toBe(false);
      const state = await idle.state();
      expect(state.notice).toMatch(/idle/);
      expect(state.members).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it.skipIf(Boolean(process.env.IGGY_TEST_URL))(
    'when Iggy goes away the members are gone and the page is told; it recovers by itself',
    async () => {
      const own = await startLabs();
      try {
        const lost = own.runtime.lab('consumer-groups', (host) => new ConsumerGroupsLab(host, FAST), {
          maxConnections: CONSUMER_GROUPS_MAX_CONNECTIONS,
        });
        await lost.addMember();
        await lost.startProducer(10, 'balanced');
        await own.target.shutdown();
        const down = await lost.state();
        expect(down.iggy.reachable).toBe(false);
        expect(lost.memberCount).toBe(0);
        expect(lost.producerRunning).toBe(false);
        await own.target.start();
        const up = await lost.state();
        expect(up.iggy.reachable).toBe(true);
        expect(up.notice).not.toBeNull();
        const again = await lost.addMember();
        expect(again.outcome.member).toBe('A');
      } finally {
        await own.close();
      }
    },
  );
});
