import { type Identifier, WireDecodeError, WireReader, WireWriter } from './bytes';
import { checksum64 } from './checksum';

/** Batch header and message frame layout (docs/architecture.md#sending-messages). */
export const BATCH_HEADER_SIZE = 256;
export const FRAME_HEADER_SIZE = 48;

export type Partitioning =
  { kind: 'balanced' } | { kind: 'partition'; partitionId: number } | { kind: 'key'; key: Buffer };

export interface SendMetadata {
  stream: Identifier;
  topic: Identifier;
  partitioning: Partitioning;
  messagesCount: number;
  /** The batch bytes (header + frames) that follow the metadata. */
  batch: Buffer;
}

/** Decodes the fixed part of a send body; throws WireDecodeError for anything that does not add up. */
export function parseSendMetadata(body: Buffer): SendMetadata {
  const reader = new WireReader(body);
  const metadataLength = reader.u32();
  const metadataStart = reader.offset;
  const stream = reader.identifier();
  const topic = reader.identifier();
  const partitioning = readPartitioning(reader);
  const messagesCount = reader.u32();
  if (reader.offset - metadataStart !== metadataLength) {
    throw new WireDecodeError(
      `metadata_length ${metadataLength} but metadata is ${reader.offset - metadataStart}`,
    );
  }
  return { stream, topic, partitioning, messagesCount, batch: reader.rest() };
}

function readPartitioning(reader: WireReader): Partitioning {
  const kind = reader.u8();
  const length = reader.u8();
  if (kind === 1) {
    if (length !== 0) throw new WireDecodeError('balanced partitioning carries a value');
    return { kind: 'balanced' };
  }
  if (kind === 2) {
    if (length !== 4) throw new WireDecodeError('partition id must be 4 bytes');
    return { kind: 'partition', partitionId: reader.u32() };
  }
  if (kind === 3) {
    if (length === 0) throw new WireDecodeError('empty messages key');
    return { kind: 'key', key: Buffer.from(reader.bytes(length)) };
  }
  throw new WireDecodeError(`partitioning kind ${kind}`);
}

export interface MessageFrame {
  /** The whole frame: 48-byte header, payload, user headers. */
  bytes: Buffer;
  offsetDelta: number;
}

export interface VerifiedBatch {
  originTimestamp: bigint;
  frames: MessageFrame[];
}

/**
 * Admission checks of the partition (docs/architecture.md#sending-messages): lengths, counts, reserved bytes and every checksum.
 * Any failure throws: the caller drops the request without a reply.
 */
export function verifyBatch(batch: Buffer, expectedMessagesCount: number): VerifiedBatch {
  if (batch.length < BATCH_HEADER_SIZE) throw new WireDecodeError('batch shorter than its header');
  const batchLength = batch.readBigUInt64LE(32);
  if (batchLength !== BigInt(batch.length)) {
    throw new WireDecodeError(`batch_length ${batchLength} but ${batch.length} bytes follow the metadata`);
  }
  const messageCount = batch.readUInt32LE(48);
  if (messageCount === 0 || messageCount !== expectedMessagesCount) {
    throw new WireDecodeError(`message_count ${messageCount}, messages_count ${expectedMessagesCount}`);
  }
  if (!isZero(batch.subarray(52, BATCH_HEADER_SIZE)))
    throw new WireDecodeError('batch reserved bytes not zero');

  const frames: MessageFrame[] = [];
  let position = BATCH_HEADER_SIZE;
  while (position < batch.length) {
    if (position + FRAME_HEADER_SIZE > batch.length) throw new WireDecodeError('truncated frame header');
    const userHeadersLength = batch.readUInt32LE(position + 32);
    const payloadLength = batch.readUInt32LE(position + 36);
    const frameLength = FRAME_HEADER_SIZE + payloadLength + userHeadersLength;
    if (position + frameLength > batch.length) throw new WireDecodeError('frame runs past the batch');
    const frame = batch.subarray(position, position + frameLength);
    if (!isZero(frame.subarray(40, 48))) throw new WireDecodeError('frame reserved bytes not zero');
    if (checksum64(frame.subarray(8)) !== frame.readBigUInt64LE(0))
      throw new WireDecodeError('frame checksum');
    frames.push({ bytes: Buffer.from(frame), offsetDelta: frame.readUInt32LE(24) });
    position += frameLength;
  }
  if (frames.length !== messageCount)
    throw new WireDecodeError(`${frames.length} frames, message_count ${messageCount}`);
  if (batchChecksum(batch.subarray(0, 40), messageCount, frames) !== batch.readBigUInt64LE(40)) {
    throw new WireDecodeError('batch checksum');
  }
  return { originTimestamp: batch.readBigUInt64LE(24), frames };
}

function isZero(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0) return false;
  return true;
}

/** XXH3 over the five u64 header fields, message_count and the frame checksums in order. */
export function batchChecksum(
  firstFortyHeaderBytes: Buffer,
  messageCount: number,
  frames: readonly MessageFrame[],
): bigint {
  const count = Buffer.alloc(4);
  count.writeUInt32LE(messageCount);
  return checksum64(
    Buffer.concat([firstFortyHeaderBytes, count, ...frames.map((f) => f.bytes.subarray(0, 8))]),
  );
}

/** A batch as the partition keeps it: server-stamped fields plus the frames exactly as admitted. */
export interface StoredBatch {
  partitionId: number;
  baseOffset: bigint;
  baseTimestamp: bigint;
  originTimestamp: bigint;
  frames: MessageFrame[];
}

export function batchMessageOffset(batch: StoredBatch, index: number): bigint {
  return batch.baseOffset + BigInt(index);
}

/**
 * One record of a poll reply: the stored batch header (stamped, checksum recomputed over what is sent)
 * followed by the frames in [fromIndex, fromIndex + count). A slice keeps its frames' offset_delta.
 */
export function encodeBatchRecord(batch: StoredBatch, fromIndex: number, count: number): Buffer {
  const frames = batch.frames.slice(fromIndex, fromIndex + count);
  const framesLength = frames.reduce((sum, f) => sum + f.bytes.length, 0);
  const header = Buffer.alloc(BATCH_HEADER_SIZE);
  header.writeBigUInt64LE(BigInt(batch.partitionId), 0);
  header.writeBigUInt64LE(batch.baseOffset, 8);
  header.writeBigUInt64LE(batch.baseTimestamp, 16);
  header.writeBigUInt64LE(batch.originTimestamp, 24);
  header.writeBigUInt64LE(BigInt(BATCH_HEADER_SIZE + framesLength), 32);
  header.writeUInt32LE(frames.length, 48);
  header.writeBigUInt64LE(batchChecksum(header.subarray(0, 40), frames.length, frames), 40);
  return Buffer.concat([header, ...frames.map((f) => f.bytes)]);
}

export function storedBatchSizeBytes(batch: StoredBatch): number {
  return BATCH_HEADER_SIZE + batch.frames.reduce((sum, f) => sum + f.bytes.length, 0);
}

/** Poll reply (docs/architecture.md#polling-messages): `[partition_id u32][current_offset u64][messages_count u32]` + records. */
export function encodePollReply(
  partitionId: number,
  currentOffset: bigint,
  records: readonly Buffer[],
  messagesCount: number,
): Buffer {
  const w = new WireWriter().u32(partitionId).u64(currentOffset).u32(messagesCount);
  for (const record of records) w.bytes(record);
  return w.toBuffer();
}
