'use client';

import { lazyPanel } from '../ui/lazy-panel';

// Parts of the dashboard that have nothing to show until the page's first requests answer (status, topology,
// history), or that are closed or rare, load in chunks of their own, fetched while those requests are in
// flight, so they stay out of the first-load JavaScript. The server still renders them in full. React.lazy
// rather than next/dynamic: it is already in React, so a boundary costs no bytes. Each fallback takes the
// space of what replaces it, so nothing jumps.

/** The timeline and its virtualizer (the largest dependency on the page); its rows come from /api/messages. */
export const MessageTimeline = lazyPanel(
  () => import('../timeline/message-timeline').then((m) => m.MessageTimeline),
  <section
    className="card h-[min(68vh,680px)] min-h-[440px]"
    aria-label="Message timeline"
    aria-busy="true"
  />,
);

/** The throughput chart draws /api/status's history. */
export const ThroughputChart = lazyPanel(
  () => import('./throughput-chart').then((m) => m.ThroughputChart),
  <div className="h-[7.5rem]" aria-hidden="true" />,
);

/** Shown only when Iggy cannot be reached. */
export const IggyUnreachable = lazyPanel(
  () => import('./iggy-unreachable').then((m) => m.IggyUnreachable),
  null,
);

/** One partition's lane, drawn from /api/topology. */
export const PartitionLane = lazyPanel(
  () => import('./partition-lane').then((m) => m.PartitionLane),
  <li className="h-[5.75rem]" aria-hidden="true" />,
);

/** The wire inspector: below the fold and closed by default. */
export const WireInspector = lazyPanel(
  () => import('../wire/wire-inspector').then((m) => m.WireInspector),
  <section className="card h-[6.5rem]" aria-label="Wire inspector" aria-busy="true" />,
);
