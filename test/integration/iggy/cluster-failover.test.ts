/**
 * The cluster-aware client against a three-node cluster (the in-memory test cluster, or a real one through
 * IGGY_TEST_URL holding a seed list): it finds the primary, is redirected from a follower, survives failovers
 * without losing an acknowledged message, and never resends a write whose reply was lost.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  Consumer,
  IggyClient,
  Partitioning,
  PollingStrategy,
  isIggyError,
  type ClusterEvent,
  type PrimaryChangedEvent,
} from '@/lib/iggy';
import { acquireIggyCluster, uniqueName, type IggyClusterTarget } from '@/test/support/harness';
import { waitFor } from './clients';

const HEARTBEAT_TIMEOUT_MS = 1_500;
/** Generous: a failover takes about the heartbeat timeout; the machine may be loaded. */
const RESUME_WAIT_MS = 20_000;

// Acquired at load time so skipIf can consult what the target supports.
const target: IggyClusterTarget = await acquireIggyCluster({
  nodes: 3,
  heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
});
const clients: IggyClient[] = [];

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await target.close();
});

function clusterClient(url = target.url): { client: IggyClient; events: ClusterEvent[] } {
  const client = IggyClient.fromUrl(url, {
    connectTimeoutMs: 2_000,
    requestTimeoutMs: 5_000,
    reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
    cluster: { failoverDeadlineMs: RESUME_WAIT_MS },
  });
  clients.push(client);
  const events: ClusterEvent[] = [];
  client.onClusterChange((event) => events.push(event));
  return { client, events };
}

/** The seed list with only the given nodes, so a test can start on a chosen node. */
function urlWith(indexes: number[]): string {
  const credentials = target.url.slice(0, target.url.lastIndexOf('@') + 1);
  return credentials + indexes.map((i) => target.nodes[i]!.address).join(',');
}

async function topicOn(client: IggyClient): Promise<{ stream: string; topic: string }> {
  const stream = uniqueName('cluster');
  const topic = 'orders';
  await client.ensureStream(stream);
  await client.ensureTopic(stream, topic, 1);
  return { stream, topic };
}

const payload = (id: number) => Buffer.from(JSON.stringify({ id }));

async function readAll(client: IggyClient, stream: string, topic: string): Promise<number[]> {
  const ids: number[] = [];
  let offset = 0n;
  for (;;) {
    const polled = await client.pollMessages({
      consumer: Consumer.single('cluster-check'),
      streamId: stream,
      topicId: topic,
      partitionId: 0,
      strategy: PollingStrategy.offset(offset),
      count: 1_000,
      autoCommit: false,
    });
    for (const m of polled.messages) ids.push((JSON.parse(m.payload.toString()) as { id: number }).id);
    if (polled.messages.length === 0) return ids;
    offset = polled.messages.at(-1)!.offset + 1n;
  }
}

/** Sends one message every 50 ms (20/s) until stopped; records what was acknowledged and what is unknown. */
function produce(client: IggyClient, stream: string, topic: string) {
  const acknowledged: number[] = [];
  const unknown: number[] = [];
  const refused: unknown[] = [];
  let stop = false;
  let nextId = 1;
  let lastAckAt = Date.now();
  let longestGapMs = 0;
  const done = (async () => {
    while (!stop) {
      const id = nextId++;
      try {
        await client.sendMessages({
          streamId: stream,
          topicId: topic,
          partitioning: Partitioning.partitionId(0),
          messages: [{ payload: payload(id) }],
        });
        const now = Date.now();
        longestGapMs = Math.max(longestGapMs, now - lastAckAt);
        lastAckAt = now;
        acknowledged.push(id);
      } catch (error) {
        if (isIggyError(error) && error.kind === 'outcome-unknown') unknown.push(id);
        else refused.push(error);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    acknowledged,
    unknown,
    refused,
    longestGapMs: () => longestGapMs,
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

describe('cluster-aware client', () => {
  it('reads the roster and works on the metadata primary', async () => {
    const { client } = clusterClient();
    await client.connect();
    const metadata = await client.getClusterMetadata();
    expect(metadata.nodes).toHaveLength(target.nodes.length);
    const primary = target.nodes[await target.primaryIndex()]!;
    expect(client.address).toBe(primary.address);
    expect(client.cluster?.primary).toEqual({ name: primary.name, address: primary.address });
    expect(client.cluster?.nodes.map((n) => n.address).sort()).toEqual(
      target.nodes.map((n) => n.address).sort(),
    );
  });

  it('is redirected from a follower to the primary, and its writes land there', async () => {
    const primaryIndex = await target.primaryIndex();
    const follower = (primaryIndex + 1) % target.nodes.length;
    const { client, events } = clusterClient(urlWith([follower]));
    await client.connect();
    expect(client.address).toBe(target.nodes[primaryIndex]!.address);
    const moved = events.find((e): e is PrimaryChangedEvent => e.type === 'primary-changed');
    expect(moved?.primary.address).toBe(target.nodes[primaryIndex]!.address);
    const { stream, topic } = await topicOn(client);
    await client.sendMessages({
      streamId: stream,
      topicId: topic,
      partitioning: Partitioning.partitionId(0),
      messages: [{ payload: payload(1) }],
    });
    expect(await readAll(client, stream, topic)).toEqual([1]);
  });

  it.skipIf(!target.canKill)(
    'keeps every acknowledged message through a failover at 20 msg/s, and resumes on the new primary',
    async () => {
      const { client, events } = clusterClient();
      await client.connect();
      const { stream, topic } = await topicOn(client);
      const producer = produce(client, stream, topic);
      await waitFor(() => producer.acknowledged.length >= 20, 10_000, '20 acknowledged sends');

      const oldPrimary = await target.primaryIndex();
      const killedAt = Date.now();
      await target.kill(oldPrimary);
      await waitFor(
        () => events.some((e) => e.type === 'primary-changed' && e.why === 'failover'),
        RESUME_WAIT_MS,
        'a new primary',
      );
      const before = producer.acknowledged.length;
      await waitFor(() => producer.acknowledged.length >= before + 20, RESUME_WAIT_MS, '20 more sends');
      const resumedAfterMs = Date.now() - killedAt;
      await producer.stop();

      const changed = events.find(
        (e): e is PrimaryChangedEvent => e.type === 'primary-changed' && e.why === 'failover',
      )!;
      expect(changed.previous?.address).toBe(target.nodes[oldPrimary]!.address);
      expect(changed.primary.address).not.toBe(target.nodes[oldPrimary]!.address);
      expect(events.some((e) => e.type === 'primary-lost')).toBe(true);
      // Reported, not asserted against a slice: the time depends on the heartbeat timeout and the machine.
      console.info(
        `failover: new primary after ${changed.noPrimaryMs} ms without one; sends resumed ${resumedAfterMs} ms ` +
          `after the kill; longest gap between acknowledgements ${producer.longestGapMs()} ms; ` +
          `${producer.unknown.length} send(s) with unknown outcome`,
      );

      const stored = await readAll(client, stream, topic);
      // Every acknowledged message is there, once; an unknown one at most once; nothing else.
      for (const id of producer.acknowledged) expect(stored.filter((s) => s === id)).toHaveLength(1);
      for (const id of producer.unknown) expect(stored.filter((s) => s === id).length).toBeLessThanOrEqual(1);
      const sent = new Set([...producer.acknowledged, ...producer.unknown]);
      expect(stored.every((id) => sent.has(id))).toBe(true);
      expect(producer.refused).toEqual([]);
      await target.restart(oldPrimary);
    },
    60_000,
  );

  it.skipIf(!target.canKill)(
    'survives a second failover, and the old primary returns as a follower',
    async () => {
      const { client, events } = clusterClient();
      await client.connect();
      const { stream, topic } = await topicOn(client);
      const producer = produce(client, stream, topic);
      await waitFor(() => producer.acknowledged.length >= 10, 10_000, '10 acknowledged sends');

      const first = await target.primaryIndex();
      await target.kill(first);
      await waitFor(() => failovers(events) >= 1, RESUME_WAIT_MS, 'the first failover');
      await target.restart(first);
      const afterFirst = producer.acknowledged.length;
      await waitFor(
        () => producer.acknowledged.length >= afterFirst + 10,
        RESUME_WAIT_MS,
        'sends after the first',
      );

      const second = await target.primaryIndex();
      expect(second).not.toBe(first);
      await target.kill(second);
      await waitFor(() => failovers(events) >= 2, RESUME_WAIT_MS, 'the second failover');
      const afterSecond = producer.acknowledged.length;
      await waitFor(
        () => producer.acknowledged.length >= afterSecond + 10,
        RESUME_WAIT_MS,
        'sends after the second',
      );
      await producer.stop();

      // The node that came back rejoined as a follower: metadata names another leader.
      const metadata = await client.getClusterMetadata();
      expect(metadata.nodes.find((n) => n.address === target.nodes[first]!.address)?.role).toBe('follower');
      const stored = await readAll(client, stream, topic);
      for (const id of producer.acknowledged) expect(stored.filter((s) => s === id)).toHaveLength(1);
      expect(producer.refused).toEqual([]);
      await target.restart(second);
    },
    90_000,
  );

  it.skipIf(!target.canKill)(
    'reports a send whose reply was lost as outcome unknown, never resent',
    async () => {
      const { client } = clusterClient();
      await client.connect();
      const { stream, topic } = await topicOn(client);
      const primary = await target.primaryIndex();
      // Kill the primary while a send is on the wire.
      const send = client.sendMessages({
        streamId: stream,
        topicId: topic,
        partitioning: Partitioning.partitionId(0),
        messages: [{ payload: payload(7) }],
      });
      await target.kill(primary);
      const outcome = await send.then(
        () => 'acknowledged',
        (error: unknown) => (isIggyError(error) ? error.kind : 'other'),
      );
      expect(['acknowledged', 'outcome-unknown']).toContain(outcome);
      await waitFor(
        () => client.state === 'connected' && client.address !== target.nodes[primary]!.address,
        RESUME_WAIT_MS,
        'the new primary',
      );
      const stored = await readAll(client, stream, topic);
      expect(stored.filter((id) => id === 7).length).toBe(
        outcome === 'acknowledged' ? 1 : stored.includes(7) ? 1 : 0,
      );
      await target.restart(primary);
    },
    60_000,
  );
});

function failovers(events: ClusterEvent[]): number {
  return events.filter((e) => e.type === 'primary-changed' && e.why === 'failover').length;
}
