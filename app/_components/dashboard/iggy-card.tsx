'use client';

import { useId } from 'react';
import type { DemoStatus, Topology } from '@/lib/api/contract';
import type { ApiRequestError } from '../api/client';
import { connectionView } from '../shell/connection-view';
import { ChevronRightIcon } from '../ui/icons';
import { LearnLink } from '../ui/learn-link';
import { PanelHeader } from '../ui/panel';
import { resetsOf } from '../api/parse';
import { PartitionLane, ThroughputChart } from './lazy-panels';

export function IggyCard({
  status,
  topology,
  topologyError,
}: {
  status: DemoStatus | undefined;
  topology: Topology | undefined;
  topologyError: ApiRequestError | undefined;
}) {
  const headingId = useId();
  const view = connectionView(status, undefined);
  const stream = status?.stream ?? 'demo-stream';
  const topic = status?.topic ?? 'demo-topic';
  const noTopic = topologyError?.code === 'TOPIC_NOT_FOUND' || topologyError?.status === 404;
  const offline = view.tone === 'down' || view.tone === 'busy';
  // Last-known topology stays on screen while Iggy is away, dimmed, so the reader keeps their bearings.
  const shown = noTopic ? undefined : topology;
  const consumerOffsets = new Map(shown?.consumer.storedOffsets.map((s) => [s.partitionId, s]) ?? []);
  // The newest reset per partition (the list is oldest first).
  const latestReset = new Map(resetsOf(status).map((r) => [r.partitionId, r]));

  return (
    <section className="card gap-4 p-4" aria-labelledby={headingId}>
      <PanelHeader
        id={headingId}
        title="Iggy server"
        caption="A stream holds topics; a topic is split into partitions, each an append-only log of offsets."
        learn={{ section: 'streams', topic: 'streams' }}
        aside={
          <span className="badge" data-tone={view.tone} title={view.detail}>
            <span className="badge-dot" aria-hidden="true" />
            <span className="font-mono text-xs">{view.address ?? '…'}</span>
          </span>
        }
      />

      <div className="flex flex-wrap items-center gap-1.5 text-xs" aria-label="Where messages go">
        <span className="chip">
          stream <span className="font-mono text-fg">{shown?.stream.name ?? stream}</span>
          {shown ? <span className="font-mono text-faint">#{shown.stream.id}</span> : null}
        </span>
        <ChevronRightIcon />
        <span className="chip">
          topic <span className="font-mono text-fg">{shown?.topic.name ?? topic}</span>
          {shown ? <span className="font-mono text-faint">#{shown.topic.id}</span> : null}
        </span>
        <ChevronRightIcon />
        <span className="chip">
          {shown ? shown.topic.partitions.length : '–'}{' '}
          {shown?.topic.partitions.length === 1 ? 'partition' : 'partitions'}
        </span>
        {(view.tone === 'ok' || view.tone === 'stand-in') && view.detail ? (
          <span className="ml-auto font-mono text-[0.6875rem] text-faint">{view.detail}</span>
        ) : null}
      </div>

      <section
        aria-label="Partition offsets"
        className="flex flex-col gap-3 rounded-lg border border-border p-3"
      >
        <div className="flex items-center gap-2">
          <h3 className="text-sm font-semibold">Partition offsets</h3>
          <span className="ml-auto">
            <LearnLink section="partitions" topic="partitions" />
          </span>
        </div>
        <p className="-mt-2 text-xs text-muted">
          Head = newest offset written; consumer = last offset it stored. The striped gap is the lag.
        </p>
        {shown ? (
          <ul className={`flex flex-col gap-4 transition-opacity ${offline ? 'opacity-50' : ''}`}>
            {shown.topic.partitions.map((partition) => (
              <PartitionLane
                key={partition.id}
                partition={partition}
                consumerOffset={consumerOffsets.get(partition.id)}
                reset={latestReset.get(partition.id)}
              />
            ))}
          </ul>
        ) : (
          <EmptyLane>
            {noTopic
              ? `No topic yet — start the producer to create ${stream}/${topic}.`
              : offline
                ? 'Waiting for Iggy…'
                : 'Loading partitions…'}
          </EmptyLane>
        )}
      </section>

      <ThroughputChart points={status?.throughput?.points ?? []} />
    </section>
  );
}

function EmptyLane({ children }: { children: string }) {
  return (
    <p className="grid min-h-20 place-items-center rounded-md border border-dashed border-border-strong px-4 text-center text-sm text-muted">
      {children}
    </p>
  );
}
