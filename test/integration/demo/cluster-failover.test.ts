/**
 * The demo runtime on a three-node cluster: the status names the cluster and which loop uses which node, and a
 * failover while producing leaves the timeline without gaps or repeats and the producer without repeated ids.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadDemoConfig } from '@/lib/demo/config';
import type { DemoRuntime } from '@/lib/demo/runtime';
import type { FailoverEvent } from '@/lib/demo/types';
import { acquireIggyCluster, uniqueName, type IggyClusterTarget } from '@/test/support/harness';
import { expectConsecutive, payloadId, startRuntime, waitFor } from './runtime-fixture';

// Acquired at load time so skipIf can consult what the target supports.
const target: IggyClusterTarget = await acquireIggyCluster({ nodes: 3, heartbeatTimeoutMs: 1_500 });
const runtimes: DemoRuntime[] = [];

afterEach(async () => {
  await Promise.allSettled(runtimes.splice(0).map((r) => r.close()));
});
afterAll(async () => {
  await target.close();
});

function clusterConfig() {
  return loadDemoConfig({
    IGGY_URL: target.url,
    IGGY_STREAM: uniqueName('demo-stream'),
    IGGY_TOPIC: uniqueName('demo-topic'),
    IGGY_CONSUMER: uniqueName('demo-consumer'),
  });
}

describe('DemoRuntime on a cluster', () => {
  it('reports the cluster: its nodes, the primary, and which loop uses which node', async () => {
    const { runtime, received } = startRuntime(clusterConfig());
    runtimes.push(runtime);
    await runtime.startProducer({ ratePerSec: 20 });
    await waitFor('5 consumed', () => received.length >= 5);
    const primary = target.nodes[await target.primaryIndex()]!;
    await waitFor('every node probed', () =>
      (runtime.status().cluster?.nodes ?? []).every((n) => n.reachable !== null),
    );
    const cluster = runtime.status().cluster!;
    expect(cluster.nodes.map((n) => n.address).sort()).toEqual(target.nodes.map((n) => n.address).sort());
    expect(cluster.primary).toBe(primary.name);
    const used = cluster.nodes.find((n) => n.address === primary.address)!;
    expect(used.usedBy.sort()).toEqual(['consumer', 'producer']);
    expect(cluster.nodes.every((n) => n.reachable === true)).toBe(true);
    expect(runtime.status().iggy.address).toBe(primary.address);
  });

  it.skipIf(!target.canKill)(
    'goes on after a failover at 20 msg/s: no gap, no repeat, one failover reported with its timing',
    async () => {
      const { runtime, received } = startRuntime(clusterConfig());
      runtimes.push(runtime);
      const failovers: FailoverEvent[] = [];
      runtime.subscribe((event) => {
        if (event.type === 'failover') failovers.push(event.failover);
      });
      await runtime.startProducer({ ratePerSec: 20 });
      await waitFor('20 consumed', () => received.length >= 20);
      const old = await target.primaryIndex();
      const killedAt = Date.now();
      await target.kill(old);
      await waitFor(
        'the failover to end',
        () => runtime.status().cluster?.failovers.some((f) => f.recoveredAt !== undefined) === true,
        20_000,
      );
      const before = received.length;
      await waitFor('consumption to resume', () => received.length >= before + 20, 20_000);
      const resumedMs = Date.now() - killedAt;
      await runtime.stopProducer();
      await runtime.whenIdle();
      const topology = await runtime.topology();
      const inTopic = Number(topology.topic.partitions[0]!.messagesCount);
      await waitFor('the consumer to drain the topic', () => received.length === inTopic, 20_000);

      const failover = runtime.status().cluster!.failovers[0]!;
      expect(failover.lostPrimary.address).toBe(target.nodes[old]!.address);
      expect(failover.newPrimary?.address).not.toBe(target.nodes[old]!.address);
      expect(failovers.some((f) => f.id === failover.id && f.recoveredAt === undefined)).toBe(true);
      console.info(
        `demo failover: no primary for ${failover.noPrimaryMs} ms; consumption resumed ${resumedMs} ms after the ` +
          `kill; ${failover.unknownOutcomeSends} send(s) with unknown outcome`,
      );
      // The timeline: offsets without a gap or a repeat, each id once.
      expect(
        expectConsecutive(
          received.map((m) => BigInt(m.offset)),
          0n,
        ),
      ).toBeNull();
      const ids = received.map(payloadId);
      expect(new Set(ids).size).toBe(ids.length);
      // Ids only skip where a send's outcome was unknown and it was not stored.
      const skipped = ids.slice(1).reduce((n, id, i) => n + (id - ids[i]! - 1), 0);
      expect(skipped).toBeLessThanOrEqual(failover.unknownOutcomeSends);
      await target.restart(old);
    },
    60_000,
  );
});
