/**
 * What the partitioning lab's route accepts (zod, strict) and answers (types). The route imports the
 * schemas; the page imports only the types (`import type`), so no zod reaches its bundle through here.
 */

import { z } from 'zod';
import type { LabIggyStatus, LabTypes, ResetOutcome } from '../contract';
import { oneBatchSchema, wholeNumber } from '../schema-parts';
import { PARTITIONING_LIMITS } from './limits';

const messagesKey = z
  .string({ error: 'key must be a string' })
  .min(1, 'key must not be empty')
  .max(PARTITIONING_LIMITS.keyMaxChars, `key must be at most ${PARTITIONING_LIMITS.keyMaxChars} characters`)
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'key must not contain control characters')
  .refine((v) => Buffer.byteLength(v, 'utf8') <= 255, 'key must be at most 255 UTF-8 bytes');

export const partitioningSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('balanced') }).strict(),
    z
      .object({
        kind: z.literal('partitionId'),
        partitionId: z
          .number({ error: 'partitionId must be a number' })
          .int('partitionId must be a whole number')
          .min(0, 'partitionId must be 0 or more')
          .max(
            PARTITIONING_LIMITS.partitionsMax - 1,
            `partitionId must be at most ${PARTITIONING_LIMITS.partitionsMax - 1}`,
          ),
      })
      .strict(),
    z.object({ kind: z.literal('messagesKey'), key: messagesKey }).strict(),
  ],
  { error: 'partitioning.kind must be one of "balanced", "partitionId" or "messagesKey"' },
);
export type LabPartitioning = z.infer<typeof partitioningSchema>;

export const partitioningActionSchema = z.discriminatedUnion(
  'action',
  [
    z
      .object({
        action: z.literal('setup'),
        partitions: wholeNumber(
          'partitions',
          PARTITIONING_LIMITS.partitionsMin,
          PARTITIONING_LIMITS.partitionsMax,
        ),
      })
      .strict(),
    z
      .object({
        action: z.literal('send'),
        partitioning: partitioningSchema,
        count: wholeNumber('count', 1, PARTITIONING_LIMITS.sendCountMax),
        oneBatch: oneBatchSchema,
      })
      .strict(),
    z.object({ action: z.literal('reset') }).strict(),
  ],
  { error: 'action must be one of "setup", "send" or "reset"' },
);
export type PartitioningAction = z.infer<typeof partitioningActionSchema>;

// ─── responses ──────────────────────────────────────────────────────────────

export interface LaneMessage {
  /** The lab's own send counter, so order across lanes can be compared. */
  seq: number;
  partitionId: number;
  offset: string;
  partitioning: 'balanced' | 'partitionId' | 'messagesKey';
  key?: string;
  /** Which send (SendMessages request) carried it. */
  send: number;
}

export interface PartitioningLabState {
  iggy: LabIggyStatus;
  stream: string;
  topic: string;
  /** null: the lab topic does not exist yet. */
  topicInfo: { partitionsCount: number; partitions: { id: number; messagesCount: string }[] } | null;
  lanes: { partitionId: number; messages: LaneMessage[]; dropped: number }[];
  /** Keys in first-seen order: the index picks the colour. */
  keys: string[];
}

export interface SendOutcome {
  sends: number;
  messages: LaneMessage[];
  partitions: number[];
  created: boolean;
}

export interface SetupOutcome {
  partitions: number;
  recreated: boolean;
}

/** The partitioning lab's actions, outcomes and state, as its route and its page both see them. */
export interface PartitioningLabTypes extends LabTypes {
  name: 'partitioning';
  actions: PartitioningAction;
  outcomes: { setup: SetupOutcome; send: SendOutcome; reset: ResetOutcome };
  state: PartitioningLabState;
}
