'use client';

import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useDemoData } from '../api/use-demo-data';
import { MessageFeed, type FeedTransport } from './message-feed';
import { TimelineStore, type TimelineSnapshot } from './timeline-store';

const EMPTY: TimelineSnapshot = { entries: [], pending: [], paused: false, flushedAtMs: 0 };

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
  const { status: statusResource } = useDemoData();
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, () => EMPTY);

  useEffect(() => {
    const feed = new MessageFeed({
      cursor: () => store.cursor(),
      onRunChanged: () => store.clear(),
      onMessages: (messages, source) => {
        store.add(messages, source);
        setLoaded(true);
      },
      // Status events ride the same stream: fold them into the polled status so counters move without waiting for a poll.
      onStatus: (status) => statusResource.set(status),
      onTransport: (next) => {
        setTransport(next);
        if (next === 'streaming' || next === 'polling') setLoaded(true);
      },
    });
    feed.start();
    return () => feed.stop();
  }, [store, statusResource]);

  useEffect(() => () => store.dispose(), [store]);

  const setPaused = useCallback((paused: boolean) => store.setPaused(paused), [store]);
  const clear = useCallback(() => store.clear(), [store]);
  return { ...snapshot, transport, loaded, setPaused, clear };
}
