import type { LabInfo } from '../definition';

/** Plain data: the index, the lab page and the docs directive show it; the browser may import it. */
export const pollingInfo = {
  name: 'polling',
  title: 'Polling strategies',
  summary:
    'Fill a partition with 20 numbered messages, then poll it with Offset, First, Last, Next or Timestamp and watch the stored offset move.',
  docs: {
    slug: 'iggy-concepts',
    anchor: 'offsets-and-polling-strategies',
    section: 'Offsets and polling strategies',
  },
  refreshMs: 3_000,
} as const satisfies LabInfo;
