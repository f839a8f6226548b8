import type { LabInfo } from '../definition';

/** Plain data: the index, the lab page and the docs directive show it; the browser may import it. */
export const partitioningInfo = {
  name: 'partitioning',
  title: 'Partitioning',
  summary:
    'Send messages with Balanced, a partition id or a messages key and see which partition each one lands on.',
  docs: {
    slug: 'iggy-concepts',
    anchor: 'how-a-message-picks-its-partition',
    section: 'How a message picks its partition',
  },
  refreshMs: 3_000,
} as const satisfies LabInfo;
