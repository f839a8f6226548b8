/**
 * Every lab the app has, as plain data: the /labs index, the lab pages, the docs directive
 * (`::lab{name="…"}`) and the docs checker all read this one list, so a lab that is not listed here
 * cannot be embedded (the docs build fails) and a listed lab cannot be missing from the index.
 * No server code here: client components may import it.
 */

export const LAB_NAMES = ['polling', 'partitioning', 'consumer-groups', 'durability'] as const;
export type LabName = (typeof LAB_NAMES)[number];

export interface LabInfo {
  name: LabName;
  title: string;
  /** One line for the /labs index and under the lab's title. */
  summary: string;
  /** The docs section the lab belongs to (its directive sits at the end of that section). */
  docs: { slug: string; anchor: string; section: string };
}

export const LABS: readonly LabInfo[] = [
  {
    name: 'polling',
    title: 'Polling strategies',
    summary:
      'Fill a partition with 20 numbered messages, then poll it with Offset, First, Last, Next or Timestamp and watch the stored offset move.',
    docs: {
      slug: 'iggy-concepts',
      anchor: 'offsets-and-polling-strategies',
      section: 'Offsets and polling strategies',
    },
  },
  {
    name: 'partitioning',
    title: 'Partitioning',
    summary:
      'Send messages with Balanced, a partition id or a messages key and see which partition each one lands on.',
    docs: {
      slug: 'iggy-concepts',
      anchor: 'how-a-message-picks-its-partition',
      section: 'How a message picks its partition',
    },
  },
  {
    name: 'consumer-groups',
    title: 'Consumer groups',
    summary:
      'Add, remove and disconnect up to 8 group members while a producer writes: watch Iggy deal the partitions, rebalance, and redeliver what a vanished member never committed.',
    docs: {
      slug: 'iggy-concepts',
      anchor: 'consumer-groups-share-partitions-between-members',
      section: 'Consumer groups share partitions between members',
    },
  },
  {
    name: 'durability',
    title: 'Durability',
    summary:
      'See which topic options your server has, how many acknowledged messages are still only in memory, and what Iggy kept after you crash or restart it.',
    docs: { slug: 'iggy-concepts', anchor: 'what-a-crash-loses', section: 'What a crash loses' },
  },
];

export function isLabName(name: string): name is LabName {
  return (LAB_NAMES as readonly string[]).includes(name);
}

export function findLab(name: string): LabInfo | undefined {
  return LABS.find((lab) => lab.name === name);
}
