'use client';

import { lazyPanel } from '../ui/lazy-panel';

/** Only a cluster has this card: a single-node setup never fetches its chunk. */
export const ClusterCard = lazyPanel(
  () => import('./cluster-card').then((m) => m.ClusterCard),
  <section className="card h-[16rem]" aria-label="Cluster" aria-busy="true" />,
);
