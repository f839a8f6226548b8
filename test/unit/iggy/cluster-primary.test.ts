import { describe, expect, it } from 'vitest';
import { ClusterTracker, type ClusterEvent } from '@/lib/iggy/cluster/cluster-events';
import { findPrimary, type FinderClock, type NodeLink } from '@/lib/iggy/cluster/primary-finder';
import { Roster, type NodeAddress } from '@/lib/iggy/cluster/roster';
import { offerWriteElsewhere } from '@/lib/iggy/cluster/write-redirect';
import {
  IggyError,
  IggyErrorCode,
  connectError,
  disconnectedError,
  evictionError,
  EvictionReason,
  outcomeUnknownError,
  serverError,
} from '@/lib/iggy/errors';
import type { ClusterMetadata } from '@/lib/iggy/wire/commands/cluster';

/** Time moves only when someone sleeps (or a dial is slow): no real timers anywhere. */
class FakeClock implements FinderClock {
  t = 0;
  now = () => this.t;
  sleep = async (ms: number) => {
    this.t += ms;
  };
}

const addr = (port: number): NodeAddress => ({ host: '127.0.0.1', port, address: `127.0.0.1:${port}` });

interface FakeNode {
  name: string;
  port: number;
  up: boolean;
  /** An older build: read 12 answers status 3. */
  noMetadata?: boolean;
}

/**
 * A scripted VSR cluster: one leader; killing it makes the survivors name the next replica leader once the
 * heartbeat timeout has passed (until then they keep naming the dead one, as a real cluster does).
 */
class FakeCluster {
  readonly clock = new FakeClock();
  readonly dials: string[] = [];
  leader = 0;
  #viewChangeAt: number | undefined;
  password = 'right';

  constructor(
    readonly nodes: FakeNode[],
    public heartbeatMs = 5_000,
    readonly name = 'demo-cluster',
  ) {}

  kill(index: number): void {
    this.nodes[index]!.up = false;
    if (index === this.currentLeader()) this.#viewChangeAt = this.clock.now() + this.heartbeatMs;
  }

  currentLeader(): number {
    if (this.#viewChangeAt !== undefined && this.clock.now() >= this.#viewChangeAt) {
      let next = (this.leader + 1) % this.nodes.length;
      while (!this.nodes[next]!.up) next = (next + 1) % this.nodes.length;
      this.leader = next;
      this.#viewChangeAt = undefined;
    }
    return this.leader;
  }

  metadata(): ClusterMetadata {
    const leader = this.currentLeader();
    return {
      name: this.name,
      nodes: this.nodes.map((n, i) => ({
        name: n.name,
        ip: '127.0.0.1',
        tcpPort: n.port,
        quicPort: 0,
        httpPort: 0,
        websocketPort: 0,
        address: `127.0.0.1:${n.port}`,
        role: i === leader ? 'leader' : 'follower',
        // Filled from configuration: a dead node still reads healthy.
        reportedStatus: 'healthy',
      })),
    };
  }

  dial = async (node: NodeAddress): Promise<FakeLink> => {
    this.dials.push(node.address);
    const target = this.nodes.find((n) => n.port === node.port);
    if (!target || !target.up) throw connectError(`could not connect to ${node.address}: ECONNREFUSED`);
    if (this.password !== 'right') throw evictionError(EvictionReason.InvalidCredentials);
    return new FakeLink(this, target, node.address);
  };
}

class FakeLink implements NodeLink {
  closed = false;
  constructor(
    readonly cluster: FakeCluster,
    readonly node: FakeNode,
    readonly address: string,
  ) {}

  async readMetadata(): Promise<ClusterMetadata> {
    if (!this.node.up) throw disconnectedError('connection reset');
    if (this.node.noMetadata) throw serverError(IggyErrorCode.InvalidCommand, 'get cluster metadata');
    if (this.cluster.nodes.length === 1) return { ...this.cluster.metadata(), name: 'single-node' };
    return this.cluster.metadata();
  }

  close(): void {
    this.closed = true;
  }
}

const threeNodes = () =>
  new FakeCluster([
    { name: 'node-0', port: 18090, up: true },
    { name: 'node-1', port: 18091, up: true },
    { name: 'node-2', port: 18092, up: true },
  ]);

const seedsOf = (cluster: FakeCluster) => cluster.nodes.map((n) => addr(n.port));

async function rejection(promise: Promise<unknown>): Promise<IggyError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(IggyError);
    return error as IggyError;
  }
  throw new Error('expected a rejection');
}

describe('findPrimary', () => {
  it('moves from a follower seed to the leader the metadata names, and checks the leader agrees', async () => {
    const cluster = threeNodes();
    const roster = new Roster([addr(18091), addr(18092)]);
    const found = await findPrimary(roster, cluster.dial, { deadlineAtMs: 30_000, clock: cluster.clock });
    expect(found.link.address).toBe('127.0.0.1:18090');
    expect(cluster.dials).toEqual(['127.0.0.1:18091', '127.0.0.1:18090']);
    expect(roster.isCluster).toBe(true);
    expect(roster.nodes.map((n) => n.name)).toEqual(['node-0', 'node-1', 'node-2']);
    expect(cluster.clock.t).toBe(0);
  });

  it('stays on a single node, reading its metadata once', async () => {
    const cluster = new FakeCluster([{ name: 'node-0', port: 8090, up: true }]);
    const roster = new Roster([addr(8090)]);
    const found = await findPrimary(roster, cluster.dial, { deadlineAtMs: 30_000, clock: cluster.clock });
    expect(found.link.address).toBe('127.0.0.1:8090');
    expect(found.metadata?.name).toBe('single-node');
    expect(roster.isCluster).toBe(false);
    expect(cluster.dials).toEqual(['127.0.0.1:8090']);
  });

  it('treats a node that answers read 12 with an error (an older build) as a single node', async () => {
    const cluster = new FakeCluster([{ name: 'old', port: 8090, up: true, noMetadata: true }]);
    const roster = new Roster([addr(8090)]);
    const found = await findPrimary(roster, cluster.dial, { deadlineAtMs: 30_000, clock: cluster.clock });
    expect(found.metadata).toBeUndefined();
    expect(found.link.address).toBe('127.0.0.1:8090');
    expect(roster.metadata).toBeUndefined();
  });

  it('after the leader dies, waits for the view change and finds the new primary', async () => {
    const cluster = threeNodes();
    const roster = new Roster(seedsOf(cluster));
    await findPrimary(roster, cluster.dial, { deadlineAtMs: 30_000, clock: cluster.clock });
    cluster.dials.length = 0;
    cluster.kill(0);

    const found = await findPrimary(roster, cluster.dial, {
      deadlineAtMs: cluster.clock.now() + 30_000,
      clock: cluster.clock,
      lastResort: '127.0.0.1:18090',
    });
    expect(found.link.address).toBe('127.0.0.1:18091');
    // The survivors kept naming node-0 until the heartbeat timeout: found after it, not long after.
    expect(cluster.clock.t).toBeGreaterThanOrEqual(5_000);
    expect(cluster.clock.t).toBeLessThan(7_000);
    // Every round dials the dead leader at most once, however many followers name it.
    const rounds = cluster.dials.join(' ').split('127.0.0.1:18091').length - 1;
    const deadDials = cluster.dials.filter((a) => a === '127.0.0.1:18090').length;
    expect(deadDials).toBeLessThanOrEqual(rounds + 1);
    expect(found.metadata?.nodes.find((n) => n.role === 'leader')?.name).toBe('node-1');
  });

  it('gives up at the deadline with NoPrimary, saying what each node did', async () => {
    const cluster = threeNodes();
    const roster = new Roster(seedsOf(cluster));
    await findPrimary(roster, cluster.dial, { deadlineAtMs: 30_000, clock: cluster.clock });
    // A leader that never comes back and a cluster that never elects another (a quorum is missing).
    cluster.heartbeatMs = Infinity;
    cluster.kill(0);
    cluster.kill(1);
    const start = cluster.clock.now();
    const error = await rejection(
      findPrimary(roster, cluster.dial, { deadlineAtMs: start + 10_000, clock: cluster.clock }),
    );
    expect(error.code).toBe(IggyErrorCode.NoPrimary);
    expect(error.kind).toBe('connect');
    expect(error.message).toMatch(/node-0 \(127\.0\.0\.1:18090\) is named leader by 127\.0\.0\.1:18092/);
    expect(error.message).toMatch(/127\.0\.0\.1:18091: could not connect/);
    expect(cluster.clock.now() - start).toBeGreaterThanOrEqual(10_000);
    expect(cluster.clock.now() - start).toBeLessThanOrEqual(10_000);
  });

  it('stops at once on a wrong password instead of trying every node until the deadline', async () => {
    const cluster = threeNodes();
    cluster.password = 'wrong';
    const error = await rejection(
      findPrimary(new Roster(seedsOf(cluster)), cluster.dial, { deadlineAtMs: 30_000, clock: cluster.clock }),
    );
    expect(error.kind).toBe('eviction');
    expect(cluster.dials).toHaveLength(1);
  });

  it('with one round, passes a single dead address its own connect error unchanged', async () => {
    const cluster = new FakeCluster([{ name: 'node-0', port: 8090, up: false }]);
    const error = await rejection(
      findPrimary(new Roster([addr(8090)]), cluster.dial, {
        deadlineAtMs: 30_000,
        clock: cluster.clock,
        rounds: 1,
      }),
    );
    expect(error.code).toBe(IggyErrorCode.ConnectFailed);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(cluster.clock.t).toBe(0);
  });

  it('passes over a node whose metadata names no leader', async () => {
    const cluster = threeNodes();
    const roster = new Roster([addr(18092), addr(18091)]);
    let calls = 0;
    const dial = async (node: NodeAddress) => {
      const link = await cluster.dial(node);
      const read = link.readMetadata.bind(link);
      link.readMetadata = async () => {
        const metadata = await read();
        // node-2 is mid view change the first time it is asked.
        if (node.port === 18092 && calls++ === 0)
          return { ...metadata, nodes: metadata.nodes.map((n) => ({ ...n, role: 'follower' as const })) };
        return metadata;
      };
      return link;
    };
    const found = await findPrimary(roster, dial, { deadlineAtMs: 30_000, clock: cluster.clock });
    expect(found.link.address).toBe('127.0.0.1:18090');
  });
});

describe('Roster.candidates', () => {
  it('tries the leader first, then the listed nodes, then unlisted seeds; failed nodes and the lost primary last', () => {
    const cluster = threeNodes();
    const roster = new Roster([addr(18092), addr(9999)]);
    roster.update(cluster.metadata());
    expect(roster.candidates().map((n) => n.port)).toEqual([18090, 18091, 18092, 9999]);
    roster.noteFailure('127.0.0.1:18091', 10);
    expect(roster.candidates('127.0.0.1:18090').map((n) => n.port)).toEqual([18092, 9999, 18091, 18090]);
    roster.noteSuccess('127.0.0.1:18091');
    expect(roster.candidates().map((n) => n.port)).toEqual([18090, 18091, 18092, 9999]);
  });
});

describe('offerWriteElsewhere', () => {
  const refused = () => serverError(IggyErrorCode.TransientNotAccepted, 'send messages');

  it('offers a refused write to the other nodes until one accepts it, skipping dead ones', async () => {
    const cluster = threeNodes();
    cluster.kill(1);
    const tried: string[] = [];
    const accepted = await offerWriteElsewhere(
      [addr(18091), addr(18092), addr(18090)],
      cluster.dial,
      async (link) => {
        tried.push(link.address);
        if (link.address === '127.0.0.1:18092') throw refused();
        return 'stored';
      },
    );
    expect(tried).toEqual(['127.0.0.1:18092', '127.0.0.1:18090']);
    expect(accepted?.value).toBe('stored');
    expect(accepted?.link.address).toBe('127.0.0.1:18090');
    expect(accepted?.link.closed).toBe(false);
  });

  it('answers undefined when every node refuses, closing each link', async () => {
    const cluster = threeNodes();
    const links: FakeLink[] = [];
    const accepted = await offerWriteElsewhere(seedsOf(cluster), cluster.dial, async (link) => {
      links.push(link);
      throw refused();
    });
    expect(accepted).toBeUndefined();
    expect(links.map((l) => l.closed)).toEqual([true, true, true]);
  });

  it('stops at an outcome-unknown: offering it again could store it twice', async () => {
    const cluster = threeNodes();
    let offers = 0;
    const error = await rejection(
      offerWriteElsewhere(seedsOf(cluster), cluster.dial, async () => {
        offers++;
        throw outcomeUnknownError('send messages', disconnectedError('connection reset'));
      }),
    );
    expect(error.kind).toBe('outcome-unknown');
    expect(error.code).toBe(IggyErrorCode.OutcomeUnknown);
    expect(offers).toBe(1);
  });
});

describe('ClusterTracker', () => {
  it('announces the roster, the loss and the new primary with the time without one', () => {
    const cluster = threeNodes();
    const roster = new Roster(seedsOf(cluster));
    const tracker = new ClusterTracker(roster, cluster.clock.now);
    const events: ClusterEvent[] = [];
    tracker.on((e) => events.push(e));
    roster.update(cluster.metadata());
    tracker.rosterChanged();
    tracker.adopted('127.0.0.1:18090', 'connect');
    cluster.clock.t = 1_000;
    tracker.lost(disconnectedError('connection reset'));
    tracker.lost(disconnectedError('still gone')); // one loss, one event
    cluster.clock.t = 6_250;
    tracker.adopted('127.0.0.1:18091', 'connect');
    expect(events.map((e) => e.type)).toEqual([
      'roster',
      'primary-changed',
      'primary-lost',
      'primary-changed',
    ]);
    expect(events[3]).toEqual({
      type: 'primary-changed',
      why: 'failover',
      previous: { name: 'node-0', address: '127.0.0.1:18090' },
      primary: { name: 'node-1', address: '127.0.0.1:18091' },
      lostAtMs: 1_000,
      noPrimaryMs: 5_250,
      atMs: 6_250,
    });
    expect(tracker.snapshot()?.primary).toEqual({ name: 'node-1', address: '127.0.0.1:18091' });
  });

  it('stays silent for a single node, and has no snapshot', () => {
    const cluster = new FakeCluster([{ name: 'node-0', port: 8090, up: true }]);
    const roster = new Roster([addr(8090)]);
    const tracker = new ClusterTracker(roster, cluster.clock.now);
    const events: ClusterEvent[] = [];
    tracker.on((e) => events.push(e));
    roster.update(cluster.metadata());
    tracker.rosterChanged();
    tracker.adopted('127.0.0.1:8090', 'connect');
    tracker.lost(disconnectedError('connection reset'));
    tracker.adopted('127.0.0.1:8090', 'connect');
    expect(events).toEqual([]);
    expect(tracker.snapshot()).toBeUndefined();
  });
});
