'use client';

import { lazy, Suspense, type ComponentProps } from 'react';

// Parts of the dashboard that have nothing to show until the page's first requests answer (status, topology,
// history) load in chunks of their own, fetched while those requests are in flight, so they stay out of the
// first-load JavaScript. React.lazy rather than next/dynamic: it is already in React, so the boundary costs no
// bytes. Each fallback takes the space of what replaces it, so nothing jumps.

const LazyMessageTimeline = lazy(() =>
  import('../timeline/message-timeline').then((m) => ({ default: m.MessageTimeline })),
);
const LazyThroughputChart = lazy(() =>
  import('./throughput-chart').then((m) => ({ default: m.ThroughputChart })),
);
const LazyIggyUnreachable = lazy(() =>
  import('./iggy-unreachable').then((m) => ({ default: m.IggyUnreachable })),
);
const LazyWireInspector = lazy(() =>
  import('../wire/wire-inspector').then((m) => ({ default: m.WireInspector })),
);
const LazyPartitionLane = lazy(() => import('./partition-lane').then((m) => ({ default: m.PartitionLane })));

/** The timeline and its virtualizer (the largest dependency on the page); its rows come from /api/messages. */
export function MessageTimeline(props: ComponentProps<typeof LazyMessageTimeline>) {
  return (
    <Suspense fallback={<TimelinePlaceholder />}>
      <LazyMessageTimeline {...props} />
    </Suspense>
  );
}

/** The throughput chart draws /api/status's history. */
export function ThroughputChart(props: ComponentProps<typeof LazyThroughputChart>) {
  return (
    <Suspense fallback={<ChartPlaceholder />}>
      <LazyThroughputChart {...props} />
    </Suspense>
  );
}

/** Shown only when Iggy cannot be reached. */
export function IggyUnreachable(props: ComponentProps<typeof LazyIggyUnreachable>) {
  return (
    <Suspense fallback={null}>
      <LazyIggyUnreachable {...props} />
    </Suspense>
  );
}

/** One partition's lane, drawn from /api/topology. */
export function PartitionLane(props: ComponentProps<typeof LazyPartitionLane>) {
  return (
    <Suspense fallback={<li className="h-[5.75rem]" aria-hidden="true" />}>
      <LazyPartitionLane {...props} />
    </Suspense>
  );
}

/**
 * The wire inspector, below the fold and closed by default. The server renders it in full; the browser
 * makes it interactive once its chunk has arrived.
 */
export function WireInspector() {
  return (
    <Suspense fallback={<section className="card h-[6.5rem]" aria-label="Wire inspector" aria-busy="true" />}>
      <LazyWireInspector />
    </Suspense>
  );
}

function TimelinePlaceholder() {
  return (
    <section
      className="card h-[min(68vh,680px)] min-h-[440px]"
      aria-label="Message timeline"
      aria-busy="true"
    />
  );
}

function ChartPlaceholder() {
  return <div className="h-[7.5rem]" aria-hidden="true" />;
}
