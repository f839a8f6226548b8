/**
 * The explorer's own Iggy connections, separate from the dashboard's and the labs': at most one per
 * role ('browse' for reads, 'send' for sends, 'sampler' for the lag history), each created on first
 * use, each running one request at a time so a view's frame recording sees only its own frames, and
 * all closed after EXPLORER_LIMITS.idleMs without a request.
 */
import { IggyClient, type IggyClientOptions } from '@/lib/iggy';
import { isUnavailableError } from '@/lib/demo/errors';
import { FrameRecorder } from '@/lib/labs/frame-recorder';
import type { ExplorerCost } from './contract';
import { ExplorerError } from './errors';
import { EXPLORER_LIMITS } from './limits';

export type ExplorerRole = 'browse' | 'send' | 'sampler';

export interface ExplorerHostOptions {
  host: string;
  port: number;
  username: string;
  password: string;
  /** host:port, shown to the browser (never the credentials). */
  address: string;
  clientOptions?: Partial<IggyClientOptions>;
  idleMs?: number;
  now?: () => number;
}

interface Lane {
  client?: IggyClient;
  queue: Promise<unknown>;
  queued: number;
}

export type Recorded<T> = ExplorerCost & { value: T };

export class ExplorerHost {
  readonly address: string;
  readonly #options: ExplorerHostOptions;
  readonly #lanes = new Map<ExplorerRole, Lane>();
  readonly #now: () => number;
  #lastUsedMs: number;
  #sweep: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(options: ExplorerHostOptions) {
    this.#options = options;
    this.address = options.address;
    this.#now = options.now ?? Date.now;
    this.#lastUsedMs = this.#now();
  }

  get closed(): boolean {
    return this.#closed;
  }

  get connectionCount(): number {
    return [...this.#lanes.values()].filter((lane) => lane.client).length;
  }

  /** Runs `fn` on the role's connection after earlier requests, recording the frames it causes. */
  record<T>(role: ExplorerRole, fn: (client: IggyClient) => Promise<T>): Promise<Recorded<T>> {
    return this.#serialized(role, async (lane) => {
      const recorder = new FrameRecorder(EXPLORER_LIMITS.framesPerView);
      try {
        const client = await this.#client(lane, role, recorder);
        const value = await fn(client);
        return { value, ...recorder.stop() };
      } finally {
        recorder.stop();
      }
    });
  }

  /** Like record, without the recording (the lag sampler's background reads). */
  run<T>(role: ExplorerRole, fn: (client: IggyClient) => Promise<T>): Promise<T> {
    return this.#serialized(role, async (lane) => fn(await this.#client(lane, role)));
  }

  /** Closes idle connections; the next request connects again. */
  async sweepIdle(): Promise<boolean> {
    if (
      this.connectionCount === 0 ||
      this.#now() - this.#lastUsedMs < (this.#options.idleMs ?? EXPLORER_LIMITS.idleMs)
    )
      return false;
    await this.disconnect();
    return true;
  }

  async disconnect(): Promise<void> {
    const clients = [...this.#lanes.values()].flatMap((lane) => {
      const client = lane.client;
      lane.client = undefined;
      return client ? [client] : [];
    });
    await Promise.allSettled(clients.map((client) => client.close()));
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#sweep) clearInterval(this.#sweep);
    this.#sweep = undefined;
    await this.disconnect();
  }

  async #client(lane: Lane, role: ExplorerRole, recorder?: FrameRecorder): Promise<IggyClient> {
    if (lane.client) {
      recorder?.attach(role, lane.client);
      return lane.client;
    }
    const client = this.#newClient(role);
    recorder?.attach(role, client);
    try {
      await client.connect();
    } catch (error) {
      await client.close().catch(() => undefined);
      throw this.#unavailable(error);
    }
    lane.client = client;
    this.#startSweep();
    return client;
  }

  #serialized<T>(role: ExplorerRole, fn: (lane: Lane) => Promise<T>): Promise<T> {
    if (this.#closed)
      return Promise.reject(new ExplorerError('IGGY_UNAVAILABLE', 'the explorer is shut down'));
    this.#lastUsedMs = this.#now();
    let lane = this.#lanes.get(role);
    if (!lane) {
      lane = { queue: Promise.resolve(), queued: 0 };
      this.#lanes.set(role, lane);
    }
    if (lane.queued >= EXPLORER_LIMITS.maxQueued)
      return Promise.reject(
        new ExplorerError(
          'RATE_LIMITED',
          'the explorer is busy with earlier requests; try again in a moment',
        ),
      );
    const current = lane;
    current.queued += 1;
    const guarded = async () => {
      try {
        return await fn(current);
      } catch (error) {
        if (isUnavailableError(error)) {
          // A lost connection is dropped, so the next request starts afresh.
          const client = current.client;
          current.client = undefined;
          await client?.close().catch(() => undefined);
          throw this.#unavailable(error);
        }
        throw error;
      }
    };
    const run = current.queue.then(guarded, guarded);
    current.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run.finally(() => {
      current.queued -= 1;
    });
  }

  #unavailable(error: unknown): ExplorerError {
    if (ExplorerError.is(error)) return error;
    return new ExplorerError('IGGY_UNAVAILABLE', `Iggy is not reachable at ${this.address}`);
  }

  #startSweep(): void {
    if (this.#sweep) return;
    this.#sweep = setInterval(() => void this.sweepIdle(), 30_000);
    this.#sweep.unref?.();
  }

  #newClient(role: ExplorerRole): IggyClient {
    const o = this.#options;
    return new IggyClient({
      connectTimeoutMs: 3_000,
      requestTimeoutMs: 5_000,
      reconnect: { enabled: false },
      // No keep-alive pings: a view's frames are then exactly the ones it caused.
      pingIntervalMs: 0,
      maxFrameBytes: EXPLORER_LIMITS.maxFrameBytes,
      ...o.clientOptions,
      host: o.host,
      port: o.port,
      username: o.username,
      password: o.password,
      sdkName: `iggy-demo-explorer-${role}`,
    });
  }
}
