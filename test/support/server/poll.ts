import { WireDecodeError, type WireReader } from '../wire/bytes';
import { encodeBatchRecord, encodePollReply } from '../wire/batch';
import { ErrorCode } from '../wire/codes';
import { type PartitionState, currentOffset } from '../model/state';
import type { Request, ServerContext } from './context';
import { canPoll, recordPoll } from '../model/groups';
import { findPartition, offsetSlot, readConsumer, readOptionalPartition, settledGroup } from './consumer';

export const PollingKind = { Offset: 1, Timestamp: 2, First: 3, Last: 4, Next: 5 } as const;
export const RESYNC_PARTITION_ID = 0xffff_ffff;

export type PollResult = { status: number } | { body: Buffer };

/** PollMessages (code 100, docs/architecture.md#polling-messages and the OptPart rules of docs/architecture.md#shared-encodings). */
export function pollMessages(ctx: ServerContext, req: Request, reader: WireReader): PollResult {
  const consumer = readConsumer(reader);
  const streamId = reader.identifier();
  const topicId = reader.identifier();
  const requestedPartition = readOptionalPartition(reader);
  const strategyKind = reader.u8();
  const strategyValue = reader.u64();
  const count = reader.u32();
  const autoCommit = reader.u8();
  if (!reader.atEnd()) throw new WireDecodeError('trailing bytes');
  if (strategyKind < PollingKind.Offset || strategyKind > PollingKind.Next)
    throw new WireDecodeError('polling kind');
  if (autoCommit > 1) throw new WireDecodeError('auto_commit flag');
  // Where an auto-commit goes: the primary commits it (replicated); a follower keeps it in its own memory.
  const storeFor = (partition: PartitionState, slot: ReturnType<typeof offsetSlot>) => {
    if (autoCommit !== 1 || !stream || !topic) return undefined;
    if (ctx.follower) {
      const kind = slot.map === partition.consumerOffsets ? 'consumer' : 'group';
      return (offset: bigint) =>
        ctx.replication?.storeOnFollower(
          ctx.nodeIndex ?? -1,
          { stream, topic, partition },
          kind,
          slot.key,
          offset,
        );
    }
    return (offset: bigint) => {
      ctx.replication?.beforeOffsetChange({ stream, topic, partition }, slot.map, slot.key);
      slot.set(offset);
    };
  };

  const empty = (partitionId: number, offset = 0n) => ({ body: encodePollReply(partitionId, offset, [], 0) });
  const stream = ctx.state.findStream(streamId);
  const topic = stream && ctx.state.findTopic(stream, topicId);

  if (consumer.kind === 'group') {
    // The ownership check comes first: every miss is the "re-sync" empty poll, never a status.
    if (requestedPartition === undefined) return empty(0);
    // Also a member polling a partition it is handing off (polled, not committed): the source may not poll it.
    const group = settledGroup(topic && ctx.state.findGroup(topic, consumer.id));
    const partition = topic && findPartition(topic, requestedPartition);
    if (!group || !partition || !canPoll(group, req.header.client, requestedPartition)) {
      return empty(RESYNC_PARTITION_ID);
    }
    const slot = offsetSlot(partition, consumer, group);
    const read = readPartition(
      partition,
      slot,
      strategyKind,
      strategyValue,
      count,
      storeFor(partition, slot),
    );
    if (read.lastOffset !== undefined && !ctx.follower)
      recordPoll(group, req.header.client, partition.id, read.lastOffset);
    return { body: read.body };
  }

  if (!stream) return { status: ErrorCode.StreamIdNotFound };
  if (!topic) return { status: ErrorCode.TopicIdNotFound };
  const partition = findPartition(topic, requestedPartition ?? 0);
  if (!partition) return { status: ErrorCode.PartitionNotFound };
  const slot = offsetSlot(partition, consumer, undefined);
  const read = readPartition(partition, slot, strategyKind, strategyValue, count, storeFor(partition, slot));
  return { body: read.body };
}

function readPartition(
  partition: PartitionState,
  slot: ReturnType<typeof offsetSlot>,
  strategyKind: number,
  strategyValue: bigint,
  count: number,
  /** Set when the poll auto-commits: stores the last returned offset. */
  store: ((offset: bigint) => void) | undefined,
): { body: Buffer; lastOffset: bigint | undefined } {
  const start = startOffset(partition, slot.get(), strategyKind, strategyValue, count);
  const end = start + BigInt(count) < partition.nextOffset ? start + BigInt(count) : partition.nextOffset;
  const records: Buffer[] = [];
  let returned = 0;
  if (start < end) {
    for (let index = firstBatchEndingAfter(partition, start); index < partition.batches.length; index += 1) {
      const batch = partition.batches[index]!;
      if (batch.baseOffset >= end) break;
      const batchEnd = batch.baseOffset + BigInt(batch.frames.length);
      const from = start > batch.baseOffset ? Number(start - batch.baseOffset) : 0;
      const to = end < batchEnd ? Number(end - batch.baseOffset) : batch.frames.length;
      records.push(encodeBatchRecord(batch, from, to - from));
      returned += to - from;
    }
  }
  const lastOffset = returned > 0 ? start + BigInt(returned) - 1n : undefined;
  if (store && lastOffset !== undefined) store(lastOffset);
  return { body: encodePollReply(partition.id, currentOffset(partition), records, returned), lastOffset };
}

/** Batches are stored in offset order: binary search keeps polls fast when a long demo run stored many batches. */
function firstBatchEndingAfter(partition: PartitionState, offset: bigint): number {
  let low = 0;
  let high = partition.batches.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const batch = partition.batches[middle]!;
    if (batch.baseOffset + BigInt(batch.frames.length) <= offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

function startOffset(
  partition: PartitionState,
  stored: bigint | undefined,
  kind: number,
  value: bigint,
  count: number,
): bigint {
  switch (kind) {
    case PollingKind.Offset:
      return value;
    case PollingKind.Timestamp: {
      // Server time is the batch's base_timestamp, flat for the whole batch.
      const batch = partition.batches.find((b) => b.baseTimestamp >= value);
      return batch ? batch.baseOffset : partition.nextOffset;
    }
    case PollingKind.First:
      return partition.batches[0]?.baseOffset ?? 0n;
    case PollingKind.Last:
      return partition.nextOffset > BigInt(count) ? partition.nextOffset - BigInt(count) : 0n;
    default:
      return stored === undefined ? 0n : stored + 1n;
  }
}
