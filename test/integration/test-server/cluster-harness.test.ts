import { afterEach, describe, expect, it } from 'vitest';
import { acquireIggyCluster, type IggyClusterTarget } from '../../support/harness';
import { readClusterMetadata } from '../../support/probe/cluster-metadata-probe';
import { startTestCluster } from '../../support';

/** acquireIggyCluster: the in-memory cluster, or — with a seed list in IGGY_TEST_URL — a cluster it can only observe. */
describe('acquireIggyCluster', () => {
  const saved = process.env.IGGY_TEST_URL;
  const targets: IggyClusterTarget[] = [];
  afterEach(async () => {
    if (saved === undefined) delete process.env.IGGY_TEST_URL;
    else process.env.IGGY_TEST_URL = saved;
    for (const target of targets.splice(0)) await target.close();
  });

  it.skipIf(saved !== undefined)('in memory: nodes, kill, failover, restart', async () => {
    const target = await acquireIggyCluster({ nodes: 3, heartbeatTimeoutMs: 300 });
    targets.push(target);
    expect(target).toMatchObject({ real: false, canKill: true });
    expect(target.nodes.map((n) => n.name)).toEqual(['node-0', 'node-1', 'node-2']);
    expect(target.url).toBe(`iggy://iggy:iggy@${target.nodes.map((n) => n.address).join(',')}`);
    expect(await target.primaryIndex()).toBe(0);
    await target.kill(0);
    expect(await target.cluster!.waitForPrimary(10_000)).toBe(1);
    expect(await target.primaryIndex()).toBe(1);
    await target.restart(0);
    expect(await target.primaryIndex()).toBe(1);
  });

  it('IGGY_TEST_URL with a seed list: observe only, primary read from cluster metadata (code 12)', async () => {
    // Stand a test cluster in for the "real" one: the harness only speaks the wire to it.
    const cluster = await startTestCluster({ nodes: 3, heartbeatTimeoutMs: 300 });
    try {
      process.env.IGGY_TEST_URL = cluster.url;
      const target = await acquireIggyCluster();
      targets.push(target);
      expect(target).toMatchObject({ real: true, canKill: false, url: cluster.url });
      expect(target.nodes).toEqual(cluster.nodes.map((n) => ({ name: n.name, address: n.address })));
      expect(await target.primaryIndex()).toBe(0);
      await expect(target.kill(0)).rejects.toThrow(/in-memory/);
      await expect(target.restart(0)).rejects.toThrow(/in-memory/);

      await cluster.kill(0);
      await cluster.waitForPrimary(10_000);
      // node-0 is dead: the harness asks another seed.
      expect(await target.primaryIndex()).toBe(1);
    } finally {
      await cluster.stop();
    }
  });

  it('IGGY_TEST_URL with one address (a single server): the in-memory cluster, which it can kill', async () => {
    process.env.IGGY_TEST_URL = 'iggy://iggy:iggy@127.0.0.1:8090';
    const target = await acquireIggyCluster({ nodes: 3, heartbeatTimeoutMs: 300 });
    targets.push(target);
    expect(target).toMatchObject({ real: false, canKill: true });
    expect(target.nodes).toHaveLength(3);
    expect(target.url).not.toContain('8090');
  });

  it('the probe reports a refused login and a closed port as errors, within its deadline', async () => {
    const cluster = await startTestCluster({ nodes: 1 });
    try {
      const node = cluster.nodes[0]!;
      await expect(
        readClusterMetadata(
          { host: node.host, port: node.port },
          { username: 'iggy', password: 'wrong' },
          3000,
        ),
      ).rejects.toThrow(/login refused/);
      const metadata = await readClusterMetadata(
        { host: node.host, port: node.port },
        { username: 'iggy', password: 'iggy' },
      );
      expect(metadata).toMatchObject({
        clusterName: 'demo-cluster',
        nodes: [{ name: 'node-0', role: 0, status: 0 }],
      });
      await cluster.kill(0);
      await expect(
        readClusterMetadata(
          { host: node.host, port: node.port },
          { username: 'iggy', password: 'iggy' },
          3000,
        ),
      ).rejects.toThrow();
    } finally {
      await cluster.stop();
    }
  });
});
