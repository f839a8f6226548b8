// Keeps the timeline fed: history first, then Server-Sent Events resuming after the last seq held, falling back
// to polling /api/messages when EventSource keeps failing. Closed while the tab is hidden.
//
// The cursor is the server's `seq` (one counter across all partitions, assigned by the consumer loop), qualified
// by the `runId` of the app run that numbered it: when the app restarts, numbering starts again at 1, the server
// ignores the stale cursor and the first answer names the new run, so the page drops what it holds and starts over.
import type { DemoMessage, DemoStatus, MessagesResponse } from '@/lib/api/contract';
import type { PartitionReset } from '@/lib/api/contract';
import type { FailoverEvent } from '@/lib/demo/types';
import {
  parseDemoMessage,
  parseDemoStatus,
  parseFailoverEvent,
  parsePartitionReset,
  runIdOf,
} from '../api/parse';

export type FeedTransport = 'idle' | 'connecting' | 'streaming' | 'polling' | 'paused-hidden';

export interface MessageFeedOptions {
  onMessages(messages: DemoMessage[], source: 'history' | 'live'): void;
  onStatus?(status: DemoStatus): void;
  /** A partition lost messages (or a more precise report of one already known, same id). */
  onReset?(reset: PartitionReset): void;
  /** The cluster lost its primary (or a later report of that failover: the new primary found, same id). */
  onFailover?(failover: FailoverEvent): void;
  onTransport?(transport: FeedTransport): void;
  /** The app restarted (a new run): every seq held belongs to the old numbering, forget them. */
  onRunChanged?(): void;
  /** Highest seq already held by the page, or null. */
  cursor(): number | null;
  fetchImpl?: typeof fetch;
  eventSourceImpl?: typeof EventSource | undefined;
  doc?: Pick<Document, 'hidden' | 'addEventListener' | 'removeEventListener'>;
  historyLimit?: number;
  pollIntervalMs?: number;
  reconnectDelayMs?: number;
  /** Consecutive EventSource failures (without a successful open) before switching to polling. */
  failuresBeforePolling?: number;
  /** While polling, how often to try EventSource again. */
  retryStreamAfterMs?: number;
  requestTimeoutMs?: number;
}

export class MessageFeed {
  private source: EventSource | null = null;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private stopped = true;
  private polling = false;
  /** The run the held cursor belongs to; null until an answer named it. */
  private runId: string | null = null;
  private readonly fetchImpl: typeof fetch;
  private readonly EventSourceImpl: typeof EventSource | undefined;
  private readonly doc: MessageFeedOptions['doc'];

  constructor(private readonly options: MessageFeedOptions) {
    this.fetchImpl = options.fetchImpl ?? ((...args) => fetch(...args));
    this.EventSourceImpl =
      'eventSourceImpl' in options
        ? options.eventSourceImpl
        : typeof EventSource === 'undefined'
          ? undefined
          : EventSource;
    this.doc = options.doc ?? (typeof document === 'undefined' ? undefined : document);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.doc?.addEventListener('visibilitychange', this.onVisibility);
    void this.loadHistory().then(() => this.connect());
  }

  stop(): void {
    this.stopped = true;
    this.doc?.removeEventListener('visibilitychange', this.onVisibility);
    this.disconnect();
    this.options.onTransport?.('idle');
  }

  private onVisibility = (): void => {
    if (this.stopped) return;
    if (this.doc?.hidden) {
      this.disconnect();
      this.options.onTransport?.('paused-hidden');
    } else {
      this.failures = 0;
      this.connect();
    }
  };

  private disconnect(): void {
    this.source?.close();
    this.source = null;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    this.polling = false;
  }

  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Query parameters that resume after `after` within the run that numbered it. */
  private cursorParams(after: number | null): URLSearchParams {
    const params = new URLSearchParams();
    if (after === null) return params;
    params.set('after', String(after));
    if (this.runId !== null) params.set('run', this.runId);
    return params;
  }

  /** Notes the run an answer came from; a different one than before means the app restarted. */
  private observeRun(runId: string | null): void {
    if (runId === null) return;
    if (this.runId !== null && runId !== this.runId) this.options.onRunChanged?.();
    this.runId = runId;
  }

  private async fetchMessages(after: number | null, limit: number): Promise<DemoMessage[] | null> {
    const params = this.cursorParams(after);
    params.set('limit', String(limit));
    try {
      const response = await this.fetchImpl(`/api/messages?${params}`, {
        cache: 'no-store',
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 5_000),
      });
      if (!response.ok) return null;
      const body = (await response.json()) as Partial<MessagesResponse> | null;
      if (!body || !Array.isArray(body.messages)) return null;
      if (this.stopped) return null;
      this.observeRun(runIdOf(body));
      return body.messages.map(parseDemoMessage).filter((m): m is DemoMessage => m !== null);
    } catch {
      return null;
    }
  }

  private async loadHistory(): Promise<void> {
    const messages = await this.fetchMessages(this.options.cursor(), this.options.historyLimit ?? 1_000);
    if (!this.stopped && messages && messages.length > 0) this.options.onMessages(messages, 'history');
  }

  private connect(): void {
    if (this.stopped || this.doc?.hidden) return;
    this.disconnect();
    if (!this.EventSourceImpl) {
      this.startPolling();
      return;
    }
    this.options.onTransport?.('connecting');
    const after = this.options.cursor();
    const query = this.cursorParams(after).toString();
    const url = query === '' ? '/api/events' : `/api/events?${query}`;
    const source = new this.EventSourceImpl(url);
    this.source = source;
    source.addEventListener('open', () => {
      if (this.source !== source) return;
      this.failures = 0;
      this.options.onTransport?.('streaming');
      // Without a cursor the stream only carries new messages: catch anything produced before it opened.
      if (after === null) {
        void this.fetchMessages(null, this.options.historyLimit ?? 1_000).then((messages) => {
          if (messages && messages.length > 0 && this.source === source)
            this.options.onMessages(messages, 'history');
        });
      }
    });
    source.addEventListener('message', (event) => {
      if (this.source !== source) return;
      const message = parseDemoMessage(safeJson((event as MessageEvent<string>).data));
      if (message) this.options.onMessages([message], 'live');
    });
    source.addEventListener('reset', (event) => {
      if (this.source !== source) return;
      const reset = parsePartitionReset(safeJson((event as MessageEvent<string>).data));
      if (reset) this.options.onReset?.(reset);
    });
    source.addEventListener('failover', (event) => {
      if (this.source !== source) return;
      const failover = parseFailoverEvent(safeJson((event as MessageEvent<string>).data));
      if (failover) this.options.onFailover?.(failover);
    });
    source.addEventListener('status', (event) => {
      if (this.source !== source) return;
      const status = parseDemoStatus(safeJson((event as MessageEvent<string>).data));
      if (!status) return;
      // The stream opens with a status event, before any replay: a new run is noticed before its messages arrive.
      this.observeRun(runIdOf(status));
      this.options.onStatus?.(status);
    });
    source.addEventListener('error', () => {
      if (this.source !== source) return;
      // Reconnect ourselves so the new connection resumes after the last seq we actually hold.
      source.close();
      this.source = null;
      this.failures += 1;
      if (this.failures >= (this.options.failuresBeforePolling ?? 3)) {
        this.startPolling();
        this.later(() => this.connect(), this.options.retryStreamAfterMs ?? 15_000);
      } else {
        this.options.onTransport?.('connecting');
        this.later(() => this.connect(), (this.options.reconnectDelayMs ?? 1_000) * this.failures);
      }
    });
  }

  private startPolling(): void {
    if (this.polling || this.stopped) return;
    this.polling = true;
    this.options.onTransport?.('polling');
    const tick = async () => {
      if (!this.polling || this.stopped) return;
      const messages = await this.fetchMessages(this.options.cursor(), 1_000);
      if (!this.polling || this.stopped) return;
      if (messages && messages.length > 0) this.options.onMessages(messages, 'live');
      this.pollTimer = setTimeout(() => void tick(), this.options.pollIntervalMs ?? 1_000);
    };
    void tick();
  }
}

function safeJson(text: unknown): unknown {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
