'use client';

import type { ComponentType } from 'react';
import type { LabName } from '@/lib/labs/catalog';
import { lazyPanel } from '../ui/lazy-panel';
import type { LabPlacement } from './lab-frame';

// Each lab is a chunk of its own: a docs page loads the code of the labs it embeds, and no other.
const pending = <section className="lab" aria-busy="true" />;

/** Registry name → the lab's component. A registered lab without an entry here fails type-checking. */
const LAB_COMPONENTS: { readonly [Name in LabName]: ComponentType<LabPlacement> } = {
  polling: lazyPanel(() => import('./polling-lab').then((m) => m.PollingLab), pending),
  partitioning: lazyPanel(() => import('./partitioning-lab').then((m) => m.PartitioningLab), pending),
  'consumer-groups': lazyPanel(
    () => import('./consumer-groups-lab').then((m) => m.ConsumerGroupsLab),
    pending,
  ),
  durability: lazyPanel(() => import('./durability-lab').then((m) => m.DurabilityLab), pending),
  cluster: lazyPanel(() => import('./cluster-lab').then((m) => m.ClusterLab), pending),
};

export function LabView({
  name,
  headingLevel,
  context,
}: {
  name: LabName;
  headingLevel: number;
  context: 'docs' | 'page';
}) {
  const Lab = LAB_COMPONENTS[name];
  return <Lab headingLevel={headingLevel} context={context} />;
}
