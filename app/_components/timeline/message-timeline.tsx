'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { useId, useMemo, useRef, useState } from 'react';
import { formatCount } from '../format';
import { LearnLink } from '../ui/learn-link';
import { useToggleSet } from '../ui/use-toggle-set';
import type { FeedTransport } from './message-feed';
import { FailoverDivider } from './failover-divider';
import { ResetDivider } from './reset-divider';
import { TimelineRow } from './timeline-row';
import {
  interleaveMarkers,
  type FailoverMarker,
  type ResetMarker,
  type TimelineEntry,
} from './timeline-store';

const ROW_ESTIMATE_PX = 62;
const FRESH_WINDOW_MS = 1_200;
const SCROLLED_DOWN_PX = 8;

export interface MessageTimelineProps {
  entries: readonly TimelineEntry[];
  /** Partition resets, shown as divider rows placed by seq. */
  resets?: readonly ResetMarker[];
  /** Failovers of the cluster, shown as divider rows placed by seq. */
  failovers?: readonly FailoverMarker[];
  pendingCount: number;
  paused: boolean;
  flushedAtMs: number;
  transport: FeedTransport;
  loaded: boolean;
  emptyHint: string;
  onPausedChange(paused: boolean): void;
}

const NO_RESETS: readonly ResetMarker[] = [];
const NO_FAILOVERS: readonly FailoverMarker[] = [];

const TRANSPORT_LABEL: Record<FeedTransport, string> = {
  idle: 'Idle',
  connecting: 'Connecting…',
  streaming: 'Live',
  polling: 'Live · polling',
  'paused-hidden': 'Paused while hidden',
};

export function MessageTimeline({
  entries,
  resets = NO_RESETS,
  failovers = NO_FAILOVERS,
  pendingCount,
  paused,
  flushedAtMs,
  transport,
  loaded,
  emptyHint,
  onPausedChange,
}: MessageTimelineProps) {
  const headingId = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const { set: expanded, toggle } = useToggleSet<string>();
  const [scrolledDown, setScrolledDown] = useState(false);
  const rows = useMemo(() => interleaveMarkers(entries, resets, failovers), [entries, resets, failovers]);

  // The virtualizer's functions are used only inside this component, never passed to memoized children.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE_PX,
    getItemKey: (index) => {
      const row = rows[index];
      if (!row) return index;
      return row.kind === 'message' ? row.entry.key : row.marker.key;
    },
    overscan: 8,
    // Lets the first render (and tests without layout) show rows before the container is measured.
    initialRect: { width: 640, height: 640 },
    // Newest is on top: when the reader has scrolled down, keep the row they look at still while rows are
    // inserted above it; at the top, let new rows push in.
    anchorTo: scrolledDown ? 'end' : 'start',
  });

  const items = virtualizer.getVirtualItems();

  return (
    <section className="card min-h-0 overflow-hidden" aria-labelledby={headingId}>
      <div className="flex flex-col gap-1 border-b border-border p-4 pb-3">
        <div className="flex items-center gap-2">
          <h2 id={headingId} className="text-[0.95rem] font-semibold tracking-tight">
            Message timeline
          </h2>
          <span className="chip" data-transport={transport}>
            <span
              aria-hidden="true"
              className={
                transport === 'streaming' || transport === 'polling'
                  ? 'size-1.5 rounded-full bg-ok'
                  : 'size-1.5 rounded-full bg-faint'
              }
            />
            {paused ? 'Paused' : TRANSPORT_LABEL[transport]}
          </span>
          <div className="ml-auto flex items-center gap-1.5">
            {paused && pendingCount > 0 ? (
              <button
                type="button"
                id={`${headingId}-pending`}
                className="btn btn-sm btn-primary tabular-nums"
                onClick={() => onPausedChange(false)}
              >
                {formatCount(pendingCount)} new
              </button>
            ) : !paused && scrolledDown ? (
              <button
                type="button"
                className="btn btn-sm"
                onClick={() => scrollRef.current?.scrollTo({ top: 0 })}
              >
                ↑ Newest
              </button>
            ) : null}
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => onPausedChange(!paused)}
              aria-describedby={paused && pendingCount > 0 ? `${headingId}-pending` : undefined}
            >
              {paused ? 'Resume timeline' : 'Pause timeline'}
            </button>
          </div>
        </div>
        <p className="flex flex-wrap items-baseline gap-x-2 text-[0.8125rem] text-muted">
          <span>
            What the consumer polled, newest first ·{' '}
            <span className="tabular-nums">{formatCount(entries.length)}</span> shown
          </span>
          <LearnLink section="offsets-and-polling-strategies" topic="offsets and polling strategies" />
        </p>
      </div>

      <div className="relative min-h-0 flex-1">
        <div
          ref={scrollRef}
          className="h-[min(68vh,680px)] min-h-[360px] overflow-y-auto overscroll-contain"
          tabIndex={0}
          role="group"
          aria-labelledby={headingId}
          onScroll={(event) => {
            const down = event.currentTarget.scrollTop > SCROLLED_DOWN_PX;
            if (down !== scrolledDown) setScrolledDown(down);
          }}
        >
          <ul
            role="list"
            aria-label="Message timeline"
            className="relative w-full"
            style={{ height: virtualizer.getTotalSize() }}
          >
            {items.map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              if (row.kind === 'reset' || row.kind === 'failover') {
                return (
                  <li
                    key={item.key.toString()}
                    ref={virtualizer.measureElement}
                    data-index={item.index}
                    aria-setsize={rows.length}
                    aria-posinset={item.index + 1}
                    className="absolute top-0 left-0 w-full"
                    style={{ transform: `translateY(${item.start}px)` }}
                  >
                    {row.kind === 'reset' ? (
                      <ResetDivider reset={row.marker.reset} />
                    ) : (
                      <FailoverDivider failover={row.marker.failover} />
                    )}
                  </li>
                );
              }
              const entry = row.entry;
              return (
                <li
                  key={item.key.toString()}
                  ref={virtualizer.measureElement}
                  data-index={item.index}
                  aria-setsize={rows.length}
                  aria-posinset={item.index + 1}
                  className="absolute top-0 left-0 w-full"
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  <TimelineRow
                    entry={entry}
                    expanded={expanded.has(entry.key)}
                    fresh={entry.source === 'live' && entry.arrivedAtMs >= flushedAtMs - FRESH_WINDOW_MS}
                    onToggle={toggle}
                  />
                </li>
              );
            })}
          </ul>
          {rows.length === 0 ? <EmptyTimeline loaded={loaded} hint={emptyHint} /> : null}
        </div>
      </div>
    </section>
  );
}

function EmptyTimeline({ loaded, hint }: { loaded: boolean; hint: string }) {
  return (
    <div className="absolute inset-0 grid place-items-center p-6">
      <div className="flex max-w-xs flex-col items-center gap-3 text-center">
        <svg width="72" height="40" viewBox="0 0 72 40" aria-hidden="true" className="text-border-strong">
          <rect
            x="1"
            y="4"
            width="70"
            height="8"
            rx="4"
            fill="none"
            stroke="currentColor"
            strokeDasharray="4 3"
          />
          <rect
            x="1"
            y="16"
            width="52"
            height="8"
            rx="4"
            fill="none"
            stroke="currentColor"
            strokeDasharray="4 3"
          />
          <rect
            x="1"
            y="28"
            width="61"
            height="8"
            rx="4"
            fill="none"
            stroke="currentColor"
            strokeDasharray="4 3"
          />
        </svg>
        <p className="text-sm font-medium">{loaded ? hint : 'Loading messages…'}</p>
        {loaded ? (
          <p className="text-xs text-muted">
            Each message shows its offset, partition, JSON id, text and timestamp.
          </p>
        ) : null}
      </div>
    </div>
  );
}
