/**
 * IggyClient: the typed command surface. Each command encodes its body, runs it through the
 * session keeper (lockstep connection, retries, reconnects) and decodes the reply. Everything
 * that can fail rejects with an IggyError.
 */

import { IggyError, IggyErrorCode, invalidArgument, protocolError } from './errors';
import { DEFAULT_RECONNECT, type ReconnectOptions } from './reconnect';
import {
  SessionKeeper,
  type ConnectionState,
  type FrameListener,
  type StateListener,
} from './session-keeper';
import { parseIggyUrl } from './url';
import { DEFAULT_MAX_FRAME_BYTES, Operation, ReadCode } from './wire/constants';
import {
  decodePollReply,
  decodeSendReply,
  encodePollMessagesBody,
  encodeSendMessagesBody,
  type PollMessagesInput,
  type PolledMessages,
  type SendMessagesInput,
  type SendResult,
} from './wire/messages';
import type { Consumer, Identifier } from './wire/primitives';
import {
  encodeCreateConsumerGroupBody,
  encodeCreateStreamBody,
  encodeCreateTopicBody,
  encodeDeleteConsumerOffsetBody,
  encodeGetConsumerOffsetBody,
  encodeIdentifiers,
  encodePartitionsBody,
  encodeStoreConsumerOffsetBody,
  type CreateTopicInput,
} from './wire/requests';
import {
  decodeClientDetails,
  decodeClients,
  decodeConsumerGroupAssignment,
  decodeConsumerGroupDetails,
  decodeConsumerGroups,
  decodeConsumerOffset,
  decodeStats,
  decodeStream,
  decodeStreamDetails,
  decodeStreams,
  decodeTopicDetails,
  decodeTopics,
  type ClientInfo,
  type ConsumerGroupAssignment,
  type ConsumerGroupDetails,
  type ConsumerOffsetInfo,
  type Stats,
  type StreamDetails,
  type TopicDetails,
  type TopicSummary,
} from './wire/responses';

export type { ConnectionState, FrameEvent } from './session-keeper';

export interface IggyClientOptions {
  host: string;
  port: number;
  username: string;
  password: string;
  /** default 5000 */
  connectTimeoutMs?: number;
  /** default 10000 */
  requestTimeoutMs?: number;
  /** default 64 MiB */
  maxFrameBytes?: number;
  /** default 5000; 0 disables keep-alive */
  pingIntervalMs?: number;
  reconnect?: ReconnectOptions;
  /** default 'iggy-demo-ts' */
  sdkName?: string;
  /** default the package version */
  sdkVersion?: string;
}

export const SDK_NAME = 'iggy-demo-ts';
export const SDK_VERSION = '0.1.0';

const EMPTY = Buffer.alloc(0);

function milliseconds(value: number | undefined, fallback: number, what: string, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (!allowZero && value === 0)) {
    throw invalidArgument(
      `${what} must be a ${allowZero ? 'non-negative' : 'positive'} number of milliseconds`,
    );
  }
  return value;
}

export class IggyClient {
  readonly #keeper: SessionKeeper;

  constructor(options: IggyClientOptions) {
    if (!options || typeof options !== 'object') throw invalidArgument('IggyClient needs options');
    if (typeof options.host !== 'string' || options.host.trim() === '')
      throw invalidArgument('host must be a non-empty string');
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      throw invalidArgument('port must be an integer from 1 to 65535');
    }
    if (typeof options.username !== 'string' || options.username === '')
      throw invalidArgument('username must be a non-empty string');
    if (typeof options.password !== 'string' || options.password === '')
      throw invalidArgument('password must be a non-empty string');
    const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 256)
      throw invalidArgument('maxFrameBytes must be an integer >= 256');
    const reconnect = { ...DEFAULT_RECONNECT, ...options.reconnect };
    milliseconds(reconnect.initialDelayMs, 0, 'reconnect.initialDelayMs', true);
    milliseconds(reconnect.maxDelayMs, 0, 'reconnect.maxDelayMs', true);
    if (!(reconnect.maxAttempts >= 0)) throw invalidArgument('reconnect.maxAttempts must be >= 0');
    this.#keeper = new SessionKeeper({
      host: options.host,
      port: options.port,
      credentials: {
        username: options.username,
        password: options.password,
        sdkName: options.sdkName ?? SDK_NAME,
        sdkVersion: options.sdkVersion ?? SDK_VERSION,
      },
      connectTimeoutMs: milliseconds(options.connectTimeoutMs, 5_000, 'connectTimeoutMs'),
      requestTimeoutMs: milliseconds(options.requestTimeoutMs, 10_000, 'requestTimeoutMs'),
      pingIntervalMs: milliseconds(options.pingIntervalMs, 5_000, 'pingIntervalMs', true),
      maxFrameBytes,
      reconnect,
    });
  }

  /** Builds a client from iggy://user:password@host:port; `options` may override anything but the URL parts. */
  static fromUrl(url: string, options: Partial<IggyClientOptions> = {}): IggyClient {
    const parsed = parseIggyUrl(url);
    return new IggyClient({
      ...options,
      host: parsed.host,
      port: parsed.port,
      username: parsed.username,
      password: parsed.password,
    });
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
    return this.#keeper.connect();
  }

  /** Stops reconnecting, logs out best-effort, closes the socket. Idempotent. */
  close(): Promise<void> {
    return this.#keeper.close();
  }

  // ─── session ────────────────────────────────────────────────────────────────

  /** Round trip lands in lastRoundTripMs. */
  ping(): Promise<void> {
    return this.#keeper.ping();
  }

  /** Logs out and drops the connection (an unbound socket is of no further use); state becomes idle. */
  logout(): Promise<void> {
    return this.#keeper.logout();
  }

  #read(code: number, body: Buffer, describe: string): Promise<Buffer> {
    return this.#keeper.call({ plane: 'read', code }, body, describe);
  }

  #metadata(operation: number, body: Buffer, describe: string): Promise<Buffer> {
    return this.#keeper.call({ plane: 'metadata', operation }, body, describe);
  }

  // ─── system ─────────────────────────────────────────────────────────────────

  async getStats(): Promise<Stats> {
    return decodeStats(await this.#read(ReadCode.GetStats, EMPTY, 'get stats'));
  }

  async getMe(): Promise<ClientInfo> {
    return decodeClientDetails(await this.#read(ReadCode.GetMe, EMPTY, 'get me'));
  }

  async getClients(): Promise<ClientInfo[]> {
    return decodeClients(await this.#read(ReadCode.GetClients, EMPTY, 'get clients'));
  }

  // ─── streams ────────────────────────────────────────────────────────────────

  async createStream(name: string): Promise<StreamDetails> {
    const payload = await this.#metadata(
      Operation.CreateStream,
      encodeCreateStreamBody(name),
      `create stream '${name}'`,
    );
    return decodeStream(payload);
  }

  /** null = not found. */
  async getStream(id: Identifier): Promise<StreamDetails | null> {
    const body = encodeIdentifiers([id, 'stream id']);
    return nullWhenMissing(
      async () => decodeStreamDetails(await this.#read(ReadCode.GetStream, body, 'get stream')),
      [IggyErrorCode.StreamIdNotFound, IggyErrorCode.StreamNameNotFound],
    );
  }

  async getStreams(): Promise<StreamDetails[]> {
    return decodeStreams(await this.#read(ReadCode.GetStreams, EMPTY, 'get streams'));
  }

  async deleteStream(id: Identifier): Promise<void> {
    await this.#metadata(
      Operation.DeleteStream,
      encodeIdentifiers([id, 'stream id']),
      `delete stream ${String(id)}`,
    );
  }

  async purgeStream(id: Identifier): Promise<void> {
    await this.#metadata(
      Operation.PurgeStream,
      encodeIdentifiers([id, 'stream id']),
      `purge stream ${String(id)}`,
    );
  }

  /** Idempotent by name and safe against a concurrent creator: "already exists" means fetch it. */
  async ensureStream(name: string): Promise<StreamDetails> {
    const existing = await this.getStream(name);
    if (existing) return existing;
    try {
      await this.createStream(name);
    } catch (error) {
      if (!(error instanceof IggyError) || error.code !== IggyErrorCode.StreamNameAlreadyExists) throw error;
    }
    const stream = await this.getStream(name);
    if (!stream) throw protocolError(`stream '${name}' was created but cannot be read back`);
    return stream;
  }

  // ─── topics ─────────────────────────────────────────────────────────────────

  async createTopic(req: CreateTopicInput): Promise<TopicDetails> {
    const payload = await this.#metadata(
      Operation.CreateTopic,
      encodeCreateTopicBody(req),
      `create topic '${req?.name}'`,
    );
    const topic = decodeTopicDetails(payload);
    if (!topic) throw protocolError('create topic reply carries no topic');
    return topic;
  }

  /** null = stream or topic not found. */
  async getTopic(streamId: Identifier, topicId: Identifier): Promise<TopicDetails | null> {
    const body = encodeIdentifiers([streamId, 'stream id'], [topicId, 'topic id']);
    return nullWhenMissing(
      async () => decodeTopicDetails(await this.#read(ReadCode.GetTopic, body, 'get topic')),
      [
        IggyErrorCode.StreamIdNotFound,
        IggyErrorCode.StreamNameNotFound,
        IggyErrorCode.TopicIdNotFound,
        IggyErrorCode.TopicNameNotFound,
      ],
    );
  }

  async getTopics(streamId: Identifier): Promise<TopicSummary[]> {
    return decodeTopics(
      await this.#read(ReadCode.GetTopics, encodeIdentifiers([streamId, 'stream id']), 'get topics'),
    );
  }

  async deleteTopic(streamId: Identifier, topicId: Identifier): Promise<void> {
    const body = encodeIdentifiers([streamId, 'stream id'], [topicId, 'topic id']);
    await this.#metadata(Operation.DeleteTopic, body, `delete topic ${String(topicId)}`);
  }

  async purgeTopic(streamId: Identifier, topicId: Identifier): Promise<void> {
    const body = encodeIdentifiers([streamId, 'stream id'], [topicId, 'topic id']);
    await this.#metadata(Operation.PurgeTopic, body, `purge topic ${String(topicId)}`);
  }

  async ensureTopic(streamId: Identifier, name: string, partitionsCount: number): Promise<TopicDetails> {
    const existing = await this.getTopic(streamId, name);
    if (existing) return existing;
    try {
      return await this.createTopic({ streamId, name, partitionsCount });
    } catch (error) {
      if (!(error instanceof IggyError) || error.code !== IggyErrorCode.TopicNameAlreadyExists) throw error;
    }
    const topic = await this.getTopic(streamId, name);
    if (!topic) throw protocolError(`topic '${name}' exists but cannot be read back`);
    return topic;
  }

  // ─── partitions ─────────────────────────────────────────────────────────────

  async createPartitions(streamId: Identifier, topicId: Identifier, count: number): Promise<void> {
    await this.#metadata(
      Operation.CreatePartitions,
      encodePartitionsBody(streamId, topicId, count),
      'create partitions',
    );
  }

  async deletePartitions(streamId: Identifier, topicId: Identifier, count: number): Promise<void> {
    await this.#metadata(
      Operation.DeletePartitions,
      encodePartitionsBody(streamId, topicId, count),
      'delete partitions',
    );
  }

  // ─── messages ───────────────────────────────────────────────────────────────

  async sendMessages(req: SendMessagesInput): Promise<SendResult> {
    const body = encodeSendMessagesBody(req);
    return decodeSendReply(
      await this.#keeper.call(
        { plane: 'partition', operation: Operation.SendMessages },
        body,
        'send messages',
      ),
    );
  }

  async pollMessages(req: PollMessagesInput): Promise<PolledMessages> {
    const body = encodePollMessagesBody(req);
    return decodePollReply(await this.#read(ReadCode.PollMessages, body, 'poll messages'), {
      verifyChecksums: req.verifyChecksums,
    });
  }

  // ─── consumer offsets ───────────────────────────────────────────────────────

  async storeConsumerOffset(req: {
    consumer: Consumer;
    streamId: Identifier;
    topicId: Identifier;
    partitionId?: number;
    offset: bigint;
  }): Promise<void> {
    const body = encodeStoreConsumerOffsetBody(req);
    await this.#keeper.call(
      { plane: 'partition', operation: Operation.StoreConsumerOffset },
      body,
      'store consumer offset',
    );
  }

  /** null = no offset stored (also an unknown group, stream or topic). */
  async getConsumerOffset(req: {
    consumer: Consumer;
    streamId: Identifier;
    topicId: Identifier;
    partitionId?: number;
  }): Promise<ConsumerOffsetInfo | null> {
    const body = encodeGetConsumerOffsetBody(req);
    return decodeConsumerOffset(await this.#read(ReadCode.GetConsumerOffset, body, 'get consumer offset'));
  }

  async deleteConsumerOffset(req: {
    consumer: Consumer;
    streamId: Identifier;
    topicId: Identifier;
    partitionId?: number;
  }): Promise<void> {
    const body = encodeDeleteConsumerOffsetBody(req);
    await this.#keeper.call(
      { plane: 'partition', operation: Operation.DeleteConsumerOffset },
      body,
      'delete consumer offset',
    );
  }

  // ─── consumer groups ────────────────────────────────────────────────────────

  async createConsumerGroup(
    streamId: Identifier,
    topicId: Identifier,
    name: string,
  ): Promise<ConsumerGroupDetails> {
    const body = encodeCreateConsumerGroupBody(streamId, topicId, name);
    const payload = await this.#metadata(
      Operation.CreateConsumerGroup,
      body,
      `create consumer group '${name}'`,
    );
    // The reply may carry the group details or nothing (reference §10 item 4).
    const group =
      decodeConsumerGroupDetails(payload) ?? (await this.getConsumerGroup(streamId, topicId, name));
    if (!group) throw protocolError(`consumer group '${name}' was created but cannot be read back`);
    return group;
  }

  /** null = group not found (a missing stream or topic is an error). */
  async getConsumerGroup(
    streamId: Identifier,
    topicId: Identifier,
    groupId: Identifier,
  ): Promise<ConsumerGroupDetails | null> {
    const body = encodeIdentifiers(
      [streamId, 'stream id'],
      [topicId, 'topic id'],
      [groupId, 'consumer group id'],
    );
    return decodeConsumerGroupDetails(
      await this.#read(ReadCode.GetConsumerGroup, body, 'get consumer group'),
    );
  }

  async getConsumerGroups(streamId: Identifier, topicId: Identifier): Promise<ConsumerGroupDetails[]> {
    const body = encodeIdentifiers([streamId, 'stream id'], [topicId, 'topic id']);
    return decodeConsumerGroups(await this.#read(ReadCode.GetConsumerGroups, body, 'get consumer groups'));
  }

  async joinConsumerGroup(streamId: Identifier, topicId: Identifier, groupId: Identifier): Promise<void> {
    const body = encodeIdentifiers(
      [streamId, 'stream id'],
      [topicId, 'topic id'],
      [groupId, 'consumer group id'],
    );
    await this.#metadata(Operation.JoinConsumerGroup, body, 'join consumer group');
  }

  /** The partitions assigned to this client; null = not a member. */
  async syncConsumerGroup(
    streamId: Identifier,
    topicId: Identifier,
    groupId: Identifier,
  ): Promise<ConsumerGroupAssignment | null> {
    const body = encodeIdentifiers(
      [streamId, 'stream id'],
      [topicId, 'topic id'],
      [groupId, 'consumer group id'],
    );
    return decodeConsumerGroupAssignment(
      await this.#read(ReadCode.SyncConsumerGroup, body, 'sync consumer group'),
    );
  }

  async leaveConsumerGroup(streamId: Identifier, topicId: Identifier, groupId: Identifier): Promise<void> {
    const body = encodeIdentifiers(
      [streamId, 'stream id'],
      [topicId, 'topic id'],
      [groupId, 'consumer group id'],
    );
    await this.#metadata(Operation.LeaveConsumerGroup, body, 'leave consumer group');
  }

  async deleteConsumerGroup(streamId: Identifier, topicId: Identifier, groupId: Identifier): Promise<void> {
    const body = encodeIdentifiers(
      [streamId, 'stream id'],
      [topicId, 'topic id'],
      [groupId, 'consumer group id'],
    );
    await this.#metadata(Operation.DeleteConsumerGroup, body, 'delete consumer group');
  }
}

async function nullWhenMissing<T>(fn: () => Promise<T | null>, codes: number[]): Promise<T | null> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof IggyError && error.kind === 'server' && codes.includes(error.code)) return null;
    throw error;
  }
}
