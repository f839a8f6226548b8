import type { LabInfo } from '../definition';

/** Plain data: the index, the lab page and the docs directive show it; the browser may import it. */
export const durabilityInfo = {
  name: 'durability',
  title: 'Durability',
  summary:
    'See which topic options your server has, how many acknowledged messages are still only in memory, and what Iggy kept after you crash or restart it.',
  docs: { slug: 'iggy-concepts', anchor: 'what-a-crash-loses', section: 'What a crash loses' },
  refreshMs: 3_000,
} as const satisfies LabInfo;
