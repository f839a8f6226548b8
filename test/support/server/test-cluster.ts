import { isIP } from 'node:net';
import { type ClusterClock, ClusterModel, realClock } from '../model/cluster';
import { FollowerLag } from '../model/follower-lag';
import { type ClusterNodeInfo, NodeRole, NodeStatus, encodeClusterMetadata } from '../wire/responses';
import {
  InMemoryIggyServer,
  SharedCore,
  type TestServerOptions,
  resolveOptions,
  rootOf,
} from './test-server';

/**
 * N in-memory nodes sharing one replicated state (docs/iggy-concepts.md#replication-and-clusters): one
 * primary takes writes, followers serve reads one commit behind and refuse writes with 58, a killed primary
 * is replaced after the heartbeat timeout. The rules are in ../model/cluster.ts and ../model/follower-lag.ts.
 */
export interface TestClusterOptions extends Omit<TestServerOptions, 'port'> {
  /** Number of nodes, 1..16. Default 3. */
  nodes?: number;
  /** Node i listens on basePort + i. Default: each node on a free port. */
  basePort?: number;
  /** Explicit client ports, one per node (wins over basePort; its length sets `nodes` when that is unset). */
  ports?: number[];
  /** Default `demo-cluster`. */
  clusterName?: string;
  /** Real default `heartbeat_timeout` 5 000 ms: how long backups wait for a dead primary. */
  heartbeatTimeoutMs?: number;
  /** How long a view change with a live candidate takes after that (default 250: 5.25 s in all, as observed). */
  electionDelayMs?: number;
  /** A view change that cannot complete moves on to the next view after this. Default 5 000. */
  viewChangeTimeoutMs?: number;
  /** After this long a follower has applied the newest commit even without a next one. Default 500. */
  commitBroadcastIntervalMs?: number;
  /** Injected clock for the view-change timers and the follower lag (tests). Default: real time. */
  clock?: ClusterClock;
}

export interface TestClusterNode {
  readonly index: number;
  /** `node-<index>`, as cluster metadata names it. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** host:port */
  readonly address: string;
  readonly alive: boolean;
  connectionCount(): number;
}

export interface TestCluster {
  readonly clusterName: string;
  readonly nodes: readonly TestClusterNode[];
  /** Seed list: iggy://user:pass@host:p0,host:p1,… */
  readonly url: string;
  /** The last settled view; its primary is node view mod N. */
  readonly view: number;
  /** The node cluster metadata names leader (the last settled view's primary, even while it is dead). */
  primaryIndex(): number;
  /** The node that takes writes now, or undefined during a failover or without a quorum. */
  writablePrimary(): number | undefined;
  /** Resolves with the writable primary once there is one (rejects after timeoutMs). */
  waitForPrimary(timeoutMs?: number): Promise<number>;
  /** SIGKILL of node i: connections reset, port closed; a dead primary is replaced after the heartbeat timeout. */
  kill(index: number): Promise<void>;
  /** Node i listens again on its port and rejoins as a follower. */
  restart(index: number): Promise<void>;
  /** Commits followers have not applied yet (tests). */
  pendingFollowerCommits(): number;
  /** Requests that crashed a handler on any node (a test-server bug). */
  readonly unexpectedErrors: number;
  /** Teardown: every node stops, the state is forgotten. */
  stop(): Promise<void>;
}

export const MAX_CLUSTER_NODES = 16;

class InMemoryIggyCluster implements TestCluster {
  readonly clusterName: string;
  readonly model: ClusterModel;
  readonly core: SharedCore;
  readonly #servers: InMemoryIggyServer[];
  readonly #ip: string;
  readonly #root: { username: string; password: string };
  readonly #log: (line: string) => void;

  constructor(options: TestClusterOptions, ports: number[]) {
    const clock = options.clock ?? realClock;
    this.clusterName = options.clusterName ?? 'demo-cluster';
    this.#root = rootOf(options);
    const resolved = resolveOptions(options, this.#root);
    this.#log = resolved.log;
    this.core = new SharedCore(
      resolved,
      new FollowerLag(options.commitBroadcastIntervalMs ?? 500, () => clock.now()),
    );
    this.model = new ClusterModel(
      ports.length,
      {
        ...(options.heartbeatTimeoutMs !== undefined
          ? { heartbeatTimeoutMs: options.heartbeatTimeoutMs }
          : {}),
        ...(options.electionDelayMs !== undefined ? { electionDelayMs: options.electionDelayMs } : {}),
        ...(options.viewChangeTimeoutMs !== undefined
          ? { viewChangeTimeoutMs: options.viewChangeTimeoutMs }
          : {}),
      },
      clock,
    );
    this.model.onViewChange((event) => this.#log(`view ${event.view}: node-${event.primary} is the primary`));
    const host = options.host ?? '127.0.0.1';
    // Metadata reports each node's roster IP; a wildcard bind address is not one a client can dial.
    this.#ip = isIP(host) && host !== '0.0.0.0' && host !== '::' ? host : '127.0.0.1';
    this.#servers = ports.map(
      (port, index) =>
        new InMemoryIggyServer(
          { ...options, port },
          this.#root,
          this.core,
          {
            index,
            acceptsWrites: () => this.model.writablePrimary === index,
            stalled: () => this.model.stalledPrimary === index,
            refusesLogins: () =>
              this.model.liveCount() < this.model.quorum && this.model.stalledPrimary !== index,
            lagging: () => this.model.metadataPrimary !== index,
            clusterMetadata: () => this.#metadata(),
          },
          `node-${index}: `,
        ),
    );
  }

  async listen(): Promise<void> {
    try {
      for (const server of this.#servers) await server.listen();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  get nodes(): readonly TestClusterNode[] {
    return this.#servers.map((server, index) => ({
      index,
      name: `node-${index}`,
      host: server.host,
      port: server.port,
      address: server.address,
      alive: this.model.isAlive(index),
      connectionCount: () => server.connectionCount(),
    }));
  }

  get url(): string {
    const credentials = `${encodeURIComponent(this.#root.username)}:${encodeURIComponent(this.#root.password)}`;
    return `iggy://${credentials}@${this.#servers.map((s) => s.address).join(',')}`;
  }

  get view(): number {
    return this.model.view;
  }

  get unexpectedErrors(): number {
    return this.#servers.reduce((sum, s) => sum + s.unexpectedErrors, 0);
  }

  primaryIndex(): number {
    return this.model.metadataPrimary;
  }

  writablePrimary(): number | undefined {
    return this.model.writablePrimary;
  }

  waitForPrimary(timeoutMs = 30_000): Promise<number> {
    const now = this.model.writablePrimary;
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`no primary within ${timeoutMs} ms (view ${this.model.view})`));
      }, timeoutMs);
      const unsubscribe = this.model.onViewChange((event) => {
        clearTimeout(timer);
        unsubscribe();
        resolve(event.primary);
      });
    });
  }

  async kill(index: number): Promise<void> {
    const server = this.#server(index);
    if (!this.model.isAlive(index)) return;
    this.model.kill(index);
    this.core.replication?.forgetNode(index);
    this.#log(`node-${index} killed`);
    await server.killNode();
  }

  async restart(index: number): Promise<void> {
    const server = this.#server(index);
    if (this.model.isAlive(index)) return;
    await server.listen();
    this.model.restart(index);
    this.#log(`node-${index} restarted as a follower`);
  }

  pendingFollowerCommits(): number {
    return this.core.replication?.pendingCount() ?? 0;
  }

  async stop(): Promise<void> {
    this.model.dispose();
    await Promise.all(this.#servers.map((server) => server.stop()));
  }

  /** Identical from every live node: the roster from configuration, roles from the settled view. */
  #metadata(): Buffer {
    const leader = this.model.metadataPrimary;
    const nodes: ClusterNodeInfo[] = this.#servers.map((server, index) => ({
      name: `node-${index}`,
      ip: this.#ip,
      tcpPort: server.port,
      // Only TCP is configured for the cluster's nodes: no QUIC, HTTP or WebSocket port to report.
      quicPort: 0,
      httpPort: 0,
      websocketPort: 0,
      role: index === leader ? NodeRole.Leader : NodeRole.Follower,
      // Filled from configuration, not from liveness: a dead node still reads healthy.
      status: NodeStatus.Healthy,
    }));
    return encodeClusterMetadata(this.clusterName, nodes);
  }

  #server(index: number): InMemoryIggyServer {
    const server = this.#servers[index];
    if (!Number.isInteger(index) || !server) {
      throw new RangeError(`node index ${index} is outside 0..${this.#servers.length - 1}`);
    }
    return server;
  }
}

/** The client ports the options ask for; throws a RangeError on a bad count or port. */
export function clusterPorts(options: Pick<TestClusterOptions, 'nodes' | 'basePort' | 'ports'>): number[] {
  const count = options.nodes ?? options.ports?.length ?? 3;
  if (!Number.isInteger(count) || count < 1 || count > MAX_CLUSTER_NODES) {
    throw new RangeError(`a test cluster has 1..${MAX_CLUSTER_NODES} nodes, got ${count}`);
  }
  let ports: number[];
  if (options.ports) {
    if (options.ports.length !== count) {
      throw new RangeError(`${options.ports.length} ports given for ${count} nodes`);
    }
    ports = [...options.ports];
  } else if (options.basePort !== undefined) {
    ports = Array.from({ length: count }, (_, i) => options.basePort! + i);
  } else {
    ports = Array.from({ length: count }, () => 0);
  }
  for (const port of ports) {
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`bad port ${port}`);
  }
  const fixed = ports.filter((p) => p !== 0);
  if (new Set(fixed).size !== fixed.length) throw new RangeError(`ports repeat: ${ports.join(', ')}`);
  return ports;
}

export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const cluster = new InMemoryIggyCluster(options, clusterPorts(options));
  await cluster.listen();
  return cluster;
}
