import { type Server, type Socket, createServer } from 'node:net';
import { checksum64 } from '../wire/checksum';
import {
  Command,
  ErrorCode,
  EvictionReason,
  HEADER_SIZE,
  MAX_MESSAGE_SIZE,
  Operation,
  PROTOCOL_0_11_0,
  isDefinedOperation,
  isInternalOperation,
  isMetadataOperation,
  isPartitionOperation,
} from '../wire/codes';
import { encodeEviction, parseRequestHeader } from '../wire/frame';
import { IggyState, type PartitionState } from '../model/state';
import type { FollowerLag } from '../model/follower-lag';
import { dropMembership } from '../model/groups';
import { flushTopic, recoverAfterCrash } from '../model/journal';
import { storedBatchSizeBytes } from '../wire/batch';
import { NodeRole, NodeStatus, encodeClusterMetadata } from '../wire/responses';
import type { TopicOptionsFlavor } from '../wire/topic-options';
import type {
  ClientEntry,
  ConnectionState,
  Request,
  ResolvedOptions,
  ServerContext,
  UserAccount,
} from './context';
import { handleMetadata } from './metadata';
import { refuseMetadataWrite, refusePartitionOp } from './not-primary';
import { handlePartitionOp } from './partition-ops';
import { handleNonReplicated } from './reads';
import { sendDenial, sendEviction } from './replies';
import { connectionClosed, handleLogout, handleRegister, isGroupMember, logOut } from './session';

export interface TestServerOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  rootUsername?: string;
  rootPassword?: string;
  /** Extra non-root users; `active: false` makes their logins fail with eviction 9. */
  users?: { username: string; password: string; active?: boolean }[];
  /**
   * What login replies and stats report. Default `0.9.0+stand-in`: semver build metadata that tells anyone
   * reading it that this is not Iggy (a parser of `^\d+\.\d+\.\d+` still reads 0.9.0).
   */
  serverVersion?: string;
  /** Packed protocol version (default 0x2C00 = 0.11.0); the accepted window is [value with patch 0, value]. */
  protocolVersion?: number;
  /** Idle consumer-group members are evicted (reason 13) after 1.2 × this. Default 30 000. */
  heartbeatIntervalMs?: number;
  /** Answer partition ops on a topic younger than this with status 58 (retry). Default 0 = off. */
  transientAfterCreateMs?: number;
  /**
   * `consumer_group.rebalancing_timeout`: how long a partition polled but not committed waits for its owner's
   * commit before a join hands it to the new member anyway. Default 30 000 (the real server's default).
   */
  rebalancingTimeoutMs?: number;
  /**
   * Topic options of the released 0.9.0 (`release`, default: durability keys, enforce_fsync → 4041) or of the
   * 0.9.0-edge.5 build (`edge`: enforce_fsync, durability keys → 4041). DescribeOptions lists the same set.
   */
  topicOptionsFlavor?: TopicOptionsFlavor;
  log?: (line: string) => void;
}

/** A partition addressed by stream and topic name (or numeric id) and partition id. */
export type PartitionAddress = [stream: string | number, topic: string | number, partition: number];

export interface TestServer {
  readonly host: string;
  readonly port: number;
  /** iggy://<root user>:<root pass>@host:port */
  readonly url: string;
  /** host:port */
  readonly address: string;
  /**
   * Graceful stop (SIGTERM, `docker stop`): writes every partition journal, drops every connection and stops
   * listening. Streams, topics, groups, messages and stored offsets are all kept for start().
   */
  shutdown(): Promise<void>;
  /**
   * SIGKILL: drops every connection and stops listening without writing the journals. Messages not yet
   * flushed are lost; stored offsets past the remaining data are clamped to it. Metadata is kept.
   */
  crash(): Promise<void>;
  /** Listens again on the same port with what survived (no-op while listening). */
  start(): Promise<void>;
  /** shutdown() then start(). */
  restartGracefully(): Promise<void>;
  /** crash() then start(). */
  restartAfterCrash(): Promise<void>;
  /** Test teardown: stops for good and forgets every stream. */
  stop(): Promise<void>;
  /** Messages acknowledged on this partition but still in its journal (lost by a crash). Tests only. */
  unflushedCount(...partition: PartitionAddress): number;
  /** Their weight toward `size_of_messages_required_to_save` (frame bytes: header, payload, user headers). */
  unflushedBytes(...partition: PartitionAddress): bigint;
  connectionCount(): number;
  /** Silently drops (no reply) the next n well-sized requests of any kind. */
  dropNextRequests(n: number): void;
  /** How many requests crashed their handler (a test-server bug; the request got no reply). */
  readonly unexpectedErrors: number;
}

/** The stand-in's default version: Iggy 0.9.0's number, marked so it cannot pass for Iggy. */
export const STAND_IN_SERVER_VERSION = '0.9.0+stand-in';

export function resolveOptions(
  options: TestServerOptions,
  root: { username: string; password: string },
): ResolvedOptions {
  const users: UserAccount[] = [{ id: 0, username: root.username, password: root.password, active: true }];
  (options.users ?? []).forEach((u, index) =>
    users.push({ id: index + 1, username: u.username, password: u.password, active: u.active ?? true }),
  );
  return {
    users,
    serverVersion: options.serverVersion ?? STAND_IN_SERVER_VERSION,
    protocolVersion: options.protocolVersion ?? PROTOCOL_0_11_0,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 30_000,
    transientAfterCreateMs: options.transientAfterCreateMs ?? 0,
    rebalancingTimeoutMs: options.rebalancingTimeoutMs ?? 30_000,
    topicOptionsFlavor: options.topicOptionsFlavor ?? 'release',
    log: options.log ?? (() => {}),
  };
}

/** What every node of one deployment shares: the replicated state (one node: simply the server's state). */
export class SharedCore {
  readonly state = new IggyState();
  /** The client table: sessions and per-client dedup are metadata, replicated to every node. */
  readonly clients = new Map<bigint, ClientEntry>();
  readonly startTimeMicros = BigInt(Date.now()) * 1000n;
  commitPosition = 0n;

  constructor(
    readonly options: ResolvedOptions,
    readonly replication?: FollowerLag,
  ) {}
}

/** How a node takes part in its cluster. A single server is its own primary. */
export interface NodePolicy {
  readonly index: number;
  /** True when this node is the primary that takes writes now. */
  acceptsWrites(): boolean;
  /** True when this node is the primary but has no quorum: writes and logins wait unanswered. */
  stalled(): boolean;
  /**
   * True on a follower while no primary can act (too few nodes alive): a login there answers 58, as the real
   * follower does, which registers every session with a primary there is none of.
   */
  refusesLogins(): boolean;
  /** True when reads here see the follower's lagging view. */
  lagging(): boolean;
  clusterMetadata(): Buffer;
}

export class InMemoryIggyServer implements TestServer, ServerContext {
  readonly core: SharedCore;
  readonly connections = new Set<ConnectionState>();
  readonly policy: NodePolicy;
  /** The shared options, with this node's name in front of every log line in a cluster. */
  private readonly nodeOptions: ResolvedOptions;

  readonly host: string;
  private boundPort: number;
  private listener: Server | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private nextConnectionId = 1;
  private requestsToDrop = 0;
  /** Requests whose handling threw: always a test-server bug. */
  unexpectedErrors = 0;

  constructor(
    options: TestServerOptions,
    private readonly root: { username: string; password: string },
    core?: SharedCore,
    policy?: NodePolicy,
    logPrefix?: string,
  ) {
    this.host = options.host ?? '127.0.0.1';
    this.boundPort = options.port ?? 0;
    this.core = core ?? new SharedCore(resolveOptions(options, root));
    const log = this.core.options.log;
    this.nodeOptions = logPrefix
      ? { ...this.core.options, log: (line) => log(`${logPrefix}${line}`) }
      : this.core.options;
    this.policy = policy ?? {
      index: 0,
      acceptsWrites: () => true,
      stalled: () => false,
      refusesLogins: () => false,
      lagging: () => false,
      // A server without cluster mode answers as the real one: `single-node`, one healthy leader `iggy-node`
      // at its own address with the ports of its other transports (the real defaults, all enabled).
      clusterMetadata: () =>
        encodeClusterMetadata('single-node', [
          {
            name: 'iggy-node',
            ip: this.host,
            tcpPort: this.boundPort,
            quicPort: 8080,
            httpPort: 3000,
            websocketPort: 8092,
            role: NodeRole.Leader,
            status: NodeStatus.Healthy,
          },
        ]),
    };
  }

  get state(): IggyState {
    return this.core.state;
  }

  get clients(): Map<bigint, ClientEntry> {
    return this.core.clients;
  }

  get options(): ResolvedOptions {
    return this.nodeOptions;
  }

  get startTimeMicros(): bigint {
    return this.core.startTimeMicros;
  }

  get commitPosition(): bigint {
    return this.core.commitPosition;
  }

  set commitPosition(value: bigint) {
    this.core.commitPosition = value;
  }

  get replication(): FollowerLag | undefined {
    return this.core.replication;
  }

  clusterMetadata(): Buffer {
    return this.policy.clusterMetadata();
  }

  get port(): number {
    return this.boundPort;
  }

  get address(): string {
    return `${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.boundPort}`;
  }

  get url(): string {
    return `iggy://${encodeURIComponent(this.root.username)}:${encodeURIComponent(this.root.password)}@${this.address}`;
  }

  async listen(): Promise<void> {
    const listener = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(this.boundPort, this.host, () => {
        listener.off('error', reject);
        resolve();
      });
    });
    const address = listener.address();
    if (address && typeof address === 'object') this.boundPort = address.port;
    this.listener = listener;
    this.startHeartbeat();
    this.options.log(`listening on ${this.address}`);
  }

  async shutdown(): Promise<void> {
    await this.goDown();
    for (const stream of this.state.streams.values()) stream.topics.forEach(flushTopic);
  }

  async crash(): Promise<void> {
    await this.goDown();
    for (const stream of this.state.streams.values()) {
      for (const topic of stream.topics.values()) {
        for (const partition of topic.partitions) recoverAfterCrash(partition, storedBatchSizeBytes);
      }
    }
  }

  async start(): Promise<void> {
    if (!this.listener) await this.listen();
  }

  async restartGracefully(): Promise<void> {
    await this.shutdown();
    await this.start();
  }

  async restartAfterCrash(): Promise<void> {
    await this.crash();
    await this.start();
  }

  unflushedCount(...address: PartitionAddress): number {
    return this.partitionAt(address).journalMessages;
  }

  unflushedBytes(...address: PartitionAddress): bigint {
    return this.partitionAt(address).journalBytes;
  }

  private partitionAt([streamId, topicId, partitionId]: PartitionAddress): PartitionState {
    const id = (value: string | number) =>
      typeof value === 'number'
        ? { kind: 'numeric' as const, id: value }
        : { kind: 'name' as const, name: value };
    const stream = this.state.findStream(id(streamId));
    const topic = stream && this.state.findTopic(stream, id(topicId));
    const partition = topic?.partitions.find((p) => p.id === partitionId);
    if (!partition) throw new Error(`no partition ${streamId}/${topicId}/${partitionId} on the test server`);
    return partition;
  }

  /** What both kinds of stop share: the process and its sessions are gone. */
  private async goDown(): Promise<void> {
    await this.closeNode(false);
    // Sessions die with the process; data stays.
    this.clients.clear();
    for (const stream of this.state.streams.values()) {
      for (const topic of stream.topics.values()) topic.groups.forEach(dropMembership);
    }
  }

  /**
   * One node of a cluster killed (SIGKILL): its connections reset at once (no eviction frame), its port stops
   * accepting. The replicated state stays with the cluster; the sessions bound here lose their connection
   * and leave their consumer groups, as on a disconnect.
   */
  async killNode(): Promise<void> {
    await this.closeNode(true);
  }

  private async closeNode(reset: boolean): Promise<void> {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    const listener = this.listener;
    this.listener = undefined;
    const closed = listener ? new Promise<void>((resolve) => listener.close(() => resolve())) : undefined;
    for (const connection of [...this.connections]) {
      if (reset) {
        // The cluster lives on: the sessions bound here lose their connection now, as on a disconnect.
        connectionClosed(this, connection);
        connection.socket.resetAndDestroy();
      } else {
        connection.socket.destroy();
      }
    }
    this.connections.clear();
    await closed;
  }

  get listening(): boolean {
    return this.listener !== undefined;
  }

  async stop(): Promise<void> {
    await this.goDown();
    this.state.streams.clear();
  }

  connectionCount(): number {
    return this.connections.size;
  }

  dropNextRequests(n: number): void {
    this.requestsToDrop = Math.max(0, Math.floor(n));
  }

  send(connection: ConnectionState, frame: Buffer): void {
    if (!connection.socket.destroyed) connection.socket.write(frame);
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const connection: ConnectionState = {
      id: this.nextConnectionId++,
      socket,
      address: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`,
      boundClientId: undefined,
      lastActivityMs: Date.now(),
    };
    this.connections.add(connection);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= HEADER_SIZE && !socket.destroyed) {
        const size = pending.readUInt32LE(48);
        const command = pending.readUInt8(60);
        if (size < HEADER_SIZE || size > MAX_MESSAGE_SIZE || command > Command.HighestDefined) {
          this.options.log(`connection ${connection.id}: closing (size ${size}, command ${command})`);
          socket.destroy();
          return;
        }
        if (pending.length < size) return;
        const frame = pending.subarray(0, size);
        pending = pending.subarray(size);
        try {
          this.handleFrame(connection, frame);
        } catch (error) {
          // A bug in the test server must not take the test process down; the request just gets no reply.
          this.unexpectedErrors += 1;
          const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
          this.options.log(`connection ${connection.id}: unexpected error: ${detail}`);
          console.error(`[iggy test server] unexpected error while handling a request: ${detail}`);
        }
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.connections.delete(connection);
      connectionClosed(this, connection);
    });
  }

  private handleFrame(connection: ConnectionState, frame: Buffer): void {
    if (this.requestsToDrop > 0) {
      this.requestsToDrop -= 1;
      return;
    }
    const header = parseRequestHeader(frame);
    const req: Request = { header, body: Buffer.from(frame.subarray(HEADER_SIZE)), connection };
    // Silent drops (docs/architecture.md#bad-requests-answered-or-dropped): not a request, undefined operation, no client id, session/request rules.
    if (header.command !== Command.Request) return;
    if (!isDefinedOperation(header.operation) || header.client === 0n) return;
    if (header.operation === Operation.Register) {
      if (header.session !== 0n || header.request !== 0n) return;
    } else if (header.operation !== Operation.NonReplicated) {
      if (header.session === 0n || header.request === 0n) return;
    }
    connection.lastActivityMs = Date.now();
    this.options.log(
      `connection ${connection.id}: operation ${header.operation} code ${header.code} request ${header.request} body ${req.body.length} B`,
    );
    if (header.requestChecksum !== 0n && header.requestChecksum !== checksum64(req.body)) {
      return sendDenial(this, req, 4);
    }
    if (isInternalOperation(header.operation))
      return sendEviction(this, req, EvictionReason.InvalidRequestOperation);

    if (this.policy.stalled() && header.operation !== Operation.NonReplicated) {
      // A primary without a quorum cannot commit: the real one left logins and writes unanswered (40 s seen).
      return this.options.log(
        `connection ${req.connection.id}: no quorum, operation ${header.operation} held`,
      );
    }
    switch (header.operation) {
      case Operation.Register:
        if (this.policy.refusesLogins()) return sendDenial(this, req, ErrorCode.TransientNotAccepted);
        // A follower checks the password and registers the session too (with the primary, on a real cluster).
        return handleRegister(this, req);
      case Operation.NonReplicated:
        return handleNonReplicated(this.policy.lagging() ? this.followerContext() : this, req);
      case Operation.Logout:
        return handleLogout(this, req);
      default:
        if (isMetadataOperation(header.operation)) {
          return this.policy.acceptsWrites() ? handleMetadata(this, req) : refuseMetadataWrite(this, req);
        }
        if (isPartitionOperation(header.operation)) {
          return this.policy.acceptsWrites()
            ? handlePartitionOp(this, req)
            : refusePartitionOp(this, this.followerView(), req);
        }
    }
  }

  /** The state as this node has applied it. */
  private followerView(): IggyState {
    return this.replication ? this.replication.followerView(this.state, this.policy.index) : this.state;
  }

  /** This node as a follower reads: the lagging view of the state, and nothing a read may change. */
  private followerContext(): ServerContext {
    const view = this.followerView();
    return Object.create(this, {
      state: { value: view },
      follower: { value: true },
      nodeIndex: { value: this.policy.index },
    }) as ServerContext;
  }

  /** Idle consumer-group members are evicted with reason 13 after 1.2 × the heartbeat interval (docs/architecture.md#keep-alive). */
  private startHeartbeat(): void {
    const limitMs = this.options.heartbeatIntervalMs * 1.2;
    const periodMs = Math.max(10, Math.min(1000, Math.floor(this.options.heartbeatIntervalMs / 10)));
    this.heartbeatTimer = setInterval(() => {
      const now = Date.now();
      for (const connection of this.connections) {
        const entry =
          connection.boundClientId === undefined ? undefined : this.clients.get(connection.boundClientId);
        if (!entry || entry.connection !== connection) continue;
        if (now - connection.lastActivityMs <= limitMs || !isGroupMember(this, entry.clientId)) continue;
        this.options.log(`connection ${connection.id}: evicting idle group member`);
        this.send(connection, encodeEviction(BigInt(connection.id), EvictionReason.StaleClient));
        logOut(this, entry);
      }
    }, periodMs);
    this.heartbeatTimer.unref();
  }
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const server = new InMemoryIggyServer(options, rootOf(options));
  await server.listen();
  return server;
}

export function rootOf(options: TestServerOptions): { username: string; password: string } {
  return { username: options.rootUsername ?? 'iggy', password: options.rootPassword ?? 'iggy' };
}
