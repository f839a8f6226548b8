import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLabsConfig } from '@/lib/labs/config';
import { ClusterLab } from '@/lib/labs/cluster/lab';
import { clusterActionSchema } from '@/lib/labs/cluster/contract';
import { Ledger } from '@/lib/labs/cluster/ledger';
import { LabsRuntime } from '@/lib/labs/runtime';
import { startTestCluster, startTestServer, type TestCluster } from '@/test/support';
import { uniqueName } from '@/test/support/harness';

const HEARTBEAT_MS = 1_500;

function labOn(url: string) {
  const runtime = new LabsRuntime(loadLabsConfig({ IGGY_URL: url, IGGY_LABS_STREAM: uniqueName('labs') }), {
    clientOptions: { connectTimeoutMs: 2_000, requestTimeoutMs: 3_000 },
  });
  const lab = runtime.lab('cluster', (host) => new ClusterLab(host), { maxConnections: 6 });
  return { runtime, lab, host: runtime.host('cluster') };
}

describe('the cluster lab on a three-node test cluster', () => {
  let cluster: TestCluster;
  let env: ReturnType<typeof labOn>;
  beforeAll(async () => {
    // A follower applies the newest commit after the next one or after this interval: long enough that the read
    // right after a send lands inside it on a busy machine, short enough that a new topic reaches the followers.
    cluster = await startTestCluster({
      nodes: 3,
      heartbeatTimeoutMs: HEARTBEAT_MS,
      commitBroadcastIntervalMs: 2_000,
    });
    env = labOn(cluster.url);
  });
  afterAll(async () => {
    await env?.runtime.close();
    await cluster?.stop();
  });

  it('shows the roster: every node, its role, that the app reaches it, and the lab’s connections', async () => {
    const state = await env.lab.state();
    expect(state.iggy.reachable).toBe(true);
    expect(state.seeds).toHaveLength(3);
    expect(state.roster?.stale).toBe(false);
    const nodes = state.roster!.nodes;
    expect(nodes.map((n) => n.name)).toEqual(['node-0', 'node-1', 'node-2']);
    expect(nodes.filter((n) => n.role === 'leader').map((n) => n.name)).toEqual([
      `node-${cluster.primaryIndex()}`,
    ]);
    expect(nodes.every((n) => n.reachable === true)).toBe(true);
    // The state reader is cluster-aware: it works on the primary.
    expect(nodes.find((n) => n.role === 'leader')!.labConnections).toBe(1);
  });

  it('a send to a follower is refused with 58, and the same write on the primary is accepted', async () => {
    const answer = await env.lab.perform({ action: 'writeFollower' });
    if (answer.action !== 'writeFollower') throw new Error('unexpected answer');
    const { follower, primary } = answer.outcome;
    expect(follower.status).toBe(58);
    expect(follower.statusName).toMatch(/TransientNotAccepted/);
    expect(follower.answers).toBeGreaterThanOrEqual(1);
    expect(follower.offset).toBeNull();
    expect(follower.node).not.toBe(`node-${cluster.primaryIndex()}`);
    expect(primary).toEqual({ node: `node-${cluster.primaryIndex()}`, offset: '0' });
    expect(answer.frames.some((f) => f.status === 58 && f.connection === `node:${follower.node}`)).toBe(true);
    expect(answer.cli?.command).toContain(`--tcp-server-address ${follower.address} message send`);
    // Only the primary's write is in the ledger.
    expect((await env.lab.state()).ledger).toMatchObject({ count: 1, firstOffset: '0', lastOffset: '0' });
  });

  it('reads a follower right after a send one step behind the primary', async () => {
    const answer = await env.lab.perform({ action: 'compareRead', count: 5, sendFirst: true });
    if (answer.action !== 'compareRead') throw new Error('unexpected answer');
    const { follower, primary, sentFirst, behindBy } = answer.outcome;
    expect(sentFirst).toBe('1');
    expect(primary.offsets).toEqual(['0', '1']);
    expect(follower.offsets).toEqual(['0']);
    expect(behindBy).toBe(1);
    expect(answer.explanation).toMatch(/1 message behind/);
  });

  it('the ledger check after killing the primary says every acknowledged message survived', async () => {
    const sent = await env.lab.perform({ action: 'send', count: 5 });
    if (sent.action !== 'send') throw new Error('unexpected answer');
    expect(sent.outcome.offsets).toEqual(['2', '3', '4', '5', '6']);
    const before = cluster.primaryIndex();
    await cluster.kill(before);
    const check = await env.lab.perform({ action: 'checkLedger' });
    if (check.action !== 'checkLedger') throw new Error('unexpected answer');
    expect(check.outcome.checked).toBe(7);
    expect(check.outcome.missing).toEqual([]);
    expect(check.outcome.node).not.toBe(`node-${before}`);
    expect(check.explanation).toMatch(/^All 7 acknowledged messages survived/);
    const state = await env.lab.state();
    expect(state.lastCheck?.missing).toEqual([]);
    expect(state.roster!.nodes.find((n) => n.name === `node-${before}`)!.reachable).toBe(false);
  });

  it('reset deletes the topic, clears the ledger and closes every lab connection', async () => {
    const reset = await env.lab.perform({ action: 'reset' });
    if (reset.action !== 'reset') throw new Error('unexpected answer');
    expect(reset.outcome).toEqual({ topicDeleted: true, ledgerCleared: 7 });
    expect(env.host.connectionCount).toBe(0);
    const state = await env.lab.state();
    expect(state.ledger.count).toBe(0);
    expect(state.partition).toBeNull();
  });
});

describe('the cluster lab on a single server', () => {
  it('says it is a single node and refuses what needs a follower', async () => {
    const server = await startTestServer();
    const env = labOn(`iggy://iggy:iggy@127.0.0.1:${server.port}`);
    try {
      const state = await env.lab.state();
      expect(state.roster?.nodes).toHaveLength(1);
      await expect(env.lab.perform({ action: 'writeFollower' })).rejects.toThrow(/npm run demo -- --cluster/);
      await expect(env.lab.perform({ action: 'compareRead', count: 1, sendFirst: false })).rejects.toThrow(
        /single node/,
      );
    } finally {
      await env.runtime.close();
      await server.stop();
    }
  });
});

describe('the labs host with a seed list', () => {
  it('lists every seed, and connects a role to one node, to the first seed, or cluster-aware as asked', async () => {
    const [a, b] = [await startTestServer(), await startTestServer()];
    const env = labOn(`iggy://iggy:iggy@127.0.0.1:${a.port},127.0.0.1:${b.port}`);
    try {
      expect(env.host.seeds.map((s) => s.address)).toEqual([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`]);
      const roles = await env.host.act(async (ctx) => ({
        plain: await ctx.client('plain'),
        node: await ctx.client('node', { kind: 'node', host: '127.0.0.1', port: b.port }),
        cluster: await ctx.client('cluster', { kind: 'cluster' }),
      }));
      expect(roles.value.plain.address).toBe(`127.0.0.1:${a.port}`);
      expect(roles.value.node.address).toBe(`127.0.0.1:${b.port}`);
      // Each test server answers the metadata as a single node: the cluster-aware client stays where it logged in.
      expect(roles.value.cluster.state).toBe('connected');
      expect(roles.value.cluster.cluster).toBeUndefined();
      expect(env.host.connectionCount).toBe(3);
    } finally {
      await env.runtime.close();
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

describe('the ledger and the action schema', () => {
  it('keeps the newest offsets only, counts the dropped ones, and names what is missing', () => {
    const ledger = new Ledger(3);
    for (const offset of [0n, 1n, 2n, 3n, 4n]) ledger.record(offset);
    expect(ledger.view()).toMatchObject({ count: 3, dropped: 2, firstOffset: '2', lastOffset: '4' });
    expect(ledger.missingFrom(new Set([2n, 4n]))).toEqual([3n]);
    expect(ledger.clear()).toBe(3);
  });

  it('refuses unknown actions, extra fields and out-of-range counts', () => {
    expect(clusterActionSchema.safeParse({ action: 'kill' }).success).toBe(false);
    expect(clusterActionSchema.safeParse({ action: 'checkLedger', x: 1 }).success).toBe(false);
    expect(clusterActionSchema.safeParse({ action: 'send', count: 0 }).success).toBe(false);
    expect(clusterActionSchema.safeParse({ action: 'send', count: 21 }).success).toBe(false);
    expect(clusterActionSchema.safeParse({ action: 'writeFollower', node: '../x' }).success).toBe(false);
    expect(clusterActionSchema.safeParse({ action: 'compareRead', count: 3, sendFirst: true }).success).toBe(
      true,
    );
  });
});
