import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterEvent, ClusterNode, ClusterSnapshot, NodeRef } from '@/lib/iggy';
import { ClusterWatch, MAX_RECENT_FAILOVERS, type WatchedClient } from '@/lib/demo/cluster-watch';
import type { FailoverEvent } from '@/lib/demo/types';

const node = (i: number, leader: number): ClusterNode => ({
  name: `node-${i}`,
  ip: '127.0.0.1',
  tcpPort: 18090 + i,
  quicPort: 0,
  httpPort: 0,
  websocketPort: 0,
  address: `127.0.0.1:${18090 + i}`,
  role: i === leader ? 'leader' : 'follower',
  reportedStatus: 'healthy',
});
const ref = (i: number): NodeRef => ({ name: `node-${i}`, address: `127.0.0.1:${18090 + i}` });

class FakeClient implements WatchedClient {
  cluster: ClusterSnapshot | undefined;
  state = 'connected';
  readonly listeners = new Set<(event: ClusterEvent) => void>();
  onClusterChange(listener: (event: ClusterEvent) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: ClusterEvent) {
    for (const l of this.listeners) l(event);
  }
  workOn(i: number, leader = i) {
    this.cluster = {
      name: 'demo-cluster',
      nodes: [0, 1, 2].map((n) => node(n, leader)),
      primary: ref(i),
      seeds: [],
    };
  }
}

const watches: ClusterWatch[] = [];
afterEach(() => {
  for (const w of watches.splice(0)) w.stop();
});

function setup(probe: (host: string, port: number) => Promise<boolean> = async () => true) {
  const producer = new FakeClient();
  const consumer = new FakeClient();
  const failovers: FailoverEvent[] = [];
  let now = 1_000_000;
  let probes = 0;
  const watch = new ClusterWatch({
    clients: { producer, consumer },
    latestSeq: () => 42,
    onFailover: (f) => failovers.push(f),
    onChange: () => undefined,
    now: () => now,
    probe: async (host, port) => {
      probes++;
      return probe(host, port);
    },
    probeIntervalMs: 20,
  });
  watches.push(watch);
  return {
    watch,
    producer,
    consumer,
    failovers,
    advance: (ms: number) => (now += ms),
    nowMs: () => now,
    probes: () => probes,
  };
}

const roster = (leader: number, atMs = 0): ClusterEvent => ({
  type: 'roster',
  cluster: 'demo-cluster',
  nodes: [0, 1, 2].map((i) => node(i, leader)),
  leader: ref(leader),
  atMs,
});

const settle = () => new Promise((r) => setTimeout(r, 60));

describe('ClusterWatch', () => {
  it('reports nothing and probes nothing for a single node', async () => {
    const { watch, producer, probes } = setup();
    producer.emit({ type: 'roster', cluster: 'single-node', nodes: [node(0, 0)], atMs: 0 });
    await settle();
    expect(watch.status()).toBeUndefined();
    expect(probes()).toBe(0);
  });

  it('lists the nodes with reachability judged by probing, and which loop uses which node', async () => {
    // node-2 reads healthy in the metadata but does not answer.
    const { watch, producer, consumer } = setup(async (_host, port) => port !== 18092);
    producer.workOn(0);
    consumer.workOn(0);
    producer.emit(roster(0));
    expect(watch.status()?.nodes.map((n) => n.reachable)).toEqual([null, null, null]);
    await settle();
    const status = watch.status()!;
    expect(status.name).toBe('demo-cluster');
    expect(status.primary).toBe('node-0');
    expect(status.nodes).toEqual([
      expect.objectContaining({
        name: 'node-0',
        role: 'leader',
        reachable: true,
        usedBy: ['producer', 'consumer'],
      }),
      expect.objectContaining({ name: 'node-1', role: 'follower', reachable: true, usedBy: [] }),
      expect.objectContaining({ name: 'node-2', reportedStatus: 'healthy', reachable: false, usedBy: [] }),
    ]);
  });

  it('names no primary while a failover is looking for one, though the last roster still names the dead node', () => {
    const { watch, producer, consumer, nowMs } = setup();
    producer.workOn(0);
    producer.emit(roster(0));
    for (const client of [producer, consumer]) {
      client.state = 'reconnecting';
      client.emit({ type: 'primary-lost', primary: ref(0), reason: 'reset', code: 90002, atMs: nowMs() });
    }
    const status = watch.status()!;
    expect(status.nodes.find((n) => n.role === 'leader')?.name).toBe('node-0');
    expect(status.primary).toBeUndefined();
    expect(status.nodes.every((n) => n.usedBy.length === 0)).toBe(true);
  });

  it('makes one failover of both loops losing the same primary, counts unknown sends, and closes it with timing', async () => {
    const { watch, producer, consumer, failovers, advance, nowMs } = setup();
    producer.workOn(0);
    producer.emit(roster(0));
    const lostAt = nowMs();
    for (const client of [producer, consumer])
      client.emit({ type: 'primary-lost', primary: ref(0), reason: 'reset', code: 90002, atMs: lostAt });
    watch.noteUnknownOutcome(1);
    advance(5_250);
    producer.workOn(1);
    producer.emit({
      type: 'primary-changed',
      why: 'failover',
      previous: ref(0),
      primary: ref(1),
      lostAtMs: lostAt,
      noPrimaryMs: 5_250,
      atMs: nowMs(),
    });
    consumer.emit({
      type: 'primary-changed',
      why: 'failover',
      previous: ref(0),
      primary: ref(1),
      lostAtMs: lostAt,
      noPrimaryMs: 5_300,
      atMs: nowMs(),
    });
    const status = watch.status()!;
    expect(status.failovers).toEqual([
      {
        id: 1,
        lostPrimary: ref(0),
        lostAt: new Date(lostAt).toISOString(),
        newPrimary: ref(1),
        recoveredAt: new Date(lostAt + 5_250).toISOString(),
        noPrimaryMs: 5_250,
        unknownOutcomeSends: 1,
        afterSeq: 42,
      },
    ]);
    // New, the unknown send, the recovery: each report carries the same id.
    expect(failovers.map((f) => f.id)).toEqual([1, 1, 1]);
    expect(status.nodes.find((n) => n.name === 'node-0')?.reachable).toBe(false);
  });

  it(`keeps the last ${MAX_RECENT_FAILOVERS} failovers`, () => {
    const { watch, producer, nowMs } = setup();
    producer.emit(roster(0));
    for (let i = 0; i < MAX_RECENT_FAILOVERS + 5; i++) {
      const lost = ref(i % 3);
      producer.emit({ type: 'primary-lost', primary: lost, reason: 'reset', code: 90002, atMs: nowMs() });
      producer.emit({
        type: 'primary-changed',
        why: 'failover',
        previous: lost,
        primary: ref((i + 1) % 3),
        lostAtMs: nowMs(),
        atMs: nowMs(),
      });
    }
    const ids = watch.status()!.failovers.map((f) => f.id);
    expect(ids).toHaveLength(MAX_RECENT_FAILOVERS);
    expect(ids[0]).toBe(6);
    expect(ids.at(-1)).toBe(MAX_RECENT_FAILOVERS + 5);
  });

  it('stops probing on stop()', async () => {
    const { watch, producer, probes } = setup();
    producer.emit(roster(0));
    await settle();
    watch.stop();
    const after = probes();
    await settle();
    expect(after).toBeGreaterThan(0);
    expect(probes()).toBe(after);
  });
});
