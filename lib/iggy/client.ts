/**
 * IggyClient: typed commands over one lockstep connection, with a keep-alive ping and automatic
 * re-registration. Everything that can fail rejects with an IggyError; nothing waits forever.
 */

import { Connection, type FrameDirection, type FrameTap } from './connection';
import {
  IggyError,
  IggyErrorCode,
  closedError,
  disconnectedError,
  invalidArgument,
  protocolError,
} from './errors';
import { CancellableSleep, DEFAULT_RECONNECT, backoffDelayMs, type ReconnectOptions } from './reconnect';
import { Session, isTerminal, type RequestKind } from './session';
import { formatAddress, parseIggyUrl } from './url';
import { DEFAULT_MAX_FRAME_BYTES, Operation, ReadCode } from './wire/constants';
import { summarizeFrame } from './wire/header';
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

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface FrameEvent {
  direction: FrameDirection;
  /** 5 request, 8 reply, 13 eviction */
  command: number;
  /** header operation byte (request @176, reply @208); 0 for evictions */
  operation: number;
  /** request operation 2 only */
  commandCode?: number;
  request: bigint;
  session?: bigint;
  status?: number;
  evictionReason?: number;
  size: number;
  bodyLength: number;
  bytes: Uint8Array;
  atMs: number;
}

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

type StateListener = (state: ConnectionState, error?: IggyError) => void;
type FrameListener = (frame: FrameEvent) => void;

const EMPTY = Buffer.alloc(0);
const LOGOUT_ON_CLOSE_TIMEOUT_MS = 1_000;

function positive(value: number | undefined, fallback: number, what: string, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (!allowZero && value === 0)) {
    throw invalidArgument(`${what} must be a ${allowZero ? 'non-negative' : 'positive'} number of milliseconds`);
  }
  return value;
}

function asIggyError(error: unknown): IggyError {
  return error instanceof IggyError ? error : disconnectedError(String(error), error);
}

export class IggyClient {
  readonly #host: string;
  readonly #port: number;
  readonly #credentials: { username: string; password: string; sdkName: string; sdkVersion: string };
  readonly #connectTimeoutMs: number;
  readonly #requestTimeoutMs: number;
  readonly #maxFrameBytes: number;
  readonly #pingIntervalMs: number;
  readonly #reconnect: Required<ReconnectOptions>;

  #state: ConnectionState = 'idle';
  #session: Session | undefined;
  #connecting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #lastError: IggyError | undefined;
  #pingTimer: NodeJS.Timeout | undefined;
  readonly #sleep = new CancellableSleep();
  readonly #stateListeners = new Set<StateListener>();
  readonly #frameListeners = new Set<FrameListener>();
  readonly #stateWaiters = new Set<() => void>();
  readonly #tap: FrameTap = {
    active: () => this.#frameListeners.size > 0,
    emit: (direction, bytes) => this.#emitFrame(direction, bytes),
  };

  /** Round trip of the latest ping (keep-alive or explicit), in milliseconds. */
  lastRoundTripMs: number | undefined;
  /** Server version from the latest login reply. */
  serverVersion: string | undefined;

  constructor(options: IggyClientOptions) {
    if (!options || typeof options !== 'object') throw invalidArgument('IggyClient needs options');
    if (typeof options.host !== 'string' || options.host.trim() === '') throw invalidArgument('host must be a non-empty string');
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      throw invalidArgument('port must be an integer from 1 to 65535');
    }
    if (typeof options.username !== 'string' || options.username === '') throw invalidArgument('username must be a non-empty string');
    if (typeof options.password !== 'string' || options.password === '') throw invalidArgument('password must be a non-empty string');
    this.#host = options.host;
    this.#port = options.port;
    this.#credentials = {
      username: options.username,
      password: options.password,
      sdkName: options.sdkName ?? SDK_NAME,
      sdkVersion: options.sdkVersion ?? SDK_VERSION,
    };
    this.#connectTimeoutMs = positive(options.connectTimeoutMs, 5_000, 'connectTimeoutMs');
    this.#requestTimeoutMs = positive(options.requestTimeoutMs, 10_000, 'requestTimeoutMs');
    this.#pingIntervalMs = positive(options.pingIntervalMs, 5_000, 'pingIntervalMs', true);
    this.#maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isInteger(this.#maxFrameBytes) || this.#maxFrameBytes < 256) throw invalidArgument('maxFrameBytes must be an integer >= 256');
    this.#reconnect = { ...DEFAULT_RECONNECT, ...options.reconnect };
    positive(this.#reconnect.initialDelayMs, 0, 'reconnect.initialDelayMs', true);
    positive(this.#reconnect.maxDelayMs, 0, 'reconnect.maxDelayMs', true);
    if (!(this.#reconnect.maxAttempts >= 0)) throw invalidArgument('reconnect.maxAttempts must be >= 0');
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
    return this.#state;
  }

  /** "host:port", never credentials. */
  get address(): string {
    return formatAddress(this.#host, this.#port);
  }

  /** The error behind the latest disconnect or failed connect, if any. */
  get lastError(): IggyError | undefined {
    return this.#lastError;
  }

  onStateChange(listener: StateListener): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /** Observes every frame sent and received; frames are only summarised while someone listens. */
  onFrame(listener: FrameListener): () => void {
    this.#frameListeners.add(listener);
    return () => this.#frameListeners.delete(listener);
  }

  // ─── lifecycle ──────────────────────────────────────────────────────────────

  /** TCP connect + register. Resolves once connected; rejects with IggyError (kind connect, eviction, timeout…). */
  connect(): Promise<void> {
    if (this.#state === 'closed') return Promise.reject(closedError());
    if (this.#state === 'connected') return Promise.resolve();
    if (this.#connecting) return this.#connecting;
    this.#setState('connecting');
    const attempt = this.#establish().then(
      (session) => this.#adopt(session),
      (error: unknown) => {
        const e = asIggyError(error);
        if (this.#state === 'connecting') {
          this.#lastError = e;
          this.#setState('idle', e);
        }
        throw e;
      },
    );
    const tracked = attempt.finally(() => {
      if (this.#connecting === tracked) this.#connecting = undefined;
    });
    this.#connecting = tracked;
    return tracked;
  }

  /** Stops reconnecting, logs out best-effort, closes the socket. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    this.#stopPing();
    this.#setState('closed');
    this.#sleep.cancel();
    if (session && !session.connection.closed) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        session.execute({ plane: 'logout' }, EMPTY, 'logout').catch(() => undefined),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, Math.min(this.#requestTimeoutMs, LOGOUT_ON_CLOSE_TIMEOUT_MS));
        }),
      ]);
      clearTimeout(timer);
      session.connection.close(closedError());
    }
  }

  async #establish(): Promise<Session> {
    const connection = await Connection.open({
      host: this.#host,
      port: this.#port,
      connectTimeoutMs: this.#connectTimeoutMs,
      maxFrameBytes: this.#maxFrameBytes,
      tap: this.#tap,
    });
    try {
      return await Session.register(connection, this.#credentials, { requestTimeoutMs: this.#requestTimeoutMs });
    } catch (error) {
      connection.close(asIggyError(error));
      throw error;
    }
  }

  #adopt(session: Session): void {
    if (this.#state === 'closed') {
      session.connection.close(closedError());
      throw closedError();
    }
    this.#session = session;
    this.serverVersion = session.login.serverVersion;
    this.#lastError = undefined;
    session.connection.onClose((error) => this.#onConnectionLost(session, error));
    if (this.#session !== session) return; // the connection died before we could subscribe
    this.#setState('connected');
    this.#startPing();
  }

  #onConnectionLost(session: Session, error: IggyError): void {
    if (this.#session !== session) return;
    this.#session = undefined;
    this.#stopPing();
    if (this.#state === 'closed') return;
    this.#lastError = error;
    if (!this.#reconnect.enabled || isTerminal(error)) {
      this.#setState('idle', error);
      return;
    }
    this.#setState('reconnecting', error);
    // Nobody may be waiting on this loop: keep its failure from surfacing as an unhandled rejection.
    const tracked = this.#reconnectLoop(error).finally(() => {
      if (this.#connecting === tracked) this.#connecting = undefined;
    });
    tracked.catch(() => undefined);
    this.#connecting = tracked;
  }

  async #reconnectLoop(cause: IggyError): Promise<void> {
    let lastError = cause;
    for (let attempt = 0; this.#state === 'reconnecting'; attempt++) {
      if (attempt >= this.#reconnect.maxAttempts) break;
      await this.#sleep.wait(backoffDelayMs(attempt, this.#reconnect.initialDelayMs, this.#reconnect.maxDelayMs));
      if (this.#state !== 'reconnecting') break;
      try {
        const session = await this.#establish();
        if (this.#state !== 'reconnecting') {
          session.connection.close(closedError());
          break;
        }
        this.#adopt(session);
        return;
      } catch (error) {
        lastError = asIggyError(error);
        this.#lastError = lastError;
        if (isTerminal(lastError)) break;
      }
    }
    if (this.#state === 'reconnecting') this.#setState('idle', lastError);
    throw this.#state === 'closed' ? closedError() : lastError;
  }

  #setState(state: ConnectionState, error?: IggyError): void {
    if (this.#state === state && error === undefined) return;
    this.#state = state;
    for (const listener of [...this.#stateListeners]) {
      try {
        listener(state, error);
      } catch {
        // A faulty listener must not break the connection state machine.
      }
    }
    for (const wake of [...this.#stateWaiters]) wake();
  }

  /** The live session; while (re)connecting, waits up to the request timeout for one. */
  #ready(): Promise<Session> {
    const check = (): Session | IggyError | undefined => {
      if (this.#state === 'connected' && this.#session) return this.#session;
      if (this.#state === 'closed') return closedError();
      if (this.#state === 'idle') {
        const cause = this.#lastError ? ` (last error: ${this.#lastError.message})` : '';
        return disconnectedError(`not connected to the Iggy server at ${this.address}${cause}`, this.#lastError);
      }
      return undefined;
    };
    const now = check();
    if (now instanceof Session) return Promise.resolve(now);
    if (now) return Promise.reject(now);
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.#stateWaiters.delete(wake);
      };
      const wake = () => {
        const result = check();
        if (!result) return;
        done();
        if (result instanceof Session) resolve(result);
        else reject(result);
      };
      const timer = setTimeout(() => {
        done();
        reject(
          disconnectedError(
            `still ${this.#state} to the Iggy server at ${this.address} after ${this.#requestTimeoutMs} ms`,
            this.#lastError,
          ),
        );
      }, this.#requestTimeoutMs);
      this.#stateWaiters.add(wake);
    });
  }

  async #call(kind: RequestKind, body: Buffer, describe: string): Promise<Buffer> {
    const session = await this.#ready();
    return session.execute(kind, body, describe);
  }

  #read(code: number, body: Buffer, describe: string): Promise<Buffer> {
    return this.#call({ plane: 'read', code }, body, describe);
  }

  #metadata(operation: number, body: Buffer, describe: string): Promise<Buffer> {
    return this.#call({ plane: 'metadata', operation }, body, describe);
  }

  #startPing(): void {
    this.#stopPing();
    if (this.#pingIntervalMs <= 0) return;
    this.#pingTimer = setInterval(() => {
      const session = this.#session;
      // Any request counts as liveness, so only ping an idle connection.
      if (this.#state !== 'connected' || !session || session.connection.busy) return;
      session.ping().then(
        (rtt) => {
          this.lastRoundTripMs = rtt;
        },
        () => undefined, // a failed ping closes the connection; #onConnectionLost takes it from there
      );
    }, this.#pingIntervalMs);
    this.#pingTimer.unref();
  }

  #stopPing(): void {
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    this.#pingTimer = undefined;
  }

  #emitFrame(direction: FrameDirection, bytes: Buffer): void {
    const event: FrameEvent = { ...summarizeFrame(bytes), direction, bytes, atMs: Date.now() };
    for (const listener of [...this.#frameListeners]) {
      try {
        listener(event);
      } catch {
        // Observers are diagnostics; they never affect the protocol.
      }
    }
  }

  // ─── session ────────────────────────────────────────────────────────────────

  async ping(): Promise<void> {
    const session = await this.#ready();
    this.lastRoundTripMs = await session.ping();
  }

  /** Logs out and drops the connection (an unbound socket is of no further use); state becomes idle. */
  async logout(): Promise<void> {
    const session = await this.#ready();
    await session.execute({ plane: 'logout' }, EMPTY, 'logout');
    if (this.#session === session) {
      this.#session = undefined;
      this.#stopPing();
      this.#setState('idle');
    }
    session.connection.close(disconnectedError('logged out'));
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
    const payload = await this.#metadata(Operation.CreateStream, encodeCreateStreamBody(name), `create stream '${name}'`);
    return decodeStream(payload);
  }

  /** null = not found. */
  async getStream(id: Identifier): Promise<StreamDetails | null> {
    const body = encodeIdentifiers([id, 'stream id']);
    return nullWhenMissing(async () => decodeStreamDetails(await this.#read(ReadCode.GetStream, body, 'get stream')), [
      IggyErrorCode.StreamIdNotFound,
      IggyErrorCode.StreamNameNotFound,
    ]);
  }

  async getStreams(): Promise<StreamDetails[]> {
    return decodeStreams(await this.#read(ReadCode.GetStreams, EMPTY, 'get streams'));
  }

  async deleteStream(id: Identifier): Promise<void> {
    await this.#metadata(Operation.DeleteStream, encodeIdentifiers([id, 'stream id']), `delete stream ${String(id)}`);
  }

  async purgeStream(id: Identifier): Promise<void> {
    await this.#metadata(Operation.PurgeStream, encodeIdentifiers([id, 'stream id']), `purge stream ${String(id)}`);
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
    const payload = await this.#metadata(Operation.CreateTopic, encodeCreateTopicBody(req), `create topic '${req?.name}'`);
    const topic = decodeTopicDetails(payload);
    if (!topic) throw protocolError('create topic reply carries no topic');
    return topic;
  }

  /** null = stream or topic not found. */
  async getTopic(streamId: Identifier, topicId: Identifier): Promise<TopicDetails | null> {
    const body = encodeIdentifiers([streamId, 'stream id'], [topicId, 'topic id']);
    return nullWhenMissing(async () => decodeTopicDetails(await this.#read(ReadCode.GetTopic, body, 'get topic')), [
      IggyErrorCode.StreamIdNotFound,
      IggyErrorCode.StreamNameNotFound,
      IggyErrorCode.TopicIdNotFound,
      IggyErrorCode.TopicNameNotFound,
    ]);
  }

  async getTopics(streamId: Identifier): Promise<TopicSummary[]> {
    return decodeTopics(await this.#read(ReadCode.GetTopics, encodeIdentifiers([streamId, 'stream id']), 'get topics'));
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
    await this.#metadata(Operation.CreatePartitions, encodePartitionsBody(streamId, topicId, count), 'create partitions');
  }

  async deletePartitions(streamId: Identifier, topicId: Identifier, count: number): Promise<void> {
    await this.#metadata(Operation.DeletePartitions, encodePartitionsBody(streamId, topicId, count), 'delete partitions');
  }

  // ─── messages ───────────────────────────────────────────────────────────────

  async sendMessages(req: SendMessagesInput): Promise<SendResult> {
    const body = encodeSendMessagesBody(req);
    return decodeSendReply(await this.#call({ plane: 'partition', operation: Operation.SendMessages }, body, 'send messages'));
  }

  async pollMessages(req: PollMessagesInput): Promise<PolledMessages> {
    const body = encodePollMessagesBody(req);
    return decodePollReply(await this.#read(ReadCode.PollMessages, body, 'poll messages'));
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
    await this.#call({ plane: 'partition', operation: Operation.StoreConsumerOffset }, body, 'store consumer offset');
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

  async deleteConsumerOffset(req: { consumer: Consumer; streamId: Identifier; topicId: Identifier; partitionId?: number }): Promise<void> {
    const body = encodeDeleteConsumerOffsetBody(req);
    await this.#call({ plane: 'partition', operation: Operation.DeleteConsumerOffset }, body, 'delete consumer offset');
  }

  // ─── consumer groups ────────────────────────────────────────────────────────

  async createConsumerGroup(streamId: Identifier, topicId: Identifier, name: string): Promise<ConsumerGroupDetails> {
    const body = encodeCreateConsumerGroupBody(streamId, topicId, name);
    const payload = await this.#metadata(Operation.CreateConsumerGroup, body, `create consumer group '${name}'`);
    // The reply may carry the group details or nothing (reference §10 item 4).
    const group = decodeConsumerGroupDetails(payload) ?? (await this.getConsumerGroup(streamId, topicId, name));
    if (!group) throw protocolError(`consumer group '${name}' was created but cannot be read back`);
    return group;
  }

  /** null = group not found (a missing stream or topic is an error). */
  async getConsumerGroup(streamId: Identifier, topicId: Identifier, groupId: Identifier): Promise<ConsumerGroupDetails | null> {
    const body = encodeIdentifiers([streamId, 'stream id'], [topicId, 'topic id'], [groupId, 'consumer group id']);
    return decodeConsumerGroupDetails(await this.#read(ReadCode.GetConsumerGroup, body, 'get consumer group'));
  }

  async getConsumerGroups(streamId: Identifier, topicId: Identifier): Promise<ConsumerGroupDetails[]> {
    const body = encodeIdentifiers([streamId, 'stream id'], [topicId, 'topic id']);
    return decodeConsumerGroups(await this.#read(ReadCode.GetConsumerGroups, body, 'get consumer groups'));
  }

  async joinConsumerGroup(streamId: Identifier, topicId: Identifier, groupId: Identifier): Promise<void> {
    const body = encodeIdentifiers([streamId, 'stream id'], [topicId, 'topic id'], [groupId, 'consumer group id']);
    await this.#metadata(Operation.JoinConsumerGroup, body, 'join consumer group');
  }

  /** The partitions assigned to this client; null = not a member. */
  async syncConsumerGroup(streamId: Identifier, topicId: Identifier, groupId: Identifier): Promise<ConsumerGroupAssignment | null> {
    const body = encodeIdentifiers([streamId, 'stream id'], [topicId, 'topic id'], [groupId, 'consumer group id']);
    return decodeConsumerGroupAssignment(await this.#read(ReadCode.SyncConsumerGroup, body, 'sync consumer group'));
  }

  async leaveConsumerGroup(streamId: Identifier, topicId: Identifier, groupId: Identifier): Promise<void> {
    const body = encodeIdentifiers([streamId, 'stream id'], [topicId, 'topic id'], [groupId, 'consumer group id']);
    await this.#metadata(Operation.LeaveConsumerGroup, body, 'leave consumer group');
  }

  async deleteConsumerGroup(streamId: Identifier, topicId: Identifier, groupId: Identifier): Promise<void> {
    const body = encodeIdentifiers([streamId, 'stream id'], [topicId, 'topic id'], [groupId, 'consumer group id']);
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
