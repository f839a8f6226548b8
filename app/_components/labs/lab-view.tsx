import type { LabName } from '@/lib/labs/registry';
import { ConsumerGroupsLab } from './consumer-groups-lab';
import { DurabilityLab } from './durability-lab';
import { PartitioningLab } from './partitioning-lab';
import { PollingLab } from './polling-lab';

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
