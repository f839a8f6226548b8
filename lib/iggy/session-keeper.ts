/**
 * Keeps one registered session alive for IggyClient: connect, register, keep-alive ping,
 * reconnect with capped backoff (a fresh client id every time), state changes, frame taps.
 * Calls made while (re)connecting wait up to the request timeout; nothing waits forever.
 *
 * Just over 400 lines on purpose: one state machine (idle → connecting → connected → reconnecting → closed)
 * whose transitions read best together.
 */

import { Connection, type FrameDirection, type FrameTap } from './connection';
import { IggyError, closedError, disconnectedError } from './errors';
import { CancellableSleep, backoffDelayMs } from './backoff';
import type { ReconnectOptions } from './reconnect';
import { Session, isTerminal, type ExecuteOptions, type RequestKind } from './session';
import { formatAddress } from './url';
import { summarizeFrame } from './wire/header';
import type { LoginInput } from './wire/commands/login';

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

export type StateListener = (state: ConnectionState, error?: IggyError) => void;
export type FrameListener = (frame: FrameEvent) => void;

/** Validated settings; IggyClient checks the user's options before building these. */
export interface KeeperSettings {
  host: string;
  port: number;
  credentials: LoginInput;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  maxFrameBytes: number;
  /** 0 disables keep-alive */
  pingIntervalMs: number;
  reconnect: Required<ReconnectOptions>;
}

/**
 * Where a new session comes from. Without one the keeper dials its own host and port; the cluster client's source
 * looks for the primary instead (docs/architecture.md#the-cluster-aware-connection).
 */
export interface SessionSource {
  /** The node of the newest session, "host:port". */
  readonly address: string;
  /** A registered session; `cause` is the error that ended the previous one (absent on a first connect). */
  establish(cause?: IggyError, tap?: FrameTap): Promise<Session>;
  /** Told at once when the live session's connection ends (before any reconnect attempt). */
  lost?(error: IggyError): void;
  /** How long a call may wait for a session while (re)connecting, when not the request timeout. */
  readonly readyTimeoutMs?: number | undefined;
}

const EMPTY = Buffer.alloc(0);
const LOGOUT_ON_CLOSE_TIMEOUT_MS = 1_000;

function asIggyError(error: unknown): IggyError {
  return error instanceof IggyError ? error : disconnectedError(String(error), error);
}

export class SessionKeeper {
  readonly #settings: KeeperSettings;
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

  readonly #source: SessionSource | undefined;

  constructor(settings: KeeperSettings, source?: SessionSource) {
    this.#settings = settings;
    this.#source = source;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** "host:port", never credentials. */
  get address(): string {
    return this.#source?.address ?? formatAddress(this.#settings.host, this.#settings.port);
  }

  /** Frames of sessions the cluster client opens on other nodes go to the same listeners. */
  get frameTap(): FrameTap {
    return this.#tap;
  }

  /** The live session, if connected: the cluster client reads metadata on it and compares nodes. */
  get session(): Session | undefined {
    return this.#state === 'connected' ? this.#session : undefined;
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

  /**
   * Drops the socket at once: no logout, no reconnect, and this keeper is closed afterwards. The server sees
   * the client vanish as after a crash or a pulled cable, so it does its own cleanup (a consumer group
   * removes the member and deals its partitions out again). Calls in flight reject as disconnected.
   */
  dropConnection(): void {
    if (this.#state === 'closed') return;
    const session = this.#session;
    this.#session = undefined;
    this.#stopPing();
    this.#closing ??= Promise.resolve();
    this.#setState('closed');
    this.#sleep.cancel();
    session?.connection.close(disconnectedError('the connection was dropped on purpose (no logout)'));
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
          timer = setTimeout(resolve, Math.min(this.#settings.requestTimeoutMs, LOGOUT_ON_CLOSE_TIMEOUT_MS));
        }),
      ]);
      clearTimeout(timer);
      session.connection.close(closedError());
    }
  }

  async #establish(cause?: IggyError): Promise<Session> {
    if (this.#source) return this.#source.establish(cause, this.#tap);
    const connection = await Connection.open({
      host: this.#settings.host,
      port: this.#settings.port,
      connectTimeoutMs: this.#settings.connectTimeoutMs,
      maxFrameBytes: this.#settings.maxFrameBytes,
      tap: this.#tap,
    });
    try {
      return await Session.register(connection, this.#settings.credentials, {
        requestTimeoutMs: this.#settings.requestTimeoutMs,
      });
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

  /**
   * Moves to a session on another node while connected (the cluster client found where a write belongs): the
   * old connection is closed without a reconnect, calls already queued on it fail as disconnected.
   */
  replaceSession(session: Session): void {
    const old = this.#session;
    if (this.#state === 'closed') {
      session.connection.close(closedError());
      return;
    }
    this.#session = undefined;
    this.#adopt(session);
    if (old && old !== session)
      old.connection.close(disconnectedError(`moved from ${old.connection.address} to another node`));
  }

  #onConnectionLost(session: Session, error: IggyError): void {
    if (this.#session !== session) return;
    this.#session = undefined;
    this.#stopPing();
    if (this.#state === 'closed') return;
    this.#source?.lost?.(error);
    this.#lastError = error;
    if (!this.#settings.reconnect.enabled || isTerminal(error)) {
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
      if (attempt >= this.#settings.reconnect.maxAttempts) break;
      await this.#sleep.wait(
        backoffDelayMs(attempt, this.#settings.reconnect.initialDelayMs, this.#settings.reconnect.maxDelayMs),
      );
      if (this.#state !== 'reconnecting') break;
      try {
        const session = await this.#establish(lastError);
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
  ready(): Promise<Session> {
    const check = (): Session | IggyError | undefined => {
      if (this.#state === 'connected' && this.#session) return this.#session;
      if (this.#state === 'closed') return closedError();
      if (this.#state === 'idle') {
        const cause = this.#lastError ? ` (last error: ${this.#lastError.message})` : '';
        return disconnectedError(
          `not connected to the Iggy server at ${this.address}${cause}`,
          this.#lastError,
        );
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
            `still ${this.#state} to the Iggy server at ${this.address} after ${this.#readyTimeoutMs} ms`,
            this.#lastError,
          ),
        );
      }, this.#readyTimeoutMs);
      this.#stateWaiters.add(wake);
    });
  }

  get #readyTimeoutMs(): number {
    return this.#source?.readyTimeoutMs ?? this.#settings.requestTimeoutMs;
  }

  async call(kind: RequestKind, body: Buffer, describe: string, options?: ExecuteOptions): Promise<Buffer> {
    const session = await this.ready();
    return session.execute(kind, body, describe, options);
  }

  #startPing(): void {
    this.#stopPing();
    if (this.#settings.pingIntervalMs <= 0) return;
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
    }, this.#settings.pingIntervalMs);
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

  async ping(): Promise<void> {
    const session = await this.ready();
    this.lastRoundTripMs = await session.ping();
  }

  /** Logs out and drops the connection (an unbound socket is of no further use); state becomes idle. */
  async logout(): Promise<void> {
    const session = await this.ready();
    await session.execute({ plane: 'logout' }, EMPTY, 'logout');
    if (this.#session === session) {
      this.#session = undefined;
      this.#stopPing();
      this.#setState('idle');
    }
    session.connection.close(disconnectedError('logged out'));
  }
}
