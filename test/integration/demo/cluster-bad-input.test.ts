/**
 * What the demo says when its seed list cannot give it a cluster (docs/architecture.md#the-cluster-aware-connection):
 * a seed list that repeats a node is refused as configuration; a seed list where nothing answers and a cluster
 * with no primary are reported on the status as a readable error, and the runtime goes on (and recovers when the
 * nodes come back). The kills need the in-memory cluster.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DemoConfigError, loadDemoConfig } from '@/lib/demo/config';
import type { DemoRuntime } from '@/lib/demo/runtime';
import { mapError } from '@/lib/api/errors';
import { startTestCluster, type TestCluster } from '@/test/support';
import { uniqueName } from '@/test/support/harness';
import { startRuntime, waitFor } from './runtime-fixture';

const runtimes: DemoRuntime[] = [];
const clusters: TestCluster[] = [];

afterEach(async () => {
  await Promise.allSettled(runtimes.splice(0).map((r) => r.close()));
  await Promise.allSettled(clusters.splice(0).map((c) => c.stop()));
});

function config(url: string) {
  return loadDemoConfig({
    IGGY_URL: url,
    IGGY_STREAM: uniqueName('demo-stream'),
    IGGY_TOPIC: uniqueName('demo-topic'),
    IGGY_CONSUMER: uniqueName('demo-consumer'),
  });
}

/** Ports nothing listens on: bound once by the OS, then released. */
async function closedPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i += 1) {
    ports.push(
      await new Promise<number>((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
          const address = server.address();
          const port = typeof address === 'object' && address ? address.port : 0;
          server.close(() => resolve(port));
        });
      }),
    );
  }
  return ports;
}

describe('a seed list that cannot give the demo a cluster', () => {
  it('a node listed twice is a configuration error that names it, without the password', () => {
    let error: unknown;
    try {
      config('iggy://iggy:s3cret-pw@127.0.0.1:8090,127.0.0.1:8090');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DemoConfigError);
    const mapped = mapError(error);
    expect(mapped.body.error.code).toBe('CONFIG_INVALID');
    expect(mapped.body.error.message).toMatch(/127\.0\.0\.1:8090\) appears twice in the seed list/);
    expect(JSON.stringify(mapped.body)).not.toContain('s3cret-pw');
  });

  it('nothing answers: the status says so for every seed at once (not after the failover deadline), and the runtime connects once the nodes come up', async () => {
    const ports = await closedPorts(3);
    const url = `iggy://iggy:iggy@${ports.map((p) => `127.0.0.1:${p}`).join(',')}`;
    // The default 30 s failover deadline: a first connect must not wait it out before saying anything.
    const { runtime } = startRuntime(config(url));
    runtimes.push(runtime);
    await waitFor('an error on the status', () => runtime.status().iggy.error !== undefined, 15_000);
    const { iggy } = runtime.status();
    expect(iggy.connected).toBe(false);
    expect(iggy.error?.code).toBe('NO_PRIMARY');
    for (const port of ports) expect(iggy.error?.message).toContain(`127.0.0.1:${port}`);
    expect(iggy.error?.message).toMatch(/could not connect/);
    expect(iggy.error?.message).not.toContain('iggy:iggy@');
    // The runtime keeps going: the producer can be started and waits for a primary.
    await runtime.startProducer({ ratePerSec: 5 });

    const cluster = await startTestCluster({ ports });
    clusters.push(cluster);
    await waitFor('connected once the nodes are up', () => runtime.status().iggy.connected, 30_000);
    expect(runtime.status().iggy.error).toBeUndefined();
    expect(runtime.status().cluster?.nodes).toHaveLength(3);
    await waitFor('the waiting producer sends', () => runtime.status().producer.sent > 0, 30_000);
  });

  it('no primary (2 of 3 nodes dead): the status names what each node did, the runtime goes on and recovers', async () => {
    const cluster = await startTestCluster({ nodes: 3, heartbeatTimeoutMs: 500 });
    clusters.push(cluster);
    const { runtime, received } = startRuntime(config(cluster.url), { failoverDeadlineMs: 4_000 });
    runtimes.push(runtime);
    await runtime.startProducer({ ratePerSec: 20 });
    await waitFor('messages flowing', () => received.length >= 5);

    await cluster.kill(0);
    await cluster.kill(1);
    await waitFor(
      'NO_PRIMARY on the status',
      () => runtime.status().iggy.error?.code === 'NO_PRIMARY',
      30_000,
    );
    const status = runtime.status();
    expect(status.iggy.connected).toBe(false);
    expect(status.iggy.error?.message).toMatch(/no node of the Iggy cluster acted as primary/);
    // The one node left answered, and said why it could not serve (58: it cannot register a session).
    expect(status.iggy.error?.message).toContain(cluster.nodes[2]!.address);
    expect(status.cluster?.nodes.find((n) => n.name === 'node-0')?.reachable).toBe(false);

    await cluster.restart(0);
    await cluster.restart(1);
    const before = received.length;
    await waitFor('connected again', () => runtime.status().iggy.connected, 30_000);
    await waitFor('messages flowing again', () => received.length >= before + 5, 30_000);
    expect(runtime.status().producer.running).toBe(true);
  });
});
