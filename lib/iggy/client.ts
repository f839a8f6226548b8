/**
 * IggyClient: the typed command surface. Each method runs one command descriptor (wire/commands)
 * through the session keeper (lockstep connection, retries, reconnects). Everything that can fail
 * rejects with an IggyError.
 */

import { clusterClientSettings, keeperSettings, type IggyClientOptions } from './client-options';
import { ClusterTracker, type ClusterListener, type ClusterSnapshot } from './cluster/cluster-events';
import { ClusterRouter } from './cluster/cluster-router';
import { ClusterSessionSource } from './cluster/cluster-source';
import type { FinderClock } from './cluster/primary-finder';
import { Roster } from './cluster/roster';
import { sessionDialer } from './cluster/session-link';
import { SleepGroup } from './backoff';
import { IggyErrorCode, isIggyError, protocolError, type IggyError } from './errors';
import type { RequestKind } from './session';
import {
  SessionKeeper,
  type ConnectionState,
  type FrameListener,
  type StateListener,
} from './session-keeper';
import { parseIggyUrl } from './url';
import {
  Commands,
  contextOf,
  type ClientInfo,
  type ClusterMetadata,
  type Command,
  type ConsumerGroupAssignment,
  type ConsumerGroupDetails,
  type ConsumerOffsetInfo,
  type ConsumerOffsetTarget,
  type CreateTopicInput,
  type OptionDescription,
  type OptionScope,
  type Stats,
  type StreamDetails,
  type TopicDetails,
  type TopicSummary,
} from './wire/commands';
import type { PollMessagesInput, PolledMessages, SendMessagesInput, SendResult } from './wire/messages';
import type { Identifier as Id } from './wire/primitives';

export type { ConnectionState, FrameEvent } from './session-keeper';
export { SDK_NAME, SDK_VERSION, type IggyClientOptions } from './client-options';

const { system, cluster, options, streams, topics, messages, offsets, groups } = Commands;

export class IggyClient {
  readonly #keeper: SessionKeeper;
  readonly #tracker: ClusterTracker | undefined;
  readonly #router: ClusterRouter | undefined;
  readonly #sleep = new SleepGroup();

  constructor(options: IggyClientOptions) {
    const settings = keeperSettings(options);
    const cluster = clusterClientSettings(options);
    if (!cluster) {
      this.#keeper = new SessionKeeper(settings);
      return;
    }
    const tracker = new ClusterTracker(new Roster(cluster.seeds));
    // Sleeps end early on close() so a search in progress stops promptly.
    const clock: FinderClock = { now: Date.now, sleep: (ms) => this.#sleep.wait(ms) };
    const closed = () => this.#keeper.state === 'closed';
    const dialSettings = {
      credentials: settings.credentials,
      connectTimeoutMs: settings.connectTimeoutMs,
      requestTimeoutMs: settings.requestTimeoutMs,
      maxFrameBytes: settings.maxFrameBytes,
      // A node that refuses the login (58: no primary to register the session with) must not hold the search
      // for the primary for the whole default retry budget: the next node is tried instead.
      retry: {
        delayMs: 50,
        budgetMs: cluster.transientWaitMs,
        notAcceptedBudgetMs: cluster.notAcceptedWaitMs,
      },
    };
    const source = new ClusterSessionSource({
      tracker,
      dialer: (tap) => sessionDialer(dialSettings, tap),
      failoverDeadlineMs: cluster.failoverDeadlineMs,
      clock,
      closed,
    });
    this.#keeper = new SessionKeeper(settings, source);
    this.#tracker = tracker;
    this.#router = new ClusterRouter({
      keeper: this.#keeper,
      tracker,
      dialer: sessionDialer(dialSettings, () => this.#keeper.frameTap),
      settings: cluster,
      clock,
      closed,
    });
  }

  /**
   * Builds a client from iggy://user:password@host:port (or a seed list host:port,host:port,…, which makes it
   * cluster-aware); `options` may override anything but the URL parts.
   */
  static fromUrl(url: string, options: Partial<IggyClientOptions> = {}): IggyClient {
    const { host, port, username, password, seeds } = parseIggyUrl(url);
    return new IggyClient({
      ...options,
      host,
      port,
      username,
      password,
      ...(seeds.length > 1 ? { seeds: seeds.map((s) => ({ host: s.host, port: s.port })) } : {}),
    });
  }

  /**
   * The cluster as this client knows it: undefined for a plain client and while the roster lists one node.
   * See docs/architecture.md#the-cluster-aware-connection.
   */
  get cluster(): ClusterSnapshot | undefined {
    return this.#tracker?.snapshot();
  }

  /** Roster updates, primary-lost, primary-changed, primary-search-failed; returns an unsubscribe function. */
  onClusterChange(listener: ClusterListener): () => void {
    return this.#tracker?.on(listener) ?? (() => undefined);
  }

  get state(): ConnectionState {
    return this.#keeper.state;
  }

  /** "host:port", never credentials. */
  get address(): string {
    return this.#keeper.address;
  }

  /** Server version from the latest login reply. */
  get serverVersion(): string | undefined {
    return this.#keeper.serverVersion;
  }

  /** Round trip of the latest ping (keep-alive or explicit), in milliseconds. */
  get lastRoundTripMs(): number | undefined {
    return this.#keeper.lastRoundTripMs;
  }

  /** The error behind the latest disconnect or failed connect, if any. */
  get lastError(): IggyError | undefined {
    return this.#keeper.lastError;
  }

  /** Returns an unsubscribe function. */
  onStateChange(listener: StateListener): () => void {
    return this.#keeper.onStateChange(listener);
  }

  /** Observes every frame sent and received; frames are only summarised while someone listens. */
  onFrame(listener: FrameListener): () => void {
    return this.#keeper.onFrame(listener);
  }

  /** TCP connect + register. Rejects with IggyError (kind connect, eviction, timeout…). */
  connect(): Promise<void> {
    return keepCallerStack(this.#keeper.connect());
  }

  /** Stops reconnecting, logs out best-effort, closes the socket. Idempotent. */
  close(): Promise<void> {
    const closing = this.#keeper.close();
    this.#sleep.cancel();
    return closing;
  }

  /**
   * Drops the TCP connection without logging out and without reconnecting, as a crashed process would; the
   * client is closed afterwards. For demonstrating what the server does when a client vanishes.
   */
  dropConnection(): void {
    this.#keeper.dropConnection();
    this.#sleep.cancel();
  }

  /** Round trip lands in lastRoundTripMs. */
  ping(): Promise<void> {
    return keepCallerStack(this.#keeper.ping());
  }

  /** Logs out and drops the connection (an unbound socket is of no further use); state becomes idle. */
  logout(): Promise<void> {
    return keepCallerStack(this.#keeper.logout());
  }

  #call(kind: RequestKind, body: Buffer, describe: string): Promise<Buffer> {
    return this.#router ? this.#router.call(kind, body, describe) : this.#keeper.call(kind, body, describe);
  }

  /**
   * Encode, send, decode; a server code in `absentOn` becomes null. Bad input rejects, never throws. Runs
   * synchronously up to the send, so the caller's frames are still on the stack for keepCallerStack.
   */
  #run<In, Out>(command: Command<In, Out>, input: In): Promise<Out> {
    return keepCallerStack(this.#runCommand(command, input));
  }

  async #runCommand<In, Out>(command: Command<In, Out>, input: In): Promise<Out> {
    const body = command.encode(input);
    try {
      return command.decode(await this.#call(command.kind, body, contextOf(command, input)), input);
    } catch (error) {
      const absent = command.absentOn as readonly number[] | undefined;
      if (isIggyError(error) && error.kind === 'server' && absent?.includes(error.code)) return null as Out;
      throw error;
    }
  }

  // ─── system ─────────────────────────────────────────────────────────────────

  getStats(): Promise<Stats> {
    return this.#run(system.getStats, undefined);
  }

  getMe(): Promise<ClientInfo> {
    return this.#run(system.getMe, undefined);
  }

  getClients(): Promise<ClientInfo[]> {
    return this.#run(system.getClients, undefined);
  }

  /** The cluster's name and nodes (read code 12); a single node answers itself as the only leader. */
  getClusterMetadata(): Promise<ClusterMetadata> {
    return this.#run(cluster.getMetadata, undefined);
  }

  /** The server's catalog of option keys for a scope (read code 13), with kinds, defaults and descriptions. */
  describeOptions(scope: OptionScope): Promise<OptionDescription[]> {
    return this.#run(options.describe, scope);
  }

  // ─── streams ────────────────────────────────────────────────────────────────

  createStream(name: string): Promise<StreamDetails> {
    return this.#run(streams.create, name);
  }

  /** null = not found. */
  getStream(id: Id): Promise<StreamDetails | null> {
    return this.#run(streams.get, id);
  }

  getStreams(): Promise<StreamDetails[]> {
    return this.#run(streams.list, undefined);
  }

  deleteStream(id: Id): Promise<void> {
    return this.#run(streams.delete, id);
  }

  purgeStream(id: Id): Promise<void> {
    return this.#run(streams.purge, id);
  }

  /** Idempotent by name and safe against a concurrent creator: "already exists" means fetch it. */
  async ensureStream(name: string): Promise<StreamDetails> {
    const existing = await this.getStream(name);
    if (existing) return existing;
    await this.createStream(name).catch(unless(IggyErrorCode.StreamNameAlreadyExists));
    const stream = await this.getStream(name);
    if (!stream) throw protocolError(`stream '${name}' was created but cannot be read back`);
    return stream;
  }

  // ─── topics and partitions ──────────────────────────────────────────────────

  createTopic(req: CreateTopicInput): Promise<TopicDetails> {
    return this.#run(topics.create, req);
  }

  /** null = stream or topic not found. */
  getTopic(streamId: Id, topicId: Id): Promise<TopicDetails | null> {
    return this.#run(topics.get, { streamId, topicId });
  }

  getTopics(streamId: Id): Promise<TopicSummary[]> {
    return this.#run(topics.list, streamId);
  }

  deleteTopic(streamId: Id, topicId: Id): Promise<void> {
    return this.#run(topics.delete, { streamId, topicId });
  }

  purgeTopic(streamId: Id, topicId: Id): Promise<void> {
    return this.#run(topics.purge, { streamId, topicId });
  }

  async ensureTopic(streamId: Id, name: string, partitionsCount: number): Promise<TopicDetails> {
    const existing = await this.getTopic(streamId, name);
    if (existing) return existing;
    const created = await this.createTopic({ streamId, name, partitionsCount }).catch(
      unless(IggyErrorCode.TopicNameAlreadyExists),
    );
    const topic = created ?? (await this.getTopic(streamId, name));
    if (!topic) throw protocolError(`topic '${name}' exists but cannot be read back`);
    return topic;
  }

  createPartitions(streamId: Id, topicId: Id, count: number): Promise<void> {
    return this.#run(topics.createPartitions, { streamId, topicId, count });
  }

  deletePartitions(streamId: Id, topicId: Id, count: number): Promise<void> {
    return this.#run(topics.deletePartitions, { streamId, topicId, count });
  }

  // ─── messages and consumer offsets ──────────────────────────────────────────

  sendMessages(req: SendMessagesInput): Promise<SendResult> {
    return this.#run(messages.send, req);
  }

  /** A group consumer must name a partition (one assigned by syncConsumerGroup); without one this rejects. */
  pollMessages(req: PollMessagesInput): Promise<PolledMessages> {
    return this.#run(messages.poll, req);
  }

  storeConsumerOffset(req: ConsumerOffsetTarget & { offset: bigint }): Promise<void> {
    return this.#run(offsets.store, req);
  }

  /** null = no offset stored (also an unknown group, stream or topic). */
  getConsumerOffset(req: ConsumerOffsetTarget): Promise<ConsumerOffsetInfo | null> {
    return this.#run(offsets.get, req);
  }

  deleteConsumerOffset(req: ConsumerOffsetTarget): Promise<void> {
    return this.#run(offsets.delete, req);
  }

  // ─── consumer groups ────────────────────────────────────────────────────────

  async createConsumerGroup(streamId: Id, topicId: Id, name: string): Promise<ConsumerGroupDetails> {
    const group =
      (await this.#run(groups.create, { streamId, topicId, name })) ??
      (await this.getConsumerGroup(streamId, topicId, name));
    if (!group) throw protocolError(`consumer group '${name}' was created but cannot be read back`);
    return group;
  }

  /** null = group not found (a missing stream or topic is an error). */
  getConsumerGroup(streamId: Id, topicId: Id, groupId: Id): Promise<ConsumerGroupDetails | null> {
    return this.#run(groups.get, { streamId, topicId, groupId });
  }

  getConsumerGroups(streamId: Id, topicId: Id): Promise<ConsumerGroupDetails[]> {
    return this.#run(groups.list, { streamId, topicId });
  }

  joinConsumerGroup(streamId: Id, topicId: Id, groupId: Id): Promise<void> {
    return this.#run(groups.join, { streamId, topicId, groupId });
  }

  /** The partitions assigned to this client; null = not a member. */
  syncConsumerGroup(streamId: Id, topicId: Id, groupId: Id): Promise<ConsumerGroupAssignment | null> {
    return this.#run(groups.sync, { streamId, topicId, groupId });
  }

  leaveConsumerGroup(streamId: Id, topicId: Id, groupId: Id): Promise<void> {
    return this.#run(groups.leave, { streamId, topicId, groupId });
  }

  deleteConsumerGroup(streamId: Id, topicId: Id, groupId: Id): Promise<void> {
    return this.#run(groups.delete, { streamId, topicId, groupId });
  }
}

/** Each error's own stack, before any caller's frames were added to it. */
const OWN_STACKS = new WeakMap<IggyError, string>();

/**
 * An error rejected from a socket or timer callback has a stack that ends in that callback, which says nothing
 * about who made the call. This captures the call site now (one stack capture per call, formatted only if
 * read) and, on rejection, adds its frames below the error's own. The same error can reach several callers
 * (every call waiting on a dropped connection): each time the frames replace the previous caller's.
 */
function keepCallerStack<T>(pending: Promise<T>): Promise<T> {
  const callSite = new Error('client call');
  return pending.catch((error: unknown) => {
    if (isIggyError(error)) {
      const own = OWN_STACKS.get(error) ?? error.stack ?? `${error.name}: ${error.message}`;
      OWN_STACKS.set(error, own);
      // Drop the first two lines: the message and keepCallerStack itself.
      const callerFrames = (callSite.stack ?? '').split('\n').slice(2).join('\n');
      if (callerFrames) error.stack = `${own}\n    --- called from ---\n${callerFrames}`;
    }
    throw error;
  });
}

/** A rejection handler that swallows one server code (answering undefined) and rethrows anything else. */
function unless(code: number): (error: unknown) => undefined {
  return (error) => {
    if (isIggyError(error) && error.code === code) return undefined;
    throw error;
  };
}
