'use client';

import type { LabName } from '@/lib/labs/registry';
import { lazyPanel } from '../ui/lazy-panel';

// Each lab is a chunk of its own: a docs page loads the code of the labs it embeds, and no other.
const pending = <section className="lab" aria-busy="true" />;
const PollingLab = lazyPanel(() => import('./polling-lab').then((m) => m.PollingLab), pending);
const PartitioningLab = lazyPanel(() => import('./partitioning-lab').then((m) => m.PartitioningLab), pending);
const ConsumerGroupsLab = lazyPanel(
  () => import('./consumer-groups-lab').then((m) => m.ConsumerGroupsLab),
  pending,
);
const DurabilityLab = lazyPanel(() => import('./durability-lab').then((m) => m.DurabilityLab), pending);

/** Registry name → the lab's component. A name without a case here fails type-checking. */
export function LabView({
  name,
  headingLevel,
  context,
}: {
  name: LabName;
  headingLevel: number;
  context: 'docs' | 'page';
}) {
  switch (name) {
    case 'polling':
      return <PollingLab headingLevel={headingLevel} context={context} />;
    case 'partitioning':
      return <PartitioningLab headingLevel={headingLevel} context={context} />;
    case 'consumer-groups':
      return <ConsumerGroupsLab headingLevel={headingLevel} context={context} />;
    case 'durability':
      return <DurabilityLab headingLevel={headingLevel} context={context} />;
    default: {
      const unknown: never = name;
      throw new Error(`no component for lab ${String(unknown)}`);
    }
  }
}
