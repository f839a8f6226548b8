import type { LabInfo } from '../definition';

/** Plain data: the index, the lab page and the docs directive show it; the browser may import it. */
export const clusterInfo = {
  name: 'cluster',
  title: 'Cluster and failover',
  summary:
    'See which node is the primary, write to a follower on purpose and watch it refuse, read a follower one step behind, and check after a failover that every acknowledged message survived.',
  // The directive closes the section "Replication and clusters", after its last subsection, which the
  // docs check takes as the lab's section.
  docs: {
    slug: 'iggy-concepts',
    anchor: 'what-was-observed-on-which-build',
    section: 'What was observed, on which build',
  },
  refreshMs: 2_000,
} as const satisfies LabInfo;
