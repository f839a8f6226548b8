/**
 * What the consumer-group lab's route accepts (zod, strict) and answers (types). The page imports only the
 * types (`import type`), so no zod reaches its bundle through here. Offsets and lags are decimal strings (u64).
 */

import { z } from 'zod';
import type { LabIggyStatus, LabTypes } from '../contract';
import { CONSUMER_GROUPS_LIMITS as LIMITS, MEMBER_LABELS, type MemberLabel } from './limits';
import { wholeNumber } from '../schema-parts';

const memberLabel = z.enum(MEMBER_LABELS, {
  error: `member must be one of ${MEMBER_LABELS.map((l) => `"${l}"`).join(', ')}`,
});

export const producerPartitioningSchema = z.enum(['balanced', 'key'], {
  error: 'partitioning must be "balanced" or "key"',
});
export type ProducerPartitioning = z.infer<typeof producerPartitioningSchema>;

export const consumerGroupsActionSchema = z.discriminatedUnion(
  'action',
  [
    z
      .object({
        action: z.literal('setup'),
        partitions: wholeNumber('partitions', LIMITS.partitionsMin, LIMITS.partitionsMax),
      })
      .strict(),
    z.object({ action: z.literal('addMember') }).strict(),
    z.object({ action: z.literal('removeMember'), member: memberLabel }).strict(),
    z.object({ action: z.literal('disconnectMember'), member: memberLabel }).strict(),
    z
      .object({
        action: z.literal('startProducer'),
        rate: wholeNumber('rate', LIMITS.rateMin, LIMITS.rateMax),
        partitioning: producerPartitioningSchema,
      })
      .strict(),
    z.object({ action: z.literal('stopProducer') }).strict(),
    z.object({ action: z.literal('reset') }).strict(),
  ],
  {
    error:
      'action must be one of "setup", "addMember", "removeMember", "disconnectMember", "startProducer", "stopProducer" or "reset"',
  },
);
export type ConsumerGroupsAction = z.infer<typeof consumerGroupsActionSchema>;

// ─── responses ──────────────────────────────────────────────────────────────

export interface MemberMessageView {
  /** The lab producer's number for the message; null when the payload is not the lab's. */
  n: number | null;
  partitionId: number;
  offset: string;
  /** This member got it although a member had received it before (a redelivery). */
  redelivered: boolean;
}

export interface MemberView {
  label: MemberLabel;
  /** joining: before its first sync; member: polling its partitions; leaving: Remove or Disconnect runs. */
  status: 'joining' | 'member' | 'leaving';
  /** The server's member id (a slot number), when the group listing identifies it. */
  memberId: number | null;
  /** The generation of its latest sync, decimal; null before the first one. */
  generation: string | null;
  partitions: number[];
  received: number;
  /** Messages it received that another member (or itself) had received before. */
  redelivered: number;
  /** Generation changes it saw after its first assignment. */
  rebalances: number;
  lastMessages: MemberMessageView[];
  lastError: string | null;
}

export interface PartitionView {
  id: number;
  /** The lab member that polls it now; null while nobody does (no members, or a handoff pending). */
  owner: MemberLabel | null;
  messagesCount: string;
  /** null when the partition is empty. */
  currentOffset: string | null;
  /** The group's stored offset; null = nothing stored yet. */
  storedOffset: string | null;
  /** Messages the group has not committed yet. */
  lag: string;
}

export type MembershipEventKind = 'added' | 'removed' | 'disconnected' | 'lost' | 'topic';

export interface MembershipEvent {
  /** Counts up from 1 per topic: "rebalance #3". */
  seq: number;
  kind: MembershipEventKind;
  member: MemberLabel | null;
  atMs: number;
  /** Messages delivered again after this change (received before it by another member or the same one). */
  redelivered: number;
  /** A few of their numbers, as examples. */
  samples: number[];
}

export interface DeliveryReport {
  /** Messages received across all members (copies included). */
  received: number;
  /** Distinct messages received. */
  distinct: number;
  /** Copies received after a membership change: at-least-once, explained. */
  redeliveredAfterRebalance: number;
  /** Copies received while membership did not change: never expected; a bug if not 0. */
  duplicatesWithoutRebalance: number;
  /** Message numbers remembered for the check (older ones are forgotten). */
  tracked: number;
  capacity: number;
}

export interface ProducerView {
  running: boolean;
  rate: number;
  partitioning: ProducerPartitioning;
  sent: number;
  lastError: string | null;
}

export interface ConsumerGroupsLabState {
  iggy: LabIggyStatus;
  stream: string;
  topic: string;
  group: string;
  /** null: the lab topic does not exist (never created, or reset). */
  topicInfo: { partitionsCount: number } | null;
  partitions: PartitionView[];
  /** The group as Iggy lists it; null when it does not exist. */
  serverGroup: { membersCount: number; members: { id: number; partitions: number[] }[] } | null;
  members: MemberView[];
  producer: ProducerView;
  delivery: DeliveryReport;
  /** Newest first. */
  events: MembershipEvent[];
  /** Something the lab did on its own (members closed because Iggy went away…), safe to show. */
  notice: string | null;
}

export interface ConsumerGroupsSetupOutcome {
  partitions: number;
  recreated: boolean;
}

export interface MembershipOutcome {
  member: MemberLabel;
  /** Every member's partitions once the group settled (or when the wait ran out). */
  assignment: { member: MemberLabel; partitions: number[]; generation: string | null }[];
  /** false: the wait for a settled assignment ran out (a handoff can take up to the rebalancing timeout). */
  settled: boolean;
  /** Disconnect only: whether it dropped while holding a batch it had not committed. */
  heldUncommitted?: number;
}

export interface ProducerOutcome {
  running: boolean;
  rate: number;
  partitioning: ProducerPartitioning;
  created: boolean;
}

export interface ConsumerGroupsResetOutcome {
  topicDeleted: boolean;
  membersClosed: number;
}

/** The consumer-group lab's actions, outcomes and state, as its route and its page both see them. */
export interface ConsumerGroupsLabTypes extends LabTypes {
  name: 'consumer-groups';
  actions: ConsumerGroupsAction;
  outcomes: {
    setup: ConsumerGroupsSetupOutcome;
    addMember: MembershipOutcome;
    removeMember: MembershipOutcome;
    disconnectMember: MembershipOutcome;
    startProducer: ProducerOutcome;
    stopProducer: ProducerOutcome;
    reset: ConsumerGroupsResetOutcome;
  };
  state: ConsumerGroupsLabState;
}
