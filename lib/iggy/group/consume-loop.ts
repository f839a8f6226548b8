/**
 * The loop behind `IggyGroupConsumer.consume()`: poll, hand each non-empty batch to the handler, commit it in
 * manual mode, back off on transient failures; it ends with close() or with an error no retry can fix.
 */

import { backoffDelayMs, type CancellableSleep } from '../backoff';
import { endsTheLoop } from './errors';
import type { BatchHandler, GroupBatch, GroupConsumerStatus } from './types';

const MAX_RETRY_DELAY_MS = 5_000;

/** What the loop needs of its consumer. */
export interface ConsumeLoopHost {
  status(): GroupConsumerStatus;
  readonly autoCommit: boolean;
  readonly pollIntervalMs: number;
  /** How many partitions are assigned: one empty poll each before the loop pauses. */
  partitionCount(): number;
  readonly sleep: CancellableSleep;
  poll(): Promise<GroupBatch>;
  commit(partitionId: number, offset: bigint): Promise<boolean>;
  /** The handler failed on this batch (manual mode): read it again from the stored offset. */
  rewind(partitionId: number): void;
  /** The commit was refused because the partition moved: the new owner will deliver these again. */
  abandoned(messages: number): void;
}

export async function runConsumeLoop(host: ConsumeLoopHost, handler: BatchHandler): Promise<void> {
  let emptyStreak = 0;
  let failures = 0;
  const retryDelay = () => backoffDelayMs(failures++, host.pollIntervalMs, MAX_RETRY_DELAY_MS);
  while (host.status() === 'running') {
    let batch: GroupBatch;
    try {
      batch = await host.poll();
      failures = 0;
    } catch (error) {
      if (host.status() !== 'running') break;
      if (endsTheLoop(error)) throw error;
      await host.sleep.wait(retryDelay());
      continue;
    }
    if (batch.messages.length === 0 || batch.partitionId === undefined) {
      emptyStreak++;
      if (emptyStreak >= Math.max(1, host.partitionCount())) {
        emptyStreak = 0;
        await host.sleep.wait(host.pollIntervalMs);
      }
      continue;
    }
    emptyStreak = 0;
    // Even when close() has begun, a batch in hand is handled: with auto-commit the server already stored it.
    try {
      await handler(batch);
    } catch (error) {
      if (!host.autoCommit) host.rewind(batch.partitionId);
      throw error;
    }
    if (host.autoCommit) continue;
    const last = batch.messages[batch.messages.length - 1]!.offset;
    try {
      if (!(await host.commit(batch.partitionId, last))) host.abandoned(batch.messages.length);
    } catch (error) {
      if (endsTheLoop(error) && host.status() === 'running') throw error;
      if (host.status() === 'running') await host.sleep.wait(retryDelay());
    }
  }
}
