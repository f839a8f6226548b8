import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface ComposeService {
  image: string;
  container_name: string;
  command: string[];
  restart: string;
  cap_add: string[];
  security_opt: string[];
  ulimits: { memlock: { soft: number; hard: number } };
  environment: Record<string, string>;
  ports: string[];
  networks: Record<string, { ipv4_address: string }>;
  volumes: string[];
  healthcheck: { test: string[]; interval: string; retries: number };
}

const FILE = 'server/docker-compose.cluster.yml';
// Compose resolves `<<:` merge keys (YAML 1.1); so must the parser, or the shared settings would be missing.
const compose = parse(readFileSync(FILE, 'utf8'), { merge: true }) as {
  name: string;
  services: Record<string, ComposeService>;
  networks: Record<string, { driver: string; ipam: { config: { subnet: string }[] } }>;
  volumes: Record<string, unknown>;
};
const single = parse(readFileSync('server/docker-compose.yml', 'utf8')) as {
  services: { iggy: ComposeService };
};
const nodes = [0, 1, 2].map((i) => ({ i, service: compose.services[`iggy-${i}`]! }));

describe('server/docker-compose.cluster.yml', () => {
  it('has three nodes of the released 0.9.0 image, in a project of its own', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['iggy-0', 'iggy-1', 'iggy-2']);
    expect(compose.name).not.toBe('iggy-demo');
    for (const { i, service } of nodes) {
      expect(service.image).toBe('apache/iggy:0.9.0');
      expect(service.container_name).toBe(`iggy-demo-node-${i}`);
      expect(service.command).toEqual(['--replica-id', String(i)]);
      // A killed node must stay down until the reader restarts it: that is the drill.
      expect(service.restart).toBe('no');
    }
  });

  it('grants every node what the single-node server gets for io_uring', () => {
    const reference = single.services.iggy;
    for (const { service } of nodes) {
      expect(service.cap_add).toEqual(reference.cap_add);
      expect(service.security_opt).toEqual(reference.security_opt);
      expect(service.ulimits).toEqual(reference.ulimits);
    }
  });

  it('publishes each node’s client port 1:1 on 8090, 8091, 8092 and advertises 127.0.0.1', () => {
    for (const { i, service } of nodes) {
      const port = 8090 + i;
      expect(service.ports).toEqual([`${port}:${port}`]);
      expect(service.environment.IGGY_TCP_ADDRESS).toBe(`0.0.0.0:${port}`);
      expect(service.environment.IGGY_NODE_ADVERTISED_ADDRESS).toBe('127.0.0.1');
      expect(service.environment.IGGY_SHARDING_CPU_ALLOCATION).toBe('all');
      expect(service.environment.IGGY_ROOT_USERNAME).toBe('${IGGY_ROOT_USERNAME:-iggy}');
      expect(service.environment.IGGY_ROOT_PASSWORD).toBe('${IGGY_ROOT_PASSWORD:-iggy}');
      // No other listener: nothing else to publish, and no clash with the app's 3000.
      for (const transport of ['HTTP', 'QUIC', 'WEBSOCKET'])
        expect(service.environment[`IGGY_${transport}_ENABLED`]).toBe('false');
    }
  });

  it('gives every node the same cluster membership, matching its static address and ports', () => {
    const [first] = nodes;
    const membership = (env: Record<string, string>) =>
      Object.fromEntries(Object.entries(env).filter(([key]) => key.startsWith('IGGY_CLUSTER_')));
    for (const { i, service } of nodes) {
      const env = service.environment;
      expect(membership(env)).toEqual(membership(first!.service.environment));
      expect(env.IGGY_CLUSTER_ENABLED).toBe('true');
      expect(env[`IGGY_CLUSTER_NODES_${i}_REPLICA_ID`]).toBe(String(i));
      expect(env[`IGGY_CLUSTER_NODES_${i}_PORTS_TCP`]).toBe(String(8090 + i));
      expect(env[`IGGY_CLUSTER_NODES_${i}_IP`]).toBe(service.networks['iggy-cluster']!.ipv4_address);
      expect(env[`IGGY_CLUSTER_NODES_${i}_PORTS_TCP_REPLICA`]).not.toBe(
        env[`IGGY_CLUSTER_NODES_${i}_PORTS_TCP`],
      );
    }
    const addresses = nodes.map(({ service }) => service.networks['iggy-cluster']!.ipv4_address);
    expect(new Set(addresses).size).toBe(3);
    const [subnet] = compose.networks['iggy-cluster']!.ipam.config;
    expect(compose.networks['iggy-cluster']!.driver).toBe('bridge');
    const prefix = subnet!.subnet.replace(/\.0\/24$/, '.');
    for (const address of addresses) expect(address.startsWith(prefix)).toBe(true);
  });

  it('sets no data-path name: neither the edge nor the release name is needed with the image default', () => {
    for (const { service } of nodes) {
      expect(Object.keys(service.environment).filter((key) => key.startsWith('IGGY_SYSTEM_'))).toEqual([]);
      expect(service.environment).not.toHaveProperty('IGGY_PATH');
    }
  });

  it('keeps each node’s data in a volume of its own, where the image stores it', () => {
    for (const { i, service } of nodes) {
      expect(service.volumes).toEqual([`iggy-node-${i}:/app/local_data`]);
      expect(compose.volumes).toHaveProperty(`iggy-node-${i}`);
    }
  });

  it('checks each node’s health with the bundled CLI on its own port, as the single-node file does', () => {
    const reference = single.services.iggy.healthcheck;
    for (const { i, service } of nodes) {
      expect(service.healthcheck.test).toEqual([
        'CMD',
        '/usr/local/bin/iggy',
        '--tcp-server-address',
        `127.0.0.1:${8090 + i}`,
        'ping',
      ]);
      expect(service.healthcheck.interval).toBe(reference.interval);
      expect(service.healthcheck.retries).toBe(reference.retries);
    }
  });

  const composeAvailable = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;
  it.runIf(composeAvailable)('validates with docker compose config', () => {
    const result = spawnSync('docker', ['compose', '-f', FILE, 'config', '--quiet'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
