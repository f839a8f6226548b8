import { isIggyError, type ConnectionState, type IggyClient, type IggyError } from '@/lib/iggy';
import { toErrorInfo } from './errors';
import type { ErrorInfo, IggyConnectionState } from './types';

type KeptClient = Pick<
  IggyClient,
  | 'connect'
  | 'close'
  | 'state'
  | 'onStateChange'
  | 'serverVersion'
  | 'lastRoundTripMs'
  | 'address'
  | 'lastError'
>;

/** A reconnect that has not succeeded within this long is shown as "unreachable" rather than "reconnecting". */
const RECONNECTING_GRACE_MS = 3000;

/**
 * Watches one IggyClient's connection for the demo: owns its first connect, remembers why the last attempt
 * failed and folds the client's state into what the page shows. (Keeping the session alive is lib/iggy's
 * SessionKeeper; this only watches it, hence "monitor".) Once the client has connected it reconnects by itself
 * after a drop; before that (the server was not up when the app started) the loops call ready(), which makes a
 * fresh attempt each time.
 */
export class ConnectionMonitor {
  #connecting: Promise<void> | undefined;
  #lastError: ErrorInfo | undefined;
  #closed = false;
  #everConnected = false;
  #disconnectedAtMs: number | undefined;
  #latestSource: IggyError | undefined;
  #latestInfo: ErrorInfo | undefined;
  readonly #unsubscribe: () => void;
  readonly #onChange: () => void;

  constructor(
    readonly client: KeptClient,
    onChange: () => void = () => {},
  ) {
    this.#onChange = onChange;
    this.#unsubscribe = client.onStateChange((state: ConnectionState, error?: IggyError) => {
      if (state === 'connected') {
        this.#everConnected = true;
        this.#lastError = undefined;
        this.#disconnectedAtMs = undefined;
      } else {
        this.#disconnectedAtMs ??= Date.now();
        if (error) this.#lastError = toErrorInfo(error);
      }
      this.#onChange();
    });
  }

  get state(): ConnectionState {
    return this.client.state;
  }

  /** Why the client is not connected (the newest failed attempt), or undefined while connected. */
  get error(): ErrorInfo | undefined {
    if (this.client.state === 'connected') return undefined;
    const latest = this.client.lastError;
    if (!latest) return this.#lastError;
    // Keep the first-seen time of each distinct error instead of restamping it on every status read.
    if (latest !== this.#latestSource) {
      this.#latestSource = latest;
      this.#latestInfo = toErrorInfo(latest);
    }
    return this.#latestInfo;
  }

  /** What the UI badge shows. */
  reportedState(nowMs: number = Date.now()): IggyConnectionState {
    const state = this.client.state;
    if (state === 'connected') return 'connected';
    if (state === 'reconnecting') {
      const since = this.#disconnectedAtMs ?? nowMs;
      return nowMs - since > RECONNECTING_GRACE_MS ? 'unreachable' : 'reconnecting';
    }
    if (this.#lastError || this.client.lastError) return 'unreachable';
    return this.#everConnected ? 'reconnecting' : 'connecting';
  }

  /** Resolves when connected; rejects with the connect error so the caller can back off. */
  async ready(): Promise<void> {
    if (this.#closed) throw new Error('the demo runtime is closed');
    const state = this.client.state;
    if (state === 'connected') return;
    // While the client reconnects by itself, calls wait for it inside the client (bounded by its timeout).
    if (state === 'reconnecting' || (state === 'connecting' && !this.#connecting)) return;
    this.#connecting ??= this.client
      .connect()
      .then(() => {
        this.#everConnected = true;
        this.#lastError = undefined;
        this.#onChange();
      })
      .catch((error: unknown) => {
        this.#lastError = toErrorInfo(error);
        this.#onChange();
        throw error;
      })
      .finally(() => {
        this.#connecting = undefined;
      });
    await this.#connecting;
  }

  /** True when retrying with the same settings cannot help (wrong password, wrong protocol version). */
  static isTerminal(error: unknown): boolean {
    return isIggyError(error) && error.terminal;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#unsubscribe();
    await this.client.close();
  }
}
