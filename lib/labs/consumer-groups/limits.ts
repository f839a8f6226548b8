/** The consumer-group lab's bounds and names, as plain data: the route's schemas and the page's inputs share them. */

export const CONSUMER_GROUPS_TOPIC = 'consumer-groups';
export const LAB_GROUP = 'lab-group';

export const CONSUMER_GROUPS_LIMITS = {
  partitionsMin: 1,
  partitionsMax: 16,
  /** The partition count an Add member or Start producer creates the topic with, before anyone picked one. */
  defaultPartitions: 4,
  membersMax: 8,
  /** Producer rate, messages per second. */
  rateMin: 1,
  rateMax: 50,
  defaultRate: 5,
  /** Offsets each member card shows (newest last). */
  lastMessagesPerMember: 5,
  /** Message numbers the delivery check remembers (who received each one); older ones are forgotten. */
  trackedMessages: 4096,
  /** Membership changes the panel lists, newest first. */
  eventsKept: 12,
  /** Message numbers kept per redelivery, as an example for the panel. */
  redeliverySamples: 6,
} as const;

/** Member labels in the order a new member takes them (the lowest free one). */
export const MEMBER_LABELS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;
export type MemberLabel = (typeof MEMBER_LABELS)[number];

/** The keys the producer cycles through in "by key" mode: few enough that some partitions stay idle. */
export const PRODUCER_KEYS = ['user-1', 'user-2', 'user-3'] as const;
