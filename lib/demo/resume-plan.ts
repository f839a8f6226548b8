import { IggyErrorCode, PollingStrategy, isIggyError, type IggyClient } from '@/lib/iggy';
import type { PolledMessage } from '@/lib/iggy';
import { partitionTarget, type ConsumerNames } from './stored-offsets';

/**
 * How a plain consumer resumes a partition without skipping a message after the server lost data.
 *
 * Iggy's stored offset N means "read up to N", so `Next` returns N+1 on. A crash of Iggy 0.9.0 drops the
 * journal and clamps a stored offset past the data to the current offset — 0 on an empty partition — so the
 * first message sent afterwards (offset 0 again) would never be read. What survived a crash is a prefix of
 * what was there; what comes after it is new and stamped later by the server than anything shown before.
 */
export type ResumePlan =
  | { action: 'next' }
  /** Nothing to read yet: forget the stored offset so `Next` starts with the first message that arrives. */
  | { action: 'delete-stored'; reason: string }
  /**
   * Read by offset from `fromOffset`, hand on only messages stamped after `newerThanMicros` (all of them
   * when unknown), store the offset as it goes, then continue with `Next`.
   */
  | { action: 'replay'; fromOffset: bigint; newerThanMicros?: bigint; reason: string };

export interface ResumeInput {
  /** The consumer's stored offset on the server (null = none). */
  stored: bigint | null;
  currentOffset: bigint;
  messagesCount: bigint;
  /** The partition watch reported a reset this consumer has not handled yet. */
  lossDetected: boolean;
  /** Server stamp of the newest message this consumer showed from the partition before the reset. */
  lastShownTimestampMicros?: bigint;
}

export function planResume(input: ResumeInput): ResumePlan {
  const { stored, currentOffset, messagesCount, lossDetected } = input;
  const cutoff =
    input.lastShownTimestampMicros === undefined ? {} : { newerThanMicros: input.lastShownTimestampMicros };
  if (messagesCount === 0n && currentOffset === 0n) {
    if (stored === null) return { action: 'next' };
    // Whatever put it there (a clamp after a crash, a purge), `Next` would skip the message sent at offset 0.
    return { action: 'delete-stored', reason: `stored offset ${stored} on an empty partition` };
  }
  if (stored !== null && stored > currentOffset) {
    // The stored offset points past the data: every offset up to the current one may hold a new message.
    return {
      action: 'replay',
      fromOffset: 0n,
      ...cutoff,
      reason: `stored offset ${stored} is above the current offset ${currentOffset}`,
    };
  }
  if (!lossDetected) return { action: 'next' };
  // Offsets below the stored one were read before the reset (a clamp only lowers it); the one at the stored offset
  // may be new (clamped to 0, then a send), so it is read again and judged by its stamp.
  return {
    action: 'replay',
    fromOffset: stored ?? 0n,
    ...cutoff,
    reason:
      stored === null
        ? 'the partition lost data and no offset is stored'
        : `the partition lost data; stored offset ${stored} may have been clamped`,
  };
}

export type ResumeClient = Pick<IggyClient, 'pollMessages' | 'storeConsumerOffset' | 'deleteConsumerOffset'>;

export interface ResumeTarget extends ConsumerNames {
  partitionId: number;
}

export interface ApplyResumeOptions {
  batchSize?: number;
  /** Hands on the messages worth showing, in offset order. */
  deliver: (messages: PolledMessage[]) => void;
  /** Checked between polls: false stops (the loop was stopped). */
  shouldContinue?: () => boolean;
}

export interface ResumeOutcome {
  /** Messages handed to deliver(). */
  delivered: number;
  /** The lowest offset judged new (stamped after the cutoff), when a replay found one. */
  firstNewOffset?: bigint;
  /** The highest offset read by the replay (and stored), and its server stamp. */
  lastOffset?: bigint;
  lastTimestampMicros?: bigint;
}

export async function applyResumePlan(
  client: ResumeClient,
  target: ResumeTarget,
  plan: ResumePlan,
  options: ApplyResumeOptions,
): Promise<ResumeOutcome> {
  const where = partitionTarget(target, target.partitionId);
  if (plan.action === 'next') return { delivered: 0 };
  if (plan.action === 'delete-stored') {
    await client.deleteConsumerOffset(where).catch((error: unknown) => {
      // Gone already (another consumer with the same name got there first): the goal is reached.
      if (isIggyError(error) && error.code === IggyErrorCode.ConsumerOffsetNotFound) return;
      throw error;
    });
    return { delivered: 0 };
  }
  const batchSize = options.batchSize ?? 100;
  const outcome: ResumeOutcome = { delivered: 0 };
  let next = plan.fromOffset;
  while (options.shouldContinue?.() ?? true) {
    const polled = await client.pollMessages({
      ...where,
      strategy: PollingStrategy.offset(next),
      count: batchSize,
      autoCommit: false,
    });
    const last = polled.messages.at(-1);
    if (!last) break;
    const fresh =
      plan.newerThanMicros === undefined
        ? polled.messages
        : polled.messages.filter((m) => m.timestampMicros > plan.newerThanMicros!);
    if (fresh.length > 0) {
      outcome.firstNewOffset ??= fresh[0]!.offset;
      outcome.delivered += fresh.length;
      options.deliver(fresh);
    }
    // Store as we go: a failure halfway resumes after what was handled, not from the clamped offset.
    await client.storeConsumerOffset({ ...where, offset: last.offset });
    outcome.lastOffset = last.offset;
    outcome.lastTimestampMicros = last.timestampMicros;
    if (last.offset >= polled.currentOffset || polled.messages.length < batchSize) break;
    next = last.offset + 1n;
  }
  return outcome;
}
