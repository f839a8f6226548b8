/** The group consumer's public types (lib/iggy/group-consumer.ts): what a caller passes in and reads back. */

import type { IggyClient } from '../client';
import type { IggyError } from '../errors';
import type { PolledMessage } from '../wire/messages';
import type { PartitionProgressView } from './partition-progress';

/** The IggyClient surface the group consumer uses; a test can hand in a fake with the same shape. */
export type GroupConsumerClient = Pick<
  IggyClient,
  | 'state'
  | 'connect'
  | 'onStateChange'
  | 'createConsumerGroup'
  | 'joinConsumerGroup'
  | 'syncConsumerGroup'
  | 'getConsumerGroup'
  | 'pollMessages'
  | 'storeConsumerOffset'
  | 'leaveConsumerGroup'
>;

/** The partition id of a group poll the server refused: "not yours (any more), sync again". */
export const RESYNC_PARTITION_ID = 0xffff_ffff;

export type GroupConsumerStatus = 'idle' | 'starting' | 'running' | 'closing' | 'closed';

/**
 * joined: first assignment after a (re)join. rebalanced: generation or partitions changed while a member.
 * lost: the connection dropped or the server no longer lists this client. left: `close()`.
 */
export type AssignmentReason = 'joined' | 'rebalanced' | 'lost' | 'left';

export interface GroupAssignment {
  /** undefined until the first sync */
  generation: bigint | undefined;
  /** Pollable partitions, in the server's order. */
  partitions: readonly number[];
  /** The group member whose partitions equal ours, when exactly one does (see `resolveMemberId`). */
  memberId: number | undefined;
}

export interface GroupAssignmentEvent extends GroupAssignment {
  reason: AssignmentReason;
}

export type AssignmentListener = (event: GroupAssignmentEvent) => void;

export interface GroupBatch {
  /** undefined when no partition was polled (nothing assigned) */
  partitionId: number | undefined;
  /** the generation this poll was made under */
  generation: bigint | undefined;
  messages: PolledMessage[];
  /** The partition's newest offset at poll time. */
  currentOffset: bigint | undefined;
  /** How many of `messages` this consumer had already received from the partition (a rebalance redelivery). */
  redelivered: number;
  /** The server answered "not yours"; the consumer has re-synced and the next poll uses the new assignment. */
  resynced: boolean;
}

export interface GroupConsumerState extends GroupAssignment {
  status: GroupConsumerStatus;
  /** Whether this consumer believes it is a member on the client's current connection. */
  member: boolean;
  autoCommit: boolean;
  received: number;
  redelivered: number;
  joins: number;
  syncs: number;
  /** Polls answered with partition 0xFFFFFFFF. */
  resyncs: number;
  /** Generation changes seen after the first assignment. */
  rebalances: number;
  polls: number;
  commits: number;
  /** Stores refused because the partition had moved (status 20); its next owner delivers from the stored offset. */
  rejectedCommits: number;
  /** Messages `consume()` handled whose commit was refused that way: the new owner will deliver them again. */
  abandonedMessages: number;
  progress: PartitionProgressView[];
  lastError: IggyError | undefined;
}

export type BatchHandler = (batch: GroupBatch) => void | Promise<void>;
