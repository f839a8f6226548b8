/**
 * What the lab routes accept (zod, strict) and answer (types). The routes import the schemas; the
 * lab pages import only the types (`import type`), so no zod code reaches their bundles through here.
 * Offsets and timestamps travel as decimal strings (u64).
 */

import { z } from 'zod';
import { LAB_LIMITS } from './limits';
import { oneBatchSchema, wholeNumber } from './schema-parts';
import type { LabName } from './registry';

const U64_MAX = (1n << 64n) - 1n;

export { LAB_LIMITS };

const u64String = (what: string) =>
  z
    .string({ error: `${what} must be a string of decimal digits` })
    .regex(/^\d{1,20}$/, `${what} must be a whole number from 0 to 2^64-1, written as a string`)
    .refine((v) => !/^\d{1,20}$/.test(v) || BigInt(v) <= U64_MAX, `${what} must be at most 2^64-1`);

export const consumerNameSchema = z
  .string({ error: 'consumer must be a string' })
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'consumer must start with a letter or digit and use only letters, digits, ".", "_" and "-"',
  )
  .max(
    LAB_LIMITS.consumerNameMaxChars,
    `consumer must be at most ${LAB_LIMITS.consumerNameMaxChars} characters`,
  );

export const pollingStrategySchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('offset'), value: u64String('strategy.value') }).strict(),
    z.object({ kind: z.literal('timestamp'), value: u64String('strategy.value') }).strict(),
    z.object({ kind: z.literal('first') }).strict(),
    z.object({ kind: z.literal('last') }).strict(),
    z.object({ kind: z.literal('next') }).strict(),
  ],
  { error: 'strategy.kind must be one of "offset", "timestamp", "first", "last" or "next"' },
);
export type LabPollingStrategy = z.infer<typeof pollingStrategySchema>;

const pollCount = z
  .number({ error: 'count must be a number' })
  .int('count must be a whole number')
  // Refused here, before Iggy is asked: a poll for nothing teaches nothing and hides a caller's bug.
  .min(1, 'count must be at least 1: a poll asks for one or more messages (count 0 is refused)')
  .max(LAB_LIMITS.pollCountMax, `count must be at most ${LAB_LIMITS.pollCountMax}`);

export const pollingActionSchema = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('fill') }).strict(),
    z
      .object({
        action: z.literal('poll'),
        strategy: pollingStrategySchema,
        count: pollCount,
        consumer: consumerNameSchema,
        autoCommit: z.boolean({ error: 'autoCommit must be true or false' }),
      })
      .strict(),
    z.object({ action: z.literal('deleteOffset'), consumer: consumerNameSchema }).strict(),
    z.object({ action: z.literal('reset') }).strict(),
  ],
  { error: 'action must be one of "fill", "poll", "deleteOffset" or "reset"' },
);
export type PollingAction = z.infer<typeof pollingActionSchema>;

export const pollingStateQuerySchema = z.object({ consumer: consumerNameSchema.optional() }).strict();

const messagesKey = z
  .string({ error: 'key must be a string' })
  .min(1, 'key must not be empty')
  .max(LAB_LIMITS.keyMaxChars, `key must be at most ${LAB_LIMITS.keyMaxChars} characters`)
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
          .max(LAB_LIMITS.partitionsMax - 1, `partitionId must be at most ${LAB_LIMITS.partitionsMax - 1}`),
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
        partitions: wholeNumber('partitions', LAB_LIMITS.partitionsMin, LAB_LIMITS.partitionsMax),
      })
      .strict(),
    z
      .object({
        action: z.literal('send'),
        partitioning: partitioningSchema,
        count: wholeNumber('count', 1, LAB_LIMITS.sendCountMax),
        oneBatch: oneBatchSchema,
      })
      .strict(),
    z.object({ action: z.literal('reset') }).strict(),
  ],
  { error: 'action must be one of "setup", "send" or "reset"' },
);
export type PartitioningAction = z.infer<typeof partitioningActionSchema>;

// ─── responses ──────────────────────────────────────────────────────────────

/** One frame an action caused, as the frame observer saw it on the lab's connection. */
export interface LabFrame {
  seq: number;
  /** Which of the lab's connections carried it (most labs have one, 'lab'). */
  connection: string;
  direction: 'sent' | 'received';
  kind: 'request' | 'reply' | 'eviction';
  command: string;
  /** u64 request number, decimal. */
  request: string;
  sizeBytes: number;
  bodyBytes: number;
  /** Replies: 0 = OK, else Iggy's error code. */
  status?: number;
  statusName?: string;
}

export interface LabCli {
  command: string;
  /** What the line does not show, e.g. "once per message". */
  note?: string;
}

/** Whether the lab could reach Iggy the last time it tried. */
export interface LabIggyStatus {
  reachable: boolean;
  address: string;
  /** Why not, safe to show (never a password). */
  message?: string;
}

export interface LabActionResult<Outcome> {
  lab: LabName;
  action: string;
  /** One line, in Iggy's terms. */
  explanation: string;
  outcome: Outcome;
  frames: LabFrame[];
  /** Frames past LAB_LIMITS.framesPerAction, counted but not kept. */
  framesDropped: number;
  /** The same request with the official `iggy` CLI, where one exists. */
  cli?: LabCli;
}

export interface LabMessageView {
  offset: string;
  /** Server timestamp (µs since the epoch), decimal. */
  timestampMicros: string;
  text: string;
}

export interface PollingLabState {
  iggy: LabIggyStatus;
  stream: string;
  topic: string;
  /** null: the lab topic does not exist (never filled, or reset). */
  partition: { messagesCount: string; currentOffset: string } | null;
  messages: LabMessageView[];
  fill: { running: boolean; sent: number; total: number };
  /** The stored offset of the consumer named in the query; null = none stored. */
  storedOffset: { consumer: string; offset: string | null } | null;
}

export interface PollOutcome {
  strategy: LabPollingStrategy;
  count: number;
  consumer: string;
  autoCommit: boolean;
  offsets: string[];
  currentOffset: string;
  storedBefore: string | null;
  storedAfter: string | null;
}

export interface FillOutcome {
  sent: number;
  firstOffset: string | null;
  lastOffset: string | null;
  firstTimestampMicros: string | null;
  lastTimestampMicros: string | null;
}

export interface DeleteOffsetOutcome {
  consumer: string;
  storedBefore: string | null;
  deleted: boolean;
}

export interface ResetOutcome {
  topicDeleted: boolean;
}

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
