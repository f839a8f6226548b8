import { describe, expect, it } from 'vitest';
import { ClusterTracker, type ClusterEvent } from '@/lib/iggy/cluster/cluster-events';
import { ClusterRouter } from '@/lib/iggy/cluster/cluster-router';
import { DEFAULT_CLUSTER } from '@/lib/iggy/cluster/options';
import { Roster, type NodeAddress } from '@/lib/iggy/cluster/roster';
import { SessionLink } from '@/lib/iggy/cluster/session-link';
import { IggyError, IggyErrorCode, disconnectedError, serverError } from '@/lib/iggy/errors';
import type { ExecuteOptions, RequestKind, Session } from '@/lib/iggy/session';

const SEND: RequestKind = { plane: 'partition', operation: 160 };
const POLL: RequestKind = { plane: 'read', code: 100 };
const PORTS = [18090, 18091, 18092];
const address = (port: number) => `127.0.0.1:${port}`;

/** The read 12 reply, written out by its layout: name, count, then per node name, ip, 4 ports, role, status. */
function metadataBytes(leaderPort: number): Buffer {
  const parts: Buffer[] = [];
  const str = (text: string) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(Buffer.byteLength(text));
    parts.push(b, Buffer.from(text));
  };
  str('demo-cluster');
  const count = Buffer.alloc(4);
  count.writeUInt32LE(PORTS.length);
  parts.push(count);
  PORTS.forEach((port, i) => {
    str(`node-${i}`);
    str('127.0.0.1');
    const rest = Buffer.alloc(10);
    rest.writeUInt16LE(port, 0);
    rest.writeUInt8(port === leaderPort ? 0 : 1, 8);
    parts.push(rest);
  });
  return Buffer.concat(parts);
}

type Behaviour = (kind: RequestKind, track: { written: boolean } | undefined) => Promise<Buffer>;

/** A session on one node whose answers the test scripts; it records every request it was asked to run. */
function fakeSession(
  port: number,
  cluster: { leader: number },
  onWrite: Behaviour,
): Session & { calls: RequestKind[] } {
  const calls: RequestKind[] = [];
  const session = {
    calls,
    connection: { address: address(port) },
    execute: async (kind: RequestKind, _body: Buffer, _describe: string, options: ExecuteOptions = {}) => {
      calls.push(kind);
      if (kind.plane === 'read' && kind.code === 12) return metadataBytes(cluster.leader);
      return onWrite(kind, options.track);
    },
  };
  return session as unknown as Session & { calls: RequestKind[] };
}

function setup(start: Session, dialed: Record<number, Session> = {}) {
  const roster = new Roster(PORTS.map((port) => ({ host: '127.0.0.1', port, address: address(port) })));
  const tracker = new ClusterTracker(roster, () => 0);
  const events: ClusterEvent[] = [];
  tracker.on((e) => events.push(e));
  const keeper = {
    current: start,
    ready: async () => keeper.current,
    replaceSession: (session: Session) => {
      keeper.current = session;
    },
    call: async (): Promise<Buffer> => {
      throw new Error('a cluster call must not take the single-node path');
    },
  };
  const dials: string[] = [];
  const dialer = async (node: NodeAddress) => {
    dials.push(node.address);
    const session = dialed[node.port];
    if (!session)
      throw new IggyError({ code: IggyErrorCode.ConnectFailed, kind: 'connect', message: 'refused' });
    return new SessionLink(session);
  };
  const router = new ClusterRouter({
    keeper: keeper as never,
    tracker,
    dialer,
    settings: { ...DEFAULT_CLUSTER, failoverDeadlineMs: 5_000 },
    clock: { now: Date.now, sleep: async () => undefined },
    closed: () => false,
  });
  return { router, keeper, tracker, roster, events, dials };
}

async function asCluster(roster: Roster, tracker: ClusterTracker, at: Session): Promise<void> {
  roster.update(await new SessionLink(at).readMetadata());
  tracker.adopted(at.connection.address, 'connect');
}

const ok = async () => Buffer.from('ok');

describe('ClusterRouter', () => {
  it('reports a write whose reply was lost as outcome-unknown and does not send it again', async () => {
    const cluster = { leader: 18090 };
    const primary = fakeSession(18090, cluster, async (_kind, track) => {
      if (track) track.written = true;
      throw disconnectedError('connection reset by peer');
    });
    const { router, roster, tracker } = setup(primary);
    await asCluster(roster, tracker, primary);
    const error = await router.call(SEND, Buffer.alloc(0), 'send messages').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IggyError);
    expect((error as IggyError).kind).toBe('outcome-unknown');
    expect((error as IggyError).code).toBe(IggyErrorCode.OutcomeUnknown);
    expect(primary.calls.filter((k) => k === SEND)).toHaveLength(1);
  });

  it('passes a lost read on as disconnected (the caller re-checks, e.g. the consumer gap check)', async () => {
    const cluster = { leader: 18090 };
    const primary = fakeSession(18090, cluster, async (_kind, track) => {
      if (track) track.written = true;
      throw disconnectedError('connection reset by peer');
    });
    const { router, roster, tracker } = setup(primary);
    await asCluster(roster, tracker, primary);
    const error = (await router
      .call(POLL, Buffer.alloc(0), 'poll messages')
      .catch((e: unknown) => e)) as IggyError;
    expect(error.kind).toBe('disconnected');
  });

  it('runs a call that never reached the wire on the new primary', async () => {
    const cluster = { leader: 18090 };
    const old = fakeSession(18090, cluster, async () => {
      throw disconnectedError('connection to 127.0.0.1:18090 was lost'); // queued: never written
    });
    const next = fakeSession(18091, cluster, ok);
    const { router, roster, tracker, keeper } = setup(old);
    await asCluster(roster, tracker, old);
    const ready = keeper.ready;
    let readies = 0;
    keeper.ready = async () => (++readies > 1 ? next : ready());
    const reply = await router.call(SEND, Buffer.alloc(0), 'send messages');
    expect(reply.toString()).toBe('ok');
    expect(next.calls).toEqual([SEND]);
  });

  it('moves from a follower that refuses with 58 to the leader the metadata names, and resends there', async () => {
    const cluster = { leader: 18090 };
    const follower = fakeSession(18091, cluster, async () => {
      throw serverError(IggyErrorCode.TransientNotAccepted, 'send messages');
    });
    const leader = fakeSession(18090, cluster, ok);
    const { router, roster, tracker, keeper, events, dials } = setup(follower, { 18090: leader });
    roster.update(await new SessionLink(follower).readMetadata());
    tracker.adopted(address(18091), 'connect');
    const reply = await router.call(SEND, Buffer.alloc(0), 'send messages');
    expect(reply.toString()).toBe('ok');
    expect(keeper.current).toBe(leader);
    expect(dials).toEqual([address(18090)]);
    expect(events.at(-1)).toMatchObject({
      type: 'primary-changed',
      why: 'redirect',
      primary: { name: 'node-0' },
    });
  });

  it('offers a write the metadata leader refuses to the other nodes and stays where it was accepted', async () => {
    const cluster = { leader: 18091 };
    const refuse = async () => {
      throw serverError(IggyErrorCode.TransientNotAccepted, 'send messages');
    };
    const metadataLeader = fakeSession(18091, cluster, refuse);
    const node2 = fakeSession(18092, cluster, refuse);
    const partitionPrimary = fakeSession(18090, cluster, ok);
    const { router, roster, tracker, keeper, events } = setup(metadataLeader, {
      18090: partitionPrimary,
      18092: node2,
    });
    await asCluster(roster, tracker, metadataLeader);
    const reply = await router.call(SEND, Buffer.alloc(0), 'send messages');
    expect(reply.toString()).toBe('ok');
    expect(keeper.current).toBe(partitionPrimary);
    expect(partitionPrimary.calls).toEqual([SEND]);
    expect(events.at(-1)).toMatchObject({ type: 'primary-changed', why: 'partition-primary' });
  });

  it('leaves a single node to the keeper exactly as before', async () => {
    const single = fakeSession(18090, { leader: 18090 }, ok);
    const { router, keeper } = setup(single);
    let plain = 0;
    keeper.call = async () => {
      plain++;
      return Buffer.from('plain');
    };
    expect((await router.call(SEND, Buffer.alloc(0), 'send messages')).toString()).toBe('plain');
    expect(plain).toBe(1);
  });
});
