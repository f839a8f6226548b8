// The client-side timeline: newest first by the server's seq, bounded in memory. Which messages are new was
// decided once, by the consumer loop that numbered them: the store only drops a seq it already holds (a replay
// overlapping the live stream), never judges offsets.
import type { DemoMessage, PartitionReset } from '@/lib/api/contract';
import type { FailoverEvent } from '@/lib/demo/types';

export const MAX_TIMELINE_ITEMS = 2_000;
/** Reset dividers kept (each one is a rare event; the server keeps 20). */
export const MAX_RESET_MARKERS = 50;
/** Failover dividers kept (rare as well; the server keeps a bounded list too). */
export const MAX_FAILOVER_MARKERS = 50;

export type EntrySource = 'history' | 'live';

export interface PayloadView {
  /** The JSON `id` field of the demo payload, when present. */
  id?: string;
  text?: string;
  ts?: string;
  /** True when the payload is a JSON object or array (worth pretty-printing). */
  structured: boolean;
}

export interface TimelineEntry {
  key: string;
  seq: number;
  offset: bigint;
  message: DemoMessage;
  view: PayloadView;
  source: EntrySource;
  arrivedAtMs: number;
  /** Time from the payload's `ts` to the moment the entry reached this page (live entries only). */
  screenLatencyMs: number | null;
  /** Time from the consumer receiving the message to this page (live entries only): the app's own delay. */
  deliveryLatencyMs: number | null;
}

/**
 * A partition reset in the timeline: a divider row between the last message delivered before it was noticed
 * (`afterSeq`) and the ones after it. It is placed by seq, never by offset (offsets restart at a reset).
 */
export interface ResetMarker {
  key: string;
  afterSeq: number;
  reset: PartitionReset;
}

/** One row of the rendered timeline, newest first. */
export type TimelineItem = { kind: 'message'; entry: TimelineEntry } | { kind: 'reset'; marker: ResetMarker };

/**
 * Entries (newest first) with the reset dividers between them: a divider goes right above the message with its
 * `afterSeq` and below every later one. Dividers older than every entry go last.
 */
export function interleaveResets(
  entries: readonly TimelineEntry[],
  markers: readonly ResetMarker[],
): TimelineItem[] {
  if (markers.length === 0) return entries.map((entry) => ({ kind: 'message', entry }));
  const pending = [...markers].sort((a, b) => b.afterSeq - a.afterSeq || b.reset.id - a.reset.id);
  const items: TimelineItem[] = [];
  let next = 0;
  for (const entry of entries) {
    while (next < pending.length && pending[next]!.afterSeq >= entry.seq)
      items.push({ kind: 'reset', marker: pending[next++]! });
    items.push({ kind: 'message', entry });
  }
  while (next < pending.length) items.push({ kind: 'reset', marker: pending[next++]! });
  return items;
}

/**
 * A failover in the timeline: a divider after the last message delivered before the primary was lost. Like a
 * reset it is placed by seq and keeps its place when a later report (the new primary found) updates it.
 */
export interface FailoverMarker {
  key: string;
  afterSeq: number;
  failover: FailoverEvent;
}

/** A row of the rendered timeline, dividers of both kinds included, newest first. */
export type TimelineRowItem = TimelineItem | { kind: 'failover'; marker: FailoverMarker };

type Divider = Exclude<TimelineRowItem, { kind: 'message' }>;

function dividerTimeMs(divider: Divider): number {
  const ms = Date.parse(
    divider.kind === 'reset' ? divider.marker.reset.noticedAt : divider.marker.failover.lostAt,
  );
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * Entries (newest first) with reset and failover dividers between them, each right above the message with its
 * `afterSeq`. Two dividers after the same message: the one noticed later goes on top.
 */
export function interleaveMarkers(
  entries: readonly TimelineEntry[],
  resets: readonly ResetMarker[],
  failovers: readonly FailoverMarker[],
): TimelineRowItem[] {
  if (resets.length === 0 && failovers.length === 0)
    return entries.map((entry) => ({ kind: 'message', entry }));
  const pending: Divider[] = [
    ...resets.map((marker) => ({ kind: 'reset' as const, marker })),
    ...failovers.map((marker) => ({ kind: 'failover' as const, marker })),
  ].sort(
    (a, b) =>
      b.marker.afterSeq - a.marker.afterSeq ||
      dividerTimeMs(b) - dividerTimeMs(a) ||
      (b.kind === 'reset' ? b.marker.reset.id : b.marker.failover.id) -
        (a.kind === 'reset' ? a.marker.reset.id : a.marker.failover.id),
  );
  const items: TimelineRowItem[] = [];
  let next = 0;
  for (const entry of entries) {
    while (next < pending.length && pending[next]!.marker.afterSeq >= entry.seq) items.push(pending[next++]!);
    items.push({ kind: 'message', entry });
  }
  while (next < pending.length) items.push(pending[next++]!);
  return items;
}

/** Adds or updates (same id: the new primary found) failover markers; returns the same array when nothing changed. */
export function mergeFailovers(
  current: readonly FailoverMarker[],
  incoming: readonly FailoverEvent[],
  max = MAX_FAILOVER_MARKERS,
): readonly FailoverMarker[] {
  let changed = false;
  const byId = new Map(current.map((m) => [m.failover.id, m]));
  for (const failover of incoming) {
    const known = byId.get(failover.id);
    if (known && JSON.stringify(known.failover) === JSON.stringify(failover)) continue;
    // A report from an older status (no new primary yet) must not undo a newer one that had it.
    if (known?.failover.recoveredAt !== undefined && failover.recoveredAt === undefined) continue;
    byId.set(failover.id, {
      key: `failover-${failover.id}`,
      afterSeq: known?.afterSeq ?? failover.afterSeq,
      failover,
    });
    changed = true;
  }
  if (!changed) return current;
  const all = [...byId.values()].sort((a, b) => a.failover.id - b.failover.id);
  return all.length > max ? all.slice(all.length - max) : all;
}

/** Adds or updates (same id: a more precise report) reset markers; returns the same array when nothing changed. */
export function mergeResets(
  current: readonly ResetMarker[],
  incoming: readonly PartitionReset[],
  max = MAX_RESET_MARKERS,
): readonly ResetMarker[] {
  let changed = false;
  const byId = new Map(current.map((m) => [m.reset.id, m]));
  for (const reset of incoming) {
    const known = byId.get(reset.id);
    if (known && JSON.stringify(known.reset) === JSON.stringify(reset)) continue;
    // The divider stays where it was first placed, even when a later report refines the range.
    byId.set(reset.id, { key: `reset-${reset.id}`, afterSeq: known?.afterSeq ?? reset.afterSeq, reset });
    changed = true;
  }
  if (!changed) return current;
  const all = [...byId.values()].sort((a, b) => a.reset.id - b.reset.id);
  return all.length > max ? all.slice(all.length - max) : all;
}

export function entryKey(message: Pick<DemoMessage, 'seq'>): string {
  return String(message.seq);
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return undefined;
}

export function payloadView(payload: unknown): PayloadView {
  if (typeof payload !== 'object' || payload === null) return { structured: false };
  if (Array.isArray(payload)) return { structured: true };
  const record = payload as Record<string, unknown>;
  return {
    id: scalarText(record.id),
    text: scalarText(record.text),
    ts: scalarText(record.ts),
    structured: true,
  };
}

export function toEntry(message: DemoMessage, source: EntrySource, arrivedAtMs: number): TimelineEntry {
  const view = payloadView(message.payload);
  const tsMs = view.ts ? Date.parse(view.ts) : Number.NaN;
  const receivedMs = message.receivedAt ? Date.parse(message.receivedAt) : Number.NaN;
  return {
    key: entryKey(message),
    seq: message.seq,
    offset: BigInt(message.offset),
    message,
    view,
    source,
    arrivedAtMs,
    screenLatencyMs: source === 'live' && Number.isFinite(tsMs) ? arrivedAtMs - tsMs : null,
    deliveryLatencyMs: source === 'live' && Number.isFinite(receivedMs) ? arrivedAtMs - receivedMs : null,
  };
}

function newestFirst(a: TimelineEntry, b: TimelineEntry): number {
  return b.seq - a.seq;
}

/**
 * Merges incoming entries into a newest-first list. An entry already present keeps its first copy (so a replay
 * after reconnecting never duplicates or re-animates it). Returns the same array when nothing was added.
 */
export function mergeEntries(
  current: readonly TimelineEntry[],
  incoming: readonly TimelineEntry[],
  max = MAX_TIMELINE_ITEMS,
): { entries: readonly TimelineEntry[]; added: number } {
  if (incoming.length === 0) return { entries: current, added: 0 };
  const seen = new Set(current.map((e) => e.key));
  const fresh: TimelineEntry[] = [];
  for (const entry of incoming) {
    if (seen.has(entry.key)) continue;
    seen.add(entry.key);
    fresh.push(entry);
  }
  if (fresh.length === 0) return { entries: current, added: 0 };
  const merged = [...fresh, ...current].sort(newestFirst);
  const bounded = merged.length > max ? merged.slice(0, max) : merged;
  const keptKeys = new Set(bounded.map((e) => e.key));
  return { entries: bounded, added: fresh.filter((e) => keptKeys.has(e.key)).length };
}

/** The highest seq held, as the `after` cursor for /api/events and /api/messages. */
export function latestSeq(entries: readonly TimelineEntry[]): number | null {
  let best: number | null = null;
  for (const entry of entries) if (best === null || entry.seq > best) best = entry.seq;
  return best;
}

export interface TimelineSnapshot {
  entries: readonly TimelineEntry[];
  /** Entries that arrived while paused; shown as "N new". */
  pending: readonly TimelineEntry[];
  paused: boolean;
  /** When the newest entries were applied; rows that arrived just before it animate in. */
  flushedAtMs: number;
  /** Partition resets of this run, oldest first: shown as divider rows, even while paused. */
  resets: readonly ResetMarker[];
  /** Failovers of this run, oldest first: divider rows too. */
  failovers: readonly FailoverMarker[];
}

/**
 * Holds the timeline outside React so a burst of 1,000 msgs/s is merged once per animation frame, not per message.
 * Subscribe with useSyncExternalStore.
 */
export class TimelineStore {
  private snapshot: TimelineSnapshot = {
    entries: [],
    pending: [],
    paused: false,
    flushedAtMs: 0,
    resets: [],
    failovers: [],
  };
  private readonly listeners = new Set<() => void>();
  private queued: TimelineEntry[] = [];
  private cancelFlush: (() => void) | null = null;

  constructor(
    private readonly max = MAX_TIMELINE_ITEMS,
    /** Runs fn soon and returns a function that cancels it. */
    private readonly schedule: (fn: () => void) => () => void = nextFrame,
    private readonly now: () => number = () => Date.now(),
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): TimelineSnapshot => this.snapshot;

  /** Highest seq known, including queued and pending entries, so a reconnect resumes exactly after it. */
  cursor(): number | null {
    return latestSeq([...this.snapshot.entries, ...this.snapshot.pending, ...this.queued]);
  }

  add(messages: readonly DemoMessage[], source: EntrySource): void {
    if (messages.length === 0) return;
    const arrivedAtMs = this.now();
    for (const message of messages) this.queued.push(toEntry(message, source, arrivedAtMs));
    if (this.cancelFlush === null) this.cancelFlush = this.schedule(() => this.flush());
  }

  /** Applies queued entries now (also called by the scheduled frame). */
  flush(): void {
    if (this.cancelFlush !== null) {
      this.cancelFlush();
      this.cancelFlush = null;
    }
    if (this.queued.length === 0) return;
    const incoming = this.queued;
    this.queued = [];
    const { entries, pending, paused } = this.snapshot;
    // History fills the list even while paused: it is what the reader asked to see, not a new arrival.
    const liveWhilePaused = paused ? incoming.filter((e) => e.source === 'live') : [];
    const direct = paused ? incoming.filter((e) => e.source !== 'live') : incoming;
    const visible = mergeEntries(entries, direct, this.max);
    const known = new Set(visible.entries.map((e) => e.key));
    const held = mergeEntries(
      pending,
      liveWhilePaused.filter((e) => !known.has(e.key)),
      this.max,
    );
    if (visible.added === 0 && held.added === 0) return;
    this.set({
      ...this.snapshot,
      entries: visible.entries,
      pending: held.entries,
      paused,
      flushedAtMs: this.now(),
    });
  }

  setPaused(paused: boolean): void {
    this.flush();
    const { entries, pending } = this.snapshot;
    if (paused === this.snapshot.paused) return;
    if (paused) {
      this.set({ ...this.snapshot, pending: [], paused: true });
      return;
    }
    const merged = mergeEntries(entries, pending, this.max);
    this.set({
      ...this.snapshot,
      entries: merged.entries,
      pending: [],
      paused: false,
      flushedAtMs: this.now(),
    });
  }

  /** Partition resets from a status or a `reset` event; known ids are updated in place. */
  addResets(resets: readonly PartitionReset[]): void {
    if (resets.length === 0) return;
    const merged = mergeResets(this.snapshot.resets, resets);
    if (merged !== this.snapshot.resets) this.set({ ...this.snapshot, resets: merged });
  }

  /** Failovers from a status or a `failover` event; known ids are updated in place. */
  addFailovers(failovers: readonly FailoverEvent[]): void {
    if (failovers.length === 0) return;
    const merged = mergeFailovers(this.snapshot.failovers, failovers);
    if (merged !== this.snapshot.failovers) this.set({ ...this.snapshot, failovers: merged });
  }

  clear(): void {
    this.queued = [];
    this.set({ ...this.snapshot, entries: [], pending: [], resets: [], failovers: [] });
  }

  dispose(): void {
    this.cancelFlush?.();
    this.cancelFlush = null;
    this.listeners.clear();
  }

  private set(next: TimelineSnapshot): void {
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }
}

const FLUSH_FALLBACK_MS = 100;

/**
 * Next animation frame, or 100 ms at the latest: browsers pause frames for hidden or occluded windows,
 * and the timeline must still take messages in (a message has to reach the page within 250 ms).
 */
export function nextFrame(fn: () => void): () => void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    cancel();
    fn();
  };
  const timer = setTimeout(run, FLUSH_FALLBACK_MS);
  const frame =
    typeof window !== 'undefined' && typeof window.requestAnimationFrame === 'function'
      ? window.requestAnimationFrame(run)
      : null;
  const cancel = () => {
    clearTimeout(timer);
    if (frame !== null) window.cancelAnimationFrame(frame);
  };
  return () => {
    done = true;
    cancel();
  };
}
