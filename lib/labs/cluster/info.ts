import type { LabInfo } from '../definition';

/** Plain data: the index, the lab page and the docs directive show it; the browser may import it. */
export const clusterInfo = {
  name: 'cluster',
  title: 'Cluster and failover',
  summary:
    'See which node is the primary, write to a follower on purpose and watch it refuse, read a follower one step behind, and check after a failover that every acknowledged message survived.',
  docs: {
    slug: 'iggy-concepts',
    anchor: 'try-it-a-follower-the-primary-and-a-failover',
    section: 'Try it: a follower, the primary and a failover',
  },
  refreshMs: 2_000,
} as const satisfies LabInfo;
