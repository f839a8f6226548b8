/**
 * What the polling lab's route accepts (zod, strict) and answers (types). The route imports the
 * schemas; the page imports only the types (`import type`), so no zod reaches its bundle through here.
 * Offsets and timestamps travel as decimal strings (u64).
 */

import { z } from 'zod';
import type { LabIggyStatus, LabTypes, ResetOutcome } from '../contract';
import { CONSUMER_NAME_CHARS, POLLING_LIMITS } from './limits';

const U64_MAX = (1n << 64n) - 1n;

const u64String = (what: string) =>
  z
    .string({ error: `${what} must be a string of decimal digits` })
    .regex(/^\d{1,20}$/, `${what} must be a whole number from 0 to 2^64-1, written as a string`)
    .refine((v) => !/^\d{1,20}$/.test(v) || BigInt(v) <= U64_MAX, `${what} must be at most 2^64-1`);

export const consumerNameSchema = z
  .string({ error: 'consumer must be a string' })
  .regex(
    CONSUMER_NAME_CHARS,
    'consumer must start with a letter or digit and use only letters, digits, ".", "_" and "-"',
  )
  .max(
    POLLING_LIMITS.consumerNameMaxChars,
    `consumer must be at most ${POLLING_LIMITS.consumerNameMaxChars} characters`,
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
  .max(POLLING_LIMITS.pollCountMax, `count must be at most ${POLLING_LIMITS.pollCountMax}`);

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
export type PollingStateQuery = z.infer<typeof pollingStateQuerySchema>;

// ─── responses ──────────────────────────────────────────────────────────────

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

/** The polling lab's actions, outcomes and state, as its route and its page both see them. */
export interface PollingLabTypes extends LabTypes {
  name: 'polling';
  actions: PollingAction;
  outcomes: { fill: FillOutcome; poll: PollOutcome; deleteOffset: DeleteOffsetOutcome; reset: ResetOutcome };
  state: PollingLabState;
}
