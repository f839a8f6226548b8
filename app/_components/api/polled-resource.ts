import { ApiRequestError } from './client';

/** What a component sees of a polled resource: the last good answer (kept through errors) and the last error. */
export interface PolledState<T> {
  data: T | undefined;
  error: ApiRequestError | undefined;
}

type Listener = () => void;

/**
 * One JSON resource the page polls while anything on screen reads it: fetched at once when the first reader
 * subscribes, then `intervalMs` after each answer (success or failure alike, so recovery is noticed within
 * one interval), paused while the tab is hidden and refreshed the moment it is shown or focused again; it
 * stops when the last reader goes. Every reader of one instance shares one request.
 *
 * The dashboard polls with SWR now (use-demo-data.ts); this stays only until the labs' useLab moves to SWR too,
 * and goes with it.
 */
export class PolledResource<T> {
  private state: PolledState<T> = { data: undefined, error: undefined };
  private readonly listeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  private again = false;
  // A local write wins over an answer to a request that was already on its way when the write happened.
  private version = 0;

  constructor(
    private readonly fetcher: () => Promise<T>,
    private intervalMs: number,
  ) {}

  /** Polls at a new pace; a shorter interval reschedules the waiting poll so it applies at once. */
  setIntervalMs(intervalMs: number): void {
    if (intervalMs === this.intervalMs) return;
    const shorter = intervalMs < this.intervalMs;
    this.intervalMs = intervalMs;
    if (shorter && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.schedule();
    }
  }

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  };

  readonly getSnapshot = (): PolledState<T> => this.state;

  /** Replaces the data locally (a fresher answer from elsewhere, e.g. a server-sent status event). */
  set(update: T | ((current: T | undefined) => T | undefined)): void {
    const data =
      typeof update === 'function'
        ? (update as (current: T | undefined) => T | undefined)(this.state.data)
        : update;
    if (data === undefined) return;
    this.version += 1;
    this.publish({ data, error: undefined });
  }

  /** Fetches now (or once more right after the request already in flight), then polls on from there. */
  revalidate = (): Promise<void> => {
    if (this.inFlight) {
      this.again = true;
      return Promise.resolve();
    }
    return this.fetchOnce();
  };

  private async fetchOnce(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight = true;
    const version = this.version;
    let next: PolledState<T>;
    try {
      next = { data: await this.fetcher(), error: undefined };
    } catch (cause) {
      const error =
        cause instanceof ApiRequestError ? cause : new ApiRequestError('INTERNAL', 'Unexpected error', 0);
      next = { data: this.state.data, error };
    }
    this.inFlight = false;
    if (version === this.version) this.publish(next);
    if (this.again) {
      this.again = false;
      return this.fetchOnce();
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.listeners.size === 0 || isHidden()) return;
    this.timer = setTimeout(() => void this.fetchOnce(), this.intervalMs);
  }

  private readonly onShown = () => {
    if (!isHidden()) void this.revalidate();
  };

  private start(): void {
    if (typeof window !== 'undefined') {
      document.addEventListener('visibilitychange', this.onShown);
      window.addEventListener('focus', this.onShown);
    }
    void this.revalidate();
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (typeof window !== 'undefined') {
      document.removeEventListener('visibilitychange', this.onShown);
      window.removeEventListener('focus', this.onShown);
    }
  }

  private publish(next: PolledState<T>): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}

function isHidden(): boolean {
  return typeof document !== 'undefined' && document.hidden;
}
