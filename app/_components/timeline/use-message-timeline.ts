'use client';

import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { failoversOf, resetsOf } from '../api/parse';
import { useStatus, useWriteStatus } from '../api/use-demo-data';
import type { FeedTransport } from './message-feed';
import { TimelineStore, type TimelineSnapshot } from './timeline-store';

const EMPTY: TimelineSnapshot = {
  entries: [],
  pending: [],
  paused: false,
  flushedAtMs: 0,
  resets: [],
  failovers: [],
};

export interface MessageTimelineState extends TimelineSnapshot {
  transport: FeedTransport;
  /** True once the first history request has been answered (so "No messages yet" does not flash). */
  loaded: boolean;
  setPaused(paused: boolean): void;
  /** Forgets every entry (the topic was deleted: its messages are gone). */
  clear(): void;
}

export function useMessageTimeline(): MessageTimelineState {
  const [store] = useState(() => new TimelineStore());
  const [transport, setTransport] = useState<FeedTransport>('idle');
  const [loaded, setLoaded] = useState(false);
  const writeStatus = useWriteStatus();
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, () => EMPTY);
  // Resets also come with every status (polled, or over SSE): a page that opens later still shows them.
  const { data: status } = useStatus();
  useEffect(() => store.addResets(resetsOf(status)), [store, status]);
  useEffect(() => store.addFailovers(failoversOf(status)), [store, status]);

  useEffect(() => {
    // The stream client (SSE with reconnects and a polling fallback) is fetched as its own chunk right after
    // hydration: nothing can arrive before the page is interactive anyway, and it keeps / under its weight budget.
    let feed: { start(): void; stop(): void } | undefined;
    let stopped = false;
    void import('./message-feed')
      .then(({ MessageFeed }) => {
        if (stopped) return;
        feed = new MessageFeed({
          cursor: () => store.cursor(),
          onRunChanged: () => store.clear(),
          onMessages: (messages, source) => {
            store.add(messages, source);
            setLoaded(true);
          },
          // Status events ride the same stream: write them into the polled status's cache so counters move
          // without waiting for a poll.
          onStatus: writeStatus,
          onReset: (reset) => store.addResets([reset]),
          onFailover: (failover) => store.addFailovers([failover]),
          onTransport: (next) => {
            setTransport(next);
            if (next === 'streaming' || next === 'polling') setLoaded(true);
          },
        });
        feed.start();
      })
      // The app went away before the chunk arrived: the status poll already says so, and a reload recovers.
      .catch(() => undefined);
    return () => {
      stopped = true;
      feed?.stop();
    };
  }, [store, writeStatus]);

  useEffect(() => () => store.dispose(), [store]);

  const setPaused = useCallback((paused: boolean) => store.setPaused(paused), [store]);
  const clear = useCallback(() => store.clear(), [store]);
  return { ...snapshot, transport, loaded, setPaused, clear };
}
