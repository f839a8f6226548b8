import { randomBytes } from 'node:crypto';
import { type TestServer, type TestServerOptions, startTestServer } from './server/test-server';
import { type TestCluster, startTestCluster } from './server/test-cluster';
import { readClusterMetadata } from './probe/cluster-metadata-probe';

/** Where an integration suite talks to Iggy: the in-memory test server, or a real server via IGGY_TEST_URL. */
export interface IggyTarget {
  /** iggy://user:pass@host:port */
  url: string;
  /** true when IGGY_TEST_URL points at a real server. */
  real: boolean;
  /** false against a real server: tests that take the server down use it.skipIf(!target.canKill). */
  canKill: boolean;
  /** Graceful stop (SIGTERM): every acknowledged message is written first, then the server goes away. */
  shutdown(): Promise<void>;
  /** SIGKILL: the server goes away and loses what its partition journals had not written yet. */
  crash(): Promise<void>;
  /** Brings the server back on the same address after shutdown() or crash(). */
  start(): Promise<void>;
  close(): Promise<void>;
  /** Only for the in-memory server. */
  server?: TestServer;
}

export async function acquireIggy(options?: TestServerOptions): Promise<IggyTarget> {
  const realUrl = process.env.IGGY_TEST_URL?.trim();
  if (realUrl) {
    const unsupported = async () => {
      throw new Error('shutdown/crash/start need the in-memory test server (IGGY_TEST_URL is set)');
    };
    return {
      url: realUrl,
      real: true,
      canKill: false,
      shutdown: unsupported,
      crash: unsupported,
      start: unsupported,
      close: async () => {},
    };
  }
  const server = await startTestServer(options);
  return {
    url: server.url,
    real: false,
    canKill: true,
    shutdown: () => server.shutdown(),
    crash: () => server.crash(),
    start: () => server.start(),
    close: () => server.stop(),
    server,
  };
}

/**
 * Where a cluster suite talks to Iggy: an in-memory test cluster, or a real cluster when IGGY_TEST_URL is a seed
 * list of more than one node.
 */
export interface IggyClusterTarget {
  /** Seed list: iggy://user:pass@host:p0,host:p1,… */
  url: string;
  real: boolean;
  /** false against a real cluster: kill/restart throw. */
  canKill: boolean;
  /** In seed-list order; `name` as cluster metadata gives it. */
  nodes: { name: string; address: string }[];
  /** Index (into nodes) of the current metadata primary, read with code 12 on a real cluster. */
  primaryIndex(): Promise<number>;
  kill(index: number): Promise<void>;
  restart(index: number): Promise<void>;
  close(): Promise<void>;
  /** Only for the in-memory cluster. */
  cluster?: TestCluster;
}

export async function acquireIggyCluster(options?: {
  nodes?: number;
  heartbeatTimeoutMs?: number;
}): Promise<IggyClusterTarget> {
  const realUrl = process.env.IGGY_TEST_URL?.trim();
  // One address names a single server, which cannot stand in for a cluster: the in-memory cluster does.
  if (realUrl && parseSeedList(realUrl).hosts.length > 1) return realCluster(realUrl);
  const cluster = await startTestCluster({
    nodes: options?.nodes ?? 3,
    ...(options?.heartbeatTimeoutMs !== undefined ? { heartbeatTimeoutMs: options.heartbeatTimeoutMs } : {}),
  });
  return {
    url: cluster.url,
    real: false,
    canKill: true,
    nodes: cluster.nodes.map((n) => ({ name: n.name, address: n.address })),
    primaryIndex: async () => cluster.primaryIndex(),
    kill: (index) => cluster.kill(index),
    restart: (index) => cluster.restart(index),
    close: () => cluster.stop(),
    cluster,
  };
}

interface SeedList {
  username: string;
  password: string;
  hosts: { host: string; port: number }[];
}

/** iggy://user:pass@h1:p1,h2:p2 (a single host is a one-node list). */
export function parseSeedList(url: string): SeedList {
  const match = /^iggy:\/\/([^:@/]+):([^@/]*)@([^/?#]+)\/?$/.exec(url);
  if (!match) throw new Error('IGGY_TEST_URL must look like iggy://user:pass@host:port[,host:port…]');
  const hosts = match[3]!.split(',').map((entry) => {
    const hostPort = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(entry.trim());
    const port = hostPort ? Number(hostPort[2]) : NaN;
    if (!hostPort || port < 1 || port > 65_535) throw new Error(`IGGY_TEST_URL: "${entry}" is not host:port`);
    return { host: hostPort[1]!.replace(/^\[|\]$/g, ''), port };
  });
  return { username: decodeURIComponent(match[1]!), password: decodeURIComponent(match[2]!), hosts };
}

async function realCluster(url: string): Promise<IggyClusterTarget> {
  const seeds = parseSeedList(url);
  const credentials = { username: seeds.username, password: seeds.password };
  const addressOf = (h: { host: string; port: number }) =>
    `${h.host.includes(':') ? `[${h.host}]` : h.host}:${h.port}`;
  /** Any live seed answers: metadata is the same on every node. */
  const metadata = async () => {
    let lastError: unknown;
    for (const seed of seeds.hosts) {
      try {
        return await readClusterMetadata(seed, credentials);
      } catch (error) {
        lastError = error;
      }
    }
    throw new Error(
      `no seed answered cluster metadata: ${lastError instanceof Error ? lastError.message : String(lastError)}`,
    );
  };
  const indexIn = (roster: Awaited<ReturnType<typeof metadata>>, position: number): number => {
    const node = roster.nodes[position];
    if (!node) return position;
    const seed = seeds.hosts.findIndex(
      (h) =>
        h.port === node.tcpPort &&
        (h.host === node.ip || seeds.hosts.filter((o) => o.port === node.tcpPort).length === 1),
    );
    return seed >= 0 ? seed : position;
  };
  const roster = await metadata();
  const names = seeds.hosts.map((_, i) => `node-${i}`);
  roster.nodes.forEach((node, position) => {
    const index = indexIn(roster, position);
    if (index < names.length) names[index] = node.name;
  });
  const unsupported = async () => {
    throw new Error('kill/restart need the in-memory test cluster (IGGY_TEST_URL is set)');
  };
  return {
    url,
    real: true,
    canKill: false,
    nodes: seeds.hosts.map((h, i) => ({ name: names[i]!, address: addressOf(h) })),
    primaryIndex: async () => {
      const current = await metadata();
      const leader = current.nodes.findIndex((n) => n.role === 0);
      if (leader < 0) throw new Error('cluster metadata names no leader');
      return indexIn(current, leader);
    },
    kill: unsupported,
    restart: unsupported,
    close: async () => {},
  };
}

/** A name no other test (or earlier run against a shared real server) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
