import { WireDecodeError, WireReader, WireWriter } from '../wire/bytes';
import { type StoredBatch, parseSendMetadata, storedBatchSizeBytes, verifyBatch } from '../wire/batch';
import { hash32 } from '../wire/checksum';
import { ErrorCode, EvictionReason, Operation } from '../wire/codes';
import { resultOk } from '../wire/frame';
import { type PartitionState, type TopicState, currentOffset } from '../model/state';
import { type ClientEntry, type Request, type ServerContext, boundClient } from './context';
import { appendToJournal } from '../model/journal';
import { canCommit, committed } from '../model/groups';
import { findPartition, offsetSlot, readConsumer, readOptionalPartition, settledGroup } from './consumer';
import { sendDenial, sendEviction, sendPartitionReply } from './replies';

/** Partition plane (operations 160..162): no dedup, denials on the status channel (docs/architecture.md#error-codes). */
export function handlePartitionOp(ctx: ServerContext, req: Request): void {
  const entry = boundClient(ctx, req.connection);
  if (!entry) return sendEviction(ctx, req, EvictionReason.NoSession);
  if (req.header.operation === Operation.SendMessages) return handleSend(ctx, req);
  try {
    handleOffsetWrite(ctx, req, entry);
  } catch (error) {
    if (!(error instanceof WireDecodeError)) throw error;
    sendDenial(ctx, req, ErrorCode.InvalidCommand);
  }
}

function isTransient(ctx: ServerContext, topic: TopicState): boolean {
  return (
    ctx.options.transientAfterCreateMs > 0 &&
    Date.now() - topic.createdAtMs < ctx.options.transientAfterCreateMs
  );
}

function handleSend(ctx: ServerContext, req: Request): void {
  let metadata;
  try {
    metadata = parseSendMetadata(req.body);
  } catch (error) {
    if (error instanceof WireDecodeError) return log(ctx, req, `send dropped: ${error.message}`);
    throw error;
  }
  const stream = ctx.state.findStream(metadata.stream);
  const topic = stream && ctx.state.findTopic(stream, metadata.topic);
  if (!stream || !topic) return sendDenial(ctx, req, ErrorCode.ResourceNotFound);
  const partition = choosePartition(topic, metadata.partitioning);
  if (!partition) return sendDenial(ctx, req, ErrorCode.ResourceNotFound);
  if (isTransient(ctx, topic)) return sendDenial(ctx, req, ErrorCode.TransientNotAccepted);

  let verified;
  try {
    verified = verifyBatch(metadata.batch, metadata.messagesCount);
  } catch (error) {
    if (error instanceof WireDecodeError) return log(ctx, req, `send dropped: ${error.message}`);
    throw error;
  }
  if (metadata.partitioning.kind === 'balanced') topic.balancedCursor += 1;
  ctx.replication?.beforeAppend({ stream, topic, partition });

  const batch: StoredBatch = {
    partitionId: partition.id,
    baseOffset: partition.nextOffset,
    baseTimestamp: ctx.state.nowMicros(),
    originTimestamp: verified.originTimestamp,
    frames: verified.frames,
  };
  appendToJournal(partition, topic.settings, batch);
  partition.nextOffset += BigInt(batch.frames.length);
  partition.messagesCount += BigInt(batch.frames.length);
  partition.sizeBytes += BigInt(storedBatchSizeBytes(batch));

  const body = new WireWriter()
    .u32(1)
    .u32(stream.id)
    .u32(topic.id)
    .u32(partition.id)
    .u64(batch.baseOffset)
    .toBuffer();
  sendPartitionReply(ctx, req, body, partition.nextOffset);
}

function choosePartition(
  topic: TopicState,
  partitioning: ReturnType<typeof parseSendMetadata>['partitioning'],
) {
  const count = topic.partitions.length;
  if (count === 0) return undefined;
  switch (partitioning.kind) {
    case 'balanced':
      return topic.partitions[topic.balancedCursor % count];
    case 'partition':
      return findPartition(topic, partitioning.partitionId);
    case 'key':
      return topic.partitions[hash32(partitioning.key) % count];
  }
}

function handleOffsetWrite(ctx: ServerContext, req: Request, entry: ClientEntry): void {
  const store = req.header.operation === Operation.StoreConsumerOffset;
  const reader = new WireReader(req.body);
  const consumer = readConsumer(reader);
  const streamId = reader.identifier();
  const topicId = reader.identifier();
  const partitionId = readOptionalPartition(reader);
  const offset = store ? reader.u64() : 0n;
  reader.u8(); // ack level: NoAck and Quorum behave the same on a single in-memory node
  if (!reader.atEnd()) throw new WireDecodeError('trailing bytes');

  const stream = ctx.state.findStream(streamId);
  const topic = stream && ctx.state.findTopic(stream, topicId);
  if (!topic || partitionId === undefined) return sendDenial(ctx, req, ErrorCode.ResourceNotFound);
  const group = consumer.kind === 'group' ? settledGroup(ctx.state.findGroup(topic, consumer.id)) : undefined;
  if (consumer.kind === 'group' && (!group || !canCommit(group, entry.clientId, partitionId))) {
    return sendDenial(ctx, req, ErrorCode.ResourceNotFound);
  }
  const partition: PartitionState | undefined = findPartition(topic, partitionId);
  if (!partition) return sendDenial(ctx, req, ErrorCode.ResourceNotFound);
  if (isTransient(ctx, topic)) return sendDenial(ctx, req, ErrorCode.TransientNotAccepted);

  const slot = offsetSlot(partition, consumer, group);
  if (store) {
    if (partition.messagesCount === 0n || offset > currentOffset(partition)) {
      return sendDenial(ctx, req, ErrorCode.InvalidOffset);
    }
    ctx.replication?.beforeOffsetChange({ stream: stream!, topic, partition }, slot.map, slot.key);
    slot.set(offset);
    if (group) committed(group, entry.clientId, partitionId, offset);
  } else {
    if (slot.get() === undefined) return sendDenial(ctx, req, ErrorCode.ConsumerOffsetNotFound);
    ctx.replication?.beforeOffsetChange({ stream: stream!, topic, partition }, slot.map, slot.key);
    slot.remove();
  }
  sendPartitionReply(ctx, req, resultOk(), partition.nextOffset);
}

function log(ctx: ServerContext, req: Request, line: string): void {
  ctx.options.log(`connection ${req.connection.id}: ${line}`);
}
