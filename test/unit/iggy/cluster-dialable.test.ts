import { describe, expect, it } from 'vitest';
import { dialableMetadata, nodeAddress, type NodeAddress } from '@/lib/iggy/cluster/roster';
import type { ClusterMetadata } from '@/lib/iggy/wire/commands/cluster';

const seed = (host: string, port: number): NodeAddress => ({ host, port, address: `${host}:${port}` });

function metadata(ips: string[], ports = [8090, 8091, 8092]): ClusterMetadata {
  return {
    name: 'demo-cluster',
    nodes: ips.map((ip, i) => ({
      name: `node-${i}`,
      ip,
      tcpPort: ports[i]!,
      quicPort: 0,
      httpPort: 0,
      websocketPort: 0,
      address: `${ip}:${ports[i]!}`,
      role: i === 0 ? ('leader' as const) : ('follower' as const),
      reportedStatus: 'healthy' as const,
    })),
  };
}

const loopbackSeeds = [seed('127.0.0.1', 8090), seed('127.0.0.1', 8091), seed('127.0.0.1', 8092)];

describe('dialableMetadata: container addresses behind ports published on loopback', () => {
  it('dials a node listed at a container address through the one loopback seed with its client port', () => {
    const mapped = dialableMetadata(
      metadata(['172.28.90.10', '172.28.90.11', '172.28.90.12']),
      loopbackSeeds,
    );
    expect(mapped.nodes.map((n) => n.address)).toEqual([
      '127.0.0.1:8090',
      '127.0.0.1:8091',
      '127.0.0.1:8092',
    ]);
    // What the node said of itself stays visible.
    expect(mapped.nodes.map((n) => n.ip)).toEqual(['172.28.90.10', '172.28.90.11', '172.28.90.12']);
    expect(nodeAddress(mapped.nodes[1]!)).toEqual({
      host: '127.0.0.1',
      port: 8091,
      address: '127.0.0.1:8091',
    });
  });

  it('leaves a loopback cluster as listed', () => {
    const listed = metadata(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
    expect(dialableMetadata(listed, loopbackSeeds)).toBe(listed);
  });

  it('leaves the listed hosts alone when the seeds are remote: they are meant to be dialled', () => {
    const listed = metadata(['10.0.0.1', '10.0.0.2', '10.0.0.3'], [8090, 8090, 8090]);
    expect(dialableMetadata(listed, [seed('iggy-a.example', 8090)])).toBe(listed);
  });

  it('leaves a node alone when no seed, or more than one, has its port', () => {
    const listed = metadata(['172.28.90.10', '172.28.90.11'], [8090, 9999]);
    const seeds = [seed('127.0.0.1', 8090), seed('127.0.0.2', 8090)];
    expect(dialableMetadata(listed, seeds).nodes.map((n) => n.address)).toEqual([
      '172.28.90.10:8090',
      '172.28.90.11:9999',
    ]);
  });
});
