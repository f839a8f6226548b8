/**
 * What the durability lab's route accepts (zod, strict) and answers (types). The page imports only the
 * types and DURABILITY_LIMITS' numbers from ./limits, never this module's zod code.
 * Offsets, counts and byte sizes travel as decimal strings (u64).
 */

import { z } from 'zod';
import { DURABILITY_LIMITS } from './limits';
import type { LabIggyStatus, LabTypes } from '../contract';
import { oneBatchSchema, wholeNumber } from '../schema-parts';

export { DURABILITY_LIMITS };

const topicKind = z.enum(['default', 'persisted'], {
  error: 'topic must be "default" (the lab topic with the server\'s default durability) or "persisted"',
});
export type DurabilityTopicKind = z.infer<typeof topicKind>;

export const durabilityActionSchema = z.discriminatedUnion(
  'action',
  [
    z
      .object({
        action: z.literal('send'),
        topic: topicKind,
        count: wholeNumber('count', 1, DURABILITY_LIMITS.sendCountMax),
        oneBatch: oneBatchSchema,
      })
      .strict(),
    z.object({ action: z.literal('createPersisted') }).strict(),
    z.object({ action: z.literal('refresh') }).strict(),
    z.object({ action: z.literal('reset') }).strict(),
  ],
  { error: 'action must be one of "send", "createPersisted", "refresh" or "reset"' },
);
export type DurabilityAction = z.infer<typeof durabilityActionSchema>;

// ─── responses ──────────────────────────────────────────────────────────────

/** One entry of the server's DescribeOptions catalog, with its default shown as text. */
export interface CatalogOptionView {
  key: string;
  kind: string;
  /** null: the server gave no default. */
  defaultValue: string | null;
  description: string;
}

/**
 * Which options world the server is in, judged only from its catalog: `durability` listed = the
 * released 0.9.0 line; `enforce_fsync` listed and no `durability` = an edge build like 0.9.0-edge.5.
 */
export type OptionsFlavor = 'release' | 'edge' | 'unknown';

export interface OptionCatalogView {
  flavor: OptionsFlavor;
  options: CatalogOptionView[];
  /** Whether `durability=persisted` can be asked for here. */
  durabilityListed: boolean;
}

/** One flush-related setting of a lab topic, as the server reports it in the topic's own reply (GetTopic). */
export interface TopicSettingView {
  key: string;
  value: string;
  /**
   * explicit: the topic's creator sent this value (the reply's explicit options block).
   * default: nobody sent it, so the server filled in its default (the reply's derived options block).
   */
  source: 'explicit' | 'default';
}

export interface InMemoryView {
  /** Acknowledged messages the lab computes are still only in the partition's in-memory journal. */
  count: string;
  /** Their estimated weight toward size_of_messages_required_to_save (48-byte header + payload each). */
  bytes: string;
  /** The offsets a crash now would lose; null when none. */
  offsets: { from: string; to: string } | null;
  /**
   * lab-sends: replayed from the sends this lab made since it last knew the journal was empty.
   * partition-count: estimated from the partition's message count (someone else sent, or the app
   * restarted). persisted: every acknowledged send is on stable storage.
   */
  basis: 'lab-sends' | 'partition-count' | 'persisted';
  /** How the number was computed, in a sentence. */
  how: string;
}

export interface DurabilityTopicView {
  kind: DurabilityTopicKind;
  name: string;
  exists: boolean;
  /** [] when the topic does not exist. */
  settings: TopicSettingView[];
  partition: { messagesCount: string; currentOffset: string; sizeBytes: string } | null;
  inMemory: InMemoryView | null;
}

export interface LostRangeView {
  topic: string;
  partitionId: number;
  lostFrom: string;
  lostTo: string;
  lostCount: string;
  /** false: at least this range (the server could only bound what survived). */
  exact: boolean;
}

/** What the lab saw the last time Iggy went away and came back, or lost messages. */
export interface RestartOutcomeView {
  /** loss: a partition came back shorter; no-loss: Iggy came back with everything. */
  outcome: 'loss' | 'no-loss';
  /** ISO time the lab noticed the outcome. */
  noticedAt: string;
  /** ISO time the lab saw its connection drop; null when it held none then. */
  connectionLostAt: string | null;
  lost: LostRangeView[];
  /** Messages the lab had computed to be only in memory just before it noticed. */
  inMemoryBefore: string;
  explanation: string;
  cause: string | null;
}

export interface DurabilityLabState {
  iggy: LabIggyStatus;
  stream: string;
  serverVersion: string | null;
  /** null: not asked yet, or Iggy unreachable. */
  catalog: OptionCatalogView | null;
  /** Why the catalog could not be read (e.g. a server without DescribeOptions). */
  catalogError: string | null;
  topics: DurabilityTopicView[];
  /** The lab's connection to Iggy dropped and it has not seen Iggy back yet. */
  awaitingReturn: boolean;
  lastRestart: RestartOutcomeView | null;
}

export interface DurabilitySendOutcome {
  topic: string;
  sent: number;
  sends: number;
  firstOffset: string | null;
  lastOffset: string | null;
  created: boolean;
  inMemory: InMemoryView | null;
}

export interface CreatePersistedOutcome {
  topic: string;
  created: boolean;
  /** Why not, when not: the catalog lacks `durability`, or the server refused it (4041). */
  refusal: 'not-in-catalog' | 'refused-by-server' | 'already-exists' | null;
}

export interface RefreshOutcome {
  flavor: OptionsFlavor;
  optionCount: number;
}

export interface DurabilityResetOutcome {
  topicsDeleted: string[];
}

/** The durability lab's actions, outcomes and state, as its route and its page both see them. */
export interface DurabilityLabTypes extends LabTypes {
  name: 'durability';
  actions: DurabilityAction;
  outcomes: {
    send: DurabilitySendOutcome;
    createPersisted: CreatePersistedOutcome;
    refresh: RefreshOutcome;
    reset: DurabilityResetOutcome;
  };
  state: DurabilityLabState;
}
