import type { LabInfo } from '../definition';

/** Plain data: the index, the lab page and the docs directive show it; the browser may import it. */
export const consumerGroupsInfo = {
  name: 'consumer-groups',
  title: 'Consumer groups',
  summary:
    'Add, remove and disconnect up to 8 group members while a producer writes: watch Iggy deal the partitions, rebalance, and redeliver what a vanished member never committed.',
  docs: {
    slug: 'iggy-concepts',
    anchor: 'consumer-groups-share-partitions-between-members',
    section: 'Consumer groups share partitions between members',
  },
  // Messages flow all the time here: the page re-reads every second.
  refreshMs: 1_000,
} as const satisfies LabInfo;
