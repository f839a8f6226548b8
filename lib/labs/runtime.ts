/**
 * The labs' moving parts: one LabHost per lab, each owning its Iggy connections (created on first
 * use), its cleanups (timers a lab starts) and a queue that runs its actions one at a time. Idle labs
 * lose their connections after IDLE_MS with no request; Reset and close() release everything.
 *
 * Just over 400 lines on purpose: LabHost is one lifecycle (connect, act, read, idle close, reset) that the
 * labs share; splitting it would scatter that lifecycle across files.
 */

import { IggyClient, type IggyClientOptions, type IggySeed } from '@/lib/iggy';
import { isUnavailableError } from '@/lib/demo/errors';
import { silentLogger, type Logger } from '@/lib/demo/logger';
import type { LabsConfig } from './config';
import type { LabIggyStatus } from './contract';
import { LabError } from './errors';
import { FrameRecorder, type FrameRecording } from './frame-recorder';

export const LAB_IDLE_MS = 10 * 60_000;
const IDLE_SWEEP_MS = 30_000;
/** Actions waiting behind the running one; more are refused instead of piling up. */
const MAX_QUEUED_ACTIONS = 4;
/** Connections one lab may hold unless it asks for more (LabHostOptions.maxConnections). */
const MAX_CONNECTIONS_PER_LAB = 6;
/** No lab may ask for more than this: each one is a TCP connection and a session on the server. */
const MAX_CONNECTIONS_ANY_LAB = 16;

export type ClientFactory = (options: IggyClientOptions) => IggyClient;

/**
 * Where a lab connection goes. By default (no target) to IGGY_URL's first address, as every lab always did.
 * `node`: that one address, never cluster-aware (a lab that shows what a follower answers). `cluster`: every
 * seed of IGGY_URL, cluster-aware, so the connection finds the primary and follows it
 * (docs/architecture.md#the-cluster-aware-connection).
 */
export type LabClientTarget = { kind: 'node'; host: string; port: number } | { kind: 'cluster' };

/** How long a lab's cluster-aware connection looks for a primary before its call fails (NoPrimary). */
export const LAB_FAILOVER_DEADLINE_MS = 10_000;

export interface LabsRuntimeOptions {
  logger?: Logger;
  /** Timeouts and the like; host, port and credentials come from the config. */
  clientOptions?: Partial<IggyClientOptions>;
  idleMs?: number;
  sweepMs?: number;
  now?: () => number;
}

/** What a lab module implements so the runtime can reset it and tidy up after it. */
export interface Lab {
  /** Delete the lab's topic and forget its state; the host's connections are closed afterwards. */
  reset(): Promise<unknown>;
}

/** Handed to an action: the lab's connections, each recorded while the action runs. */
export interface LabActionContext {
  /** `target` counts only when the role connects: a role keeps the connection it was first given. */
  client(role?: string, target?: LabClientTarget): Promise<IggyClient>;
  /** Creates the labs' stream when it does not exist yet. */
  ensureStream(client: IggyClient): Promise<void>;
}

/** Per-lab settings, given when the lab is first built (LabsRuntime.lab). */
export interface LabHostOptions {
  /** Connections the lab may hold (default 6): a consumer-group lab needs one per member. */
  maxConnections?: number;
}

export interface Recorded<T> extends FrameRecording {
  value: T;
}

export class LabHost {
  readonly name: string;
  readonly streamName: string;
  readonly address: string;
  /** Every address of IGGY_URL (one for a single server), for a lab that connects to each node itself. */
  readonly seeds: readonly IggySeed[];
  readonly #clients = new Map<string, IggyClient>();
  readonly #connecting = new Map<string, Promise<IggyClient>>();
  readonly #cleanups = new Set<() => void>();
  readonly #newClient: (role: string, target?: LabClientTarget) => IggyClient;
  readonly #now: () => number;
  readonly #logger: Logger;
  #maxConnections = MAX_CONNECTIONS_PER_LAB;
  #queue: Promise<unknown> = Promise.resolve();
  #queued = 0;
  #lastUsedMs: number;
  #lastError: string | undefined;
  #everReached = false;
  #closed = false;

  constructor(
    name: string,
    deps: {
      config: LabsConfig;
      newClient: (role: string, target?: LabClientTarget) => IggyClient;
      now: () => number;
      logger: Logger;
    },
  ) {
    this.name = name;
    this.streamName = deps.config.streamName;
    this.address = deps.config.address;
    this.seeds = deps.config.iggy.seeds;
    this.#newClient = deps.newClient;
    this.#now = deps.now;
    this.#logger = deps.logger;
    this.#lastUsedMs = deps.now();
  }

  /** Applies a lab's own settings (the connection limit, capped at MAX_CONNECTIONS_ANY_LAB). */
  configure(options: LabHostOptions): void {
    if (options.maxConnections !== undefined)
      this.#maxConnections = Math.max(1, Math.min(MAX_CONNECTIONS_ANY_LAB, options.maxConnections));
  }

  get maxConnections(): number {
    return this.#maxConnections;
  }

  get lastUsedMs(): number {
    return this.#lastUsedMs;
  }

  get connectionCount(): number {
    return this.#clients.size;
  }

  /** A page is looking at the lab: keep its connections for another idle period. */
  touch(): void {
    this.#lastUsedMs = this.#now();
  }

  iggyStatus(): LabIggyStatus {
    if (this.#lastError === undefined) return { reachable: true, address: this.address };
    return { reachable: false, address: this.address, message: this.#lastError };
  }

  /**
   * A connection for `role`, connected and logged in; created on first use. `recorder` (an action's)
   * sees a new connection's login frames too.
   */
  async client(
    role = 'lab',
    recorder?: Pick<FrameRecorder, 'attach'>,
    target?: LabClientTarget,
  ): Promise<IggyClient> {
    if (this.#closed) throw new LabError('IGGY_UNAVAILABLE', 'the labs are shut down');
    const existing = this.#clients.get(role);
    if (existing) return existing;
    const pending = this.#connecting.get(role);
    if (pending) return pending;
    if (this.#clients.size + this.#connecting.size >= this.#maxConnections)
      throw new LabError('BAD_REQUEST', `a lab may hold at most ${this.#maxConnections} connections`);
    const connecting = (async () => {
      const client = this.#newClient(`${this.name}/${role}`, target);
      recorder?.attach(role, client);
      try {
        await client.connect();
      } catch (error) {
        await client.close().catch(() => undefined);
        throw this.#unavailable(error);
      }
      this.#clients.set(role, client);
      this.#everReached = true;
      this.#lastError = undefined;
      return client;
    })();
    this.#connecting.set(role, connecting);
    try {
      return await connecting;
    } finally {
      this.#connecting.delete(role);
    }
  }

  /**
   * Runs one action after the ones before it, recording the frames it causes on every connection it
   * uses. A lost server drops the lab's connections, so the next request starts afresh.
   */
  act<T>(fn: (ctx: LabActionContext) => Promise<T>): Promise<Recorded<T>> {
    return this.#serialized(async () => {
      const recorder = new FrameRecorder();
      const attached = new Set<string>();
      const ctx: LabActionContext = {
        client: async (role = 'lab', target) => {
          const known = this.#clients.get(role);
          if (known && !attached.has(role)) {
            recorder.attach(role, known);
            attached.add(role);
          }
          const client = known ?? (await this.client(role, recorder, target));
          attached.add(role);
          return client;
        },
        ensureStream: async (client) => {
          await client.ensureStream(this.streamName);
        },
      };
      try {
        const value = await this.#guard(() => fn(ctx));
        return { value, ...recorder.stop() };
      } finally {
        recorder.stop();
      }
    });
  }

  /** A read for the lab's state, on its own connection so it never waits for (or shows up in) an action. */
  async read<T>(fn: (client: IggyClient) => Promise<T>, target?: LabClientTarget): Promise<T> {
    this.touch();
    try {
      return await this.#guard(async () => fn(await this.client('state', undefined, target)));
    } catch (error) {
      // A connection the server dropped since the last read fails once; a fresh one tells the truth.
      if (!LabError.is(error) || error.code !== 'IGGY_UNAVAILABLE' || !this.#everReached) throw error;
      return this.#guard(async () => fn(await this.client('state', undefined, target)));
    }
  }

  /** A timer or listener a lab started: stopped on reset, on idle and on close. */
  addCleanup(cleanup: () => void): () => void {
    this.#cleanups.add(cleanup);
    return () => this.#cleanups.delete(cleanup);
  }

  /** Runs `fn` in the action queue (Reset uses it so it never interleaves with an action). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.#serialized(fn);
  }

  /** Closes one connection (a lab member that leaves) and forgets it; the role may connect again later. */
  async release(role: string): Promise<void> {
    const client = this.#clients.get(role);
    if (!client) return;
    this.#clients.delete(role);
    await client.close().catch(() => undefined);
  }

  /** Closes every connection and runs every cleanup; the host can connect again later. */
  async disconnect(): Promise<void> {
    for (const cleanup of [...this.#cleanups]) {
      try {
        cleanup();
      } catch (error) {
        this.#logger.warn({ lab: this.name, err: String(error) }, 'lab cleanup failed');
      }
    }
    this.#cleanups.clear();
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.allSettled(clients.map((client) => client.close()));
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.disconnect();
  }

  async #guard<T>(fn: () => Promise<T>): Promise<T> {
    this.touch();
    try {
      return await fn();
    } catch (error) {
      if (LabError.is(error) && error.code === 'IGGY_UNAVAILABLE') {
        await this.disconnect();
        throw error;
      }
      if (isUnavailableError(error)) {
        const unavailable = this.#unavailable(error);
        await this.disconnect();
        throw unavailable;
      }
      throw error;
    }
  }

  #unavailable(error: unknown): LabError {
    const detail = error instanceof Error ? error.message : String(error);
    this.#lastError = `Iggy is not reachable at ${this.address}${this.#everReached ? ' (the lab lost its connection)' : ''}`;
    this.#logger.debug({ lab: this.name, err: detail }, 'lab connection failed');
    return new LabError('IGGY_UNAVAILABLE', this.#lastError);
  }

  #serialized<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#queued >= MAX_QUEUED_ACTIONS)
      return Promise.reject(
        new LabError('BAD_REQUEST', 'the lab is still busy with earlier requests; try again in a moment'),
      );
    this.#queued += 1;
    const run = this.#queue.then(fn, fn);
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run.finally(() => {
      this.#queued -= 1;
    });
  }
}

/** Every lab of the process; created lazily by the first lab request (see runtime-singleton). */
export class LabsRuntime {
  readonly config: LabsConfig;
  readonly #hosts = new Map<string, LabHost>();
  readonly #labs = new Map<string, Lab>();
  readonly #options: LabsRuntimeOptions;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #idleMs: number;
  #sweep: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(config: LabsConfig, options: LabsRuntimeOptions = {}) {
    this.config = config;
    this.#options = options;
    this.#logger = options.logger ?? silentLogger();
    this.#now = options.now ?? Date.now;
    this.#idleMs = options.idleMs ?? LAB_IDLE_MS;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The lab module for `name`, built on first use around its host. */
  lab<T extends Lab>(name: string, create: (host: LabHost) => T, options?: LabHostOptions): T {
    if (this.#closed) throw new LabError('IGGY_UNAVAILABLE', 'the labs are shut down');
    const existing = this.#labs.get(name);
    if (existing) {
      this.host(name).touch();
      return existing as T;
    }
    const host = this.host(name);
    if (options) host.configure(options);
    const lab = create(host);
    this.#labs.set(name, lab);
    return lab;
  }

  host(name: string): LabHost {
    let host = this.#hosts.get(name);
    if (!host) {
      host = new LabHost(name, {
        config: this.config,
        newClient: (sdkRole, target) => this.#newClient(sdkRole, target),
        now: this.#now,
        logger: this.#logger,
      });
      this.#hosts.set(name, host);
      this.#startSweep();
    }
    return host;
  }

  /** Closes connections of labs nobody has used for the idle period (the page polls while open). */
  async sweepIdle(): Promise<string[]> {
    const now = this.#now();
    const closed: string[] = [];
    for (const [name, host] of this.#hosts) {
      if (host.connectionCount > 0 && now - host.lastUsedMs >= this.#idleMs) {
        await host.disconnect();
        closed.push(name);
      }
    }
    return closed;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#sweep) clearInterval(this.#sweep);
    this.#sweep = undefined;
    await Promise.allSettled([...this.#hosts.values()].map((host) => host.close()));
  }

  #startSweep(): void {
    if (this.#sweep) return;
    this.#sweep = setInterval(() => void this.sweepIdle(), this.#options.sweepMs ?? IDLE_SWEEP_MS);
    // The sweep must never keep the process alive on shutdown.
    this.#sweep.unref?.();
  }

  #newClient(sdkRole: string, target?: LabClientTarget): IggyClient {
    const { iggy } = this.config;
    const where =
      target?.kind === 'node'
        ? { host: target.host, port: target.port, cluster: false }
        : target?.kind === 'cluster'
          ? {
              host: iggy.host,
              port: iggy.port,
              seeds: iggy.seeds.map((s) => ({ host: s.host, port: s.port })),
              cluster: { failoverDeadlineMs: LAB_FAILOVER_DEADLINE_MS },
            }
          : { host: iggy.host, port: iggy.port };
    return new IggyClient({
      connectTimeoutMs: 3_000,
      requestTimeoutMs: 5_000,
      // A lab reconnects by building a fresh connection on its next request, never in the background.
      reconnect: { enabled: false },
      // No keep-alive pings: an action's frames are then exactly the ones it caused.
      pingIntervalMs: 0,
      ...this.#options.clientOptions,
      ...where,
      username: iggy.username,
      password: iggy.password,
      sdkName: `iggy-demo-lab-${sdkRole.replace(/[^a-z0-9-]/gi, '-')}`,
    });
  }
}
