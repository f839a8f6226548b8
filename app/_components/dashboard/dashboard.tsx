'use client';

import { useEffect, useRef, type ReactNode } from 'react';
import { useStatus, useTopology } from '../api/use-demo-data';
import { connectionView, iggyAway } from '../shell/connection-view';
import { useMessageTimeline } from '../timeline/use-message-timeline';
import { ConsumerCard } from './consumer-card';
import { ClusterCard } from './lazy-cluster-card';
import { IggyCard } from './iggy-card';
import { IggyUnreachable, MessageTimeline, WireInspector } from './lazy-panels';
import { ProducerCard } from './producer-card';

/** The one screen: Producer → Iggy → Consumer → Message timeline, left to right (top to bottom on a phone). */
export function Dashboard() {
  const { data: status, error: statusError } = useStatus();
  const { data: topology, error: topologyError } = useTopology();
  const timeline = useMessageTimeline();

  const appDown = Boolean(statusError);
  const view = connectionView(status, statusError);
  const stream = status?.stream ?? 'demo-stream';
  const topic = status?.topic ?? 'demo-topic';
  const producerRunning = status?.producer.running ?? false;
  const consumerRunning = status?.consumer.running ?? false;
  const topicMissing = topologyError?.code === 'TOPIC_NOT_FOUND';
  // Lag is the server's number: the topology's total, or none while the topic does not exist.
  const totalLag = topicMissing ? '0' : (topology?.consumer.lag ?? null);
  const { clear: clearTimeline } = timeline;
  const topicSeen = useRef(false);

  // A deleted topic takes its messages with it, and a new one numbers offsets from 0 again: drop what the
  // page holds so the new offsets are not mistaken for ones already seen. Only a topic that existed and then
  // vanished counts; "not found yet" at startup is normal (and may lag behind the first messages).
  useEffect(() => {
    const next = topicWatch(topicSeen.current, {
      topicFound: Boolean(topology && !topologyError),
      topicMissing,
    });
    topicSeen.current = next.seen;
    if (next.clearTimeline) clearTimeline();
  }, [topology, topologyError, topicMissing, clearTimeline]);

  const emptyHint = !producerRunning
    ? 'No messages yet — click Start producer'
    : !consumerRunning
      ? 'Messages are waiting in Iggy — click Start consumer to read them'
      : 'Waiting for the first message…';

  return (
    <div className="flex flex-col gap-4">
      {appDown && statusError && statusError.code !== 'NETWORK' && statusError.code !== 'TIMEOUT' ? (
        // The app answers, with an error (e.g. CONFIG_INVALID for a bad IGGY_URL): say what it is.
        <div role="alert" className="rounded-xl border border-danger/30 bg-danger-soft p-4 text-sm">
          <p className="font-semibold text-danger">The demo app reports an error ({statusError.code}).</p>
          <p className="mt-1 break-words text-fg">{statusError.message}</p>
        </div>
      ) : appDown ? (
        <div role="alert" className="rounded-xl border border-danger/30 bg-danger-soft p-4 text-sm">
          <p className="font-semibold text-danger">The demo app is not answering.</p>
          <p className="mt-1 text-muted">
            Is <code className="font-mono text-fg">npm run demo</code> still running? This page reconnects by
            itself.
          </p>
        </div>
      ) : status && iggyAway(view) ? (
        <IggyUnreachable
          address={status.iggy.address}
          reason={status.iggy.error?.message}
          errorCode={status.iggy.error?.code}
          reconnecting={view.tone === 'busy'}
        />
      ) : null}

      <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-[minmax(15rem,0.85fr)_minmax(21rem,1.35fr)_minmax(15rem,0.85fr)_minmax(24rem,1.75fr)] xl:items-start">
        <FlowStep>
          <ProducerCard producer={status?.producer} stream={stream} topic={topic} disabled={appDown} />
        </FlowStep>
        <FlowStep arrow active={producerRunning} className="gap-4">
          <IggyCard status={status} topology={topology} topologyError={topologyError} />
          {status?.cluster ? <ClusterCard status={status} /> : null}
        </FlowStep>
        <FlowStep arrow active={consumerRunning}>
          <ConsumerCard
            consumer={status?.consumer}
            consumerName={status?.consumerName ?? 'demo-consumer'}
            topic={topic}
            lag={totalLag}
            disabled={appDown}
          />
        </FlowStep>
        <FlowStep arrow active={consumerRunning}>
          <MessageTimeline
            entries={timeline.entries}
            resets={timeline.resets}
            failovers={timeline.failovers}
            pendingCount={timeline.pending.length}
            paused={timeline.paused}
            flushedAtMs={timeline.flushedAtMs}
            transport={timeline.transport}
            loaded={timeline.loaded}
            emptyHint={emptyHint}
            onPausedChange={timeline.setPaused}
          />
        </FlowStep>
      </div>

      <WireInspector />
    </div>
  );
}

/**
 * Decides when the timeline must be forgotten: only when a topic the page has seen exists goes missing
 * (deleted, or the server's data was wiped). A "not found" before the topic was ever seen is the normal
 * start-up state, and that answer can arrive after the first messages did.
 */
export function topicWatch(
  seen: boolean,
  answer: { topicFound: boolean; topicMissing: boolean },
): { seen: boolean; clearTimeline: boolean } {
  if (answer.topicFound) return { seen: true, clearTimeline: false };
  if (answer.topicMissing && seen) return { seen: false, clearTimeline: true };
  return { seen, clearTimeline: false };
}

/** Wraps a card with the arrow that shows which way data flows (→ on wide screens, ↓ when stacked). */
function FlowStep({
  children,
  arrow,
  active,
  className = '',
}: {
  children: ReactNode;
  arrow?: boolean;
  active?: boolean;
  className?: string;
}) {
  return (
    <div className={`relative flex min-w-0 flex-col ${className}`}>
      {arrow ? (
        <span
          aria-hidden="true"
          className={`absolute -top-[14px] left-1/2 z-10 grid size-6 -translate-x-1/2 rotate-90 place-items-center rounded-full border bg-surface md:hidden xl:top-9 xl:-left-[14px] xl:grid xl:translate-x-0 xl:rotate-0 ${
            active ? 'border-accent text-accent' : 'border-border-strong text-faint'
          }`}
        >
          <svg width="12" height="12" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.5">
            <path d="M5 12h14M13 6l6 6-6 6" />
          </svg>
        </span>
      ) : null}
      {children}
    </div>
  );
}
