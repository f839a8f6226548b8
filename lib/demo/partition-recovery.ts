import { PollingStrategy, type IggyClient, type PolledMessage } from '@/lib/iggy';
import type { Logger } from './logger';
import type { PartitionCursor } from './partition-cursor';
import type { PartitionWatch } from './partition-watch';
import { applyResumePlan, planResume } from './resume-plan';
import { partitionTarget, type ConsumerNames } from './stored-offsets';

/**
 * How the demo's consumer gets one partition back on track without a skip or a repeat: after a failed call
 * (`recoverGap`, the server's data intact) and after the server lost data (`resumeAfterReset`, by the plan of
 * `resume-plan.ts`). Both move the partition's cursor; the loop decides when to call them.
 */

export type RecoveryClient = Pick<
  IggyClient,
  'getTopic' | 'getConsumerOffset' | 'pollMessages' | 'storeConsumerOffset' | 'deleteConsumerOffset'
>;

export interface RecoveryOptions {
  batchSize: number;
  /** Hands on what was read; the caller's cursor takes it (and drops what it has seen). */
  deliver: (messages: PolledMessage[]) => void;
  /** Checked between polls: false stops (the loop was stopped). */
  shouldContinue: () => boolean;
}

/**
 * After a failed call the stored offset may be ahead of what was delivered (the poll that committed never
 * reached us): fetch that range by offset. It may be behind (the commit did not land): store ours, so Next does
 * not hand back what was already shown. Resolves with an offset when the message there is no longer the one delivered (a crash clamped the stored
 * offset and a send filled the offset again): nothing was stored, and the partition watch should hear of it.
 */
export async function recoverGap(
  client: RecoveryClient,
  names: ConsumerNames,
  partitionId: number,
  cursor: PartitionCursor,
  options: RecoveryOptions,
): Promise<bigint | undefined> {
  const known = cursor.gapStart;
  if (known === undefined) return undefined;
  const target = partitionTarget(names, partitionId);
  const info = await client.getConsumerOffset(target);
  const stored = info ? info.storedOffset : null;
  cursor.stored = stored;
  const delivered = cursor.delivered;
  if (stored !== null && stored > known) {
    let next = known + 1n;
    while (options.shouldContinue() && next <= stored) {
      const polled = await client.pollMessages({
        ...target,
        strategy: PollingStrategy.offset(next),
        count: Math.min(options.batchSize, Number(stored - next + 1n)),
        autoCommit: false,
      });
      const inGap = polled.messages.filter((m) => m.offset <= stored);
      if (inGap.length === 0) break; // nothing more to fetch (e.g. retention removed it)
      options.deliver(inGap);
      next = inGap[inGap.length - 1]!.offset + 1n;
    }
  } else if (delivered !== undefined && (stored === null || stored < delivered)) {
    // Behind us: either our commit did not land, or a crash clamped it. Only the first is safe to overwrite,
    // and then the message at our last offset is still the one we showed.
    if (!(await stillHolds(client, names, partitionId, delivered, cursor.deliveredStamp))) return delivered;
    await client.storeConsumerOffset({ ...target, offset: delivered });
    cursor.stored = delivered;
  }
  return undefined;
}

/** Whether the message at `offset` is still the one delivered (same server stamp). */
async function stillHolds(
  client: RecoveryClient,
  names: ConsumerNames,
  partitionId: number,
  offset: bigint,
  timestamp: bigint | undefined,
): Promise<boolean> {
  if (timestamp === undefined) return true;
  const polled = await client.pollMessages({
    ...partitionTarget(names, partitionId),
    strategy: PollingStrategy.offset(offset),
    count: 1,
    autoCommit: false,
  });
  const message = polled.messages[0];
  return message !== undefined && message.offset === offset && message.timestampMicros === timestamp;
}

export interface ResumeOptions extends RecoveryOptions {
  watch: PartitionWatch;
  logger: Logger;
  /** The stored offset as it was before a poll that auto-committed past a skip (else it is read). */
  storedHint?: bigint | null;
}

/**
 * The server lost messages on this partition (the watch says so): read what now exists without skipping —
 * after a crash Iggy clamps the stored offset, so a plain `Next` would miss the first new message. Resolves
 * false when it did not finish (the topic or partition is gone, or the loop was stopped).
 */
export async function resumeAfterReset(
  client: RecoveryClient,
  names: ConsumerNames,
  partitionId: number,
  cursor: PartitionCursor,
  options: ResumeOptions,
): Promise<boolean> {
  const { watch, storedHint } = options;
  const epoch = watch.epochOf(partitionId);
  const issuedAt = watch.tick();
  const topic = await client.getTopic(names.streamName, names.topicName);
  const partition = topic?.partitions.find((p) => p.id === partitionId);
  if (!topic || !partition) return false; // gone: the missing-topic path takes over on the next poll
  // A fresh read pins the loss better than the poll reply that may have revealed it (an empty partition).
  watch.observePartition(partitionId, partition.currentOffset, partition.messagesCount, undefined, issuedAt);
  let stored: bigint | null;
  if (storedHint !== undefined) stored = storedHint;
  else {
    const info = await client.getConsumerOffset(partitionTarget(names, partitionId));
    stored = info ? info.storedOffset : null;
  }
  const plan = planResume({
    stored,
    currentOffset: partition.currentOffset,
    messagesCount: partition.messagesCount,
    lossDetected: true,
    ...(cursor.newestStamp === undefined ? {} : { lastShownTimestampMicros: cursor.newestStamp }),
  });
  options.logger.info(
    { partitionId, action: plan.action, ...('reason' in plan ? { reason: plan.reason } : {}) },
    'partition lost data; resuming without a skip',
  );
  cursor.restart('partition');
  const outcome = await applyResumePlan(client, { ...names, partitionId }, plan, options);
  if (!options.shouldContinue()) return false;
  if (outcome.firstNewOffset !== undefined) watch.observeFirstNew(partitionId, outcome.firstNewOffset);
  cursor.observe(partition, outcome.lastOffset ?? (plan.action === 'delete-stored' ? null : stored));
  if (outcome.lastOffset !== undefined) cursor.readPast(outcome.lastOffset, outcome.lastTimestampMicros);
  cursor.handled(epoch);
  return true;
}
