/** Message batches: SendMessages body, send confirmation, PollMessages request and reply (reference §5). */

import { randomBytes } from 'node:crypto';
import { invalidArgument, protocolError } from '../errors';
import { BinaryReader, BinaryWriter, utf8 } from './binary';
import { xxh3_64 } from './checksum';
import { U32_MAX } from './constants';
import {
  checkU32,
  type Consumer,
  type Identifier,
  type Partitioning,
  type PollingStrategy,
  writeConsumer,
  writeIdentifier,
  writeOptionalPartition,
  writePartitioning,
  writePollingStrategy,
} from './primitives';

export const BATCH_HEADER_SIZE = 256;
export const MESSAGE_HEADER_SIZE = 48;
/** Bytes 0..44 of the batch header that feed the batch checksum: 3 zero u64, origin, length, count. */
const BATCH_CHECKSUM_PREFIX = 44;

export interface OutgoingMessage {
  /** string = UTF-8 */
  payload: Uint8Array | string;
  /** default: random non-zero u128 */
  id?: bigint;
  /** raw TLV bytes (§4.6); default none */
  userHeaders?: Uint8Array;
  /** default: now */
  originTimestampMicros?: bigint;
}

export function nowMicros(): bigint {
  return BigInt(Date.now()) * 1000n;
}

export function randomMessageId(): bigint {
  for (;;) {
    const bytes = randomBytes(16);
    const id = bytes.readBigUInt64LE(0) | (bytes.readBigUInt64LE(8) << 64n);
    if (id !== 0n) return id;
  }
}

interface PreparedMessage {
  id: bigint;
  payload: Uint8Array;
  userHeaders: Uint8Array;
  origin: bigint;
}

function prepare(message: OutgoingMessage, now: bigint): PreparedMessage {
  if (message === null || typeof message !== 'object')
    throw invalidArgument('each message must be an object');
  const payload = typeof message.payload === 'string' ? utf8(message.payload) : message.payload;
  if (!(payload instanceof Uint8Array)) throw invalidArgument('message payload must be a string or bytes');
  const userHeaders = message.userHeaders ?? new Uint8Array(0);
  if (!(userHeaders instanceof Uint8Array)) throw invalidArgument('user headers must be bytes');
  const id = message.id ?? randomMessageId();
  if (typeof id !== 'bigint' || id < 0n || id >= 1n << 128n)
    throw invalidArgument('message id must be a u128 bigint');
  const origin = message.originTimestampMicros ?? now;
  if (typeof origin !== 'bigint' || origin < 0n || origin >= 1n << 64n) {
    throw invalidArgument('origin timestamp must be a u64 bigint of microseconds');
  }
  return { id, payload, userHeaders, origin };
}

/**
 * The batch exactly as the server admits it: 256-byte header, then one frame per message
 * (48-byte header, payload, user headers), every checksum XXH3-64 seed 0.
 */
export function encodeMessageBatch(messages: readonly OutgoingMessage[], now: bigint = nowMicros()): Buffer {
  if (!Array.isArray(messages) || messages.length === 0) throw invalidArgument('send at least one message');
  if (messages.length > U32_MAX) throw invalidArgument('too many messages in one batch');
  const prepared = messages.map((m) => prepare(m, now));
  let origin = prepared[0]!.origin;
  let framesBytes = 0;
  for (const m of prepared) {
    if (m.origin < origin) origin = m.origin;
    framesBytes += MESSAGE_HEADER_SIZE + m.payload.length + m.userHeaders.length;
  }
  const batchLength = BATCH_HEADER_SIZE + framesBytes;
  const batch = Buffer.alloc(batchLength);
  const checksumInput = Buffer.alloc(BATCH_CHECKSUM_PREFIX + 8 * prepared.length);

  let at = BATCH_HEADER_SIZE;
  prepared.forEach((m, index) => {
    const delta = m.origin - origin;
    if (delta > BigInt(U32_MAX)) {
      throw invalidArgument('origin timestamps in one batch must lie within about 71 minutes of each other');
    }
    const frameStart = at;
    batch.writeBigUInt64LE(m.id & 0xffff_ffff_ffff_ffffn, at + 8);
    batch.writeBigUInt64LE(m.id >> 64n, at + 16);
    batch.writeUInt32LE(index, at + 24);
    batch.writeUInt32LE(Number(delta), at + 28);
    batch.writeUInt32LE(m.userHeaders.length, at + 32);
    batch.writeUInt32LE(m.payload.length, at + 36);
    // bytes 40..48 reserved, already zero
    at += MESSAGE_HEADER_SIZE;
    batch.set(m.payload, at);
    at += m.payload.length;
    batch.set(m.userHeaders, at);
    at += m.userHeaders.length;
    const checksum = xxh3_64(batch.subarray(frameStart + 8, at));
    batch.writeBigUInt64LE(checksum, frameStart);
    checksumInput.writeBigUInt64LE(checksum, BATCH_CHECKSUM_PREFIX + 8 * index);
  });

  batch.writeBigUInt64LE(origin, 24);
  batch.writeBigUInt64LE(BigInt(batchLength), 32);
  batch.writeUInt32LE(prepared.length, 48);
  batch.copy(checksumInput, 0, 0, 40);
  checksumInput.writeUInt32LE(prepared.length, 40);
  batch.writeBigUInt64LE(xxh3_64(checksumInput), 40);
  return batch;
}

export interface SendMessagesInput {
  streamId: Identifier;
  topicId: Identifier;
  partitioning?: Partitioning;
  messages: readonly OutgoingMessage[];
}

/** `[metadata_length u32][stream Id][topic Id][Partitioning][messages_count u32][batch]`. */
export function encodeSendMessagesBody(input: SendMessagesInput, now?: bigint): Buffer {
  const batch = encodeMessageBatch(input.messages, now);
  const meta = new BinaryWriter(64);
  writeIdentifier(meta, input.streamId, 'stream id');
  writeIdentifier(meta, input.topicId, 'topic id');
  writePartitioning(meta, input.partitioning ?? { kind: 'balanced' });
  meta.u32(input.messages.length);
  const metadata = meta.toBuffer();
  const body = Buffer.allocUnsafe(4 + metadata.length + batch.length);
  body.writeUInt32LE(metadata.length, 0);
  metadata.copy(body, 4);
  batch.copy(body, 4 + metadata.length);
  return body;
}

export interface SendResult {
  streamId?: number;
  topicId?: number;
  partitionId?: number;
  baseOffset?: bigint;
  /**
   * The reply body was empty: released 0.9.0 answers a request number it already applied (e.g. a
   * resent frame) this way. The send succeeded; no offsets are known.
   */
  deduplicated?: true;
}

/** `[count u32]` then count × `[stream u32][topic u32][partition u32][base_offset u64]`; fields absent for count 0. */
export function decodeSendReply(payload: Buffer): SendResult {
  if (payload.length === 0) return { deduplicated: true }; // success without confirmations
  const r = new BinaryReader(payload, 'send confirmation');
  const count = r.u32();
  if (count === 0) {
    r.expectEnd();
    return {};
  }
  if (r.remaining !== count * 20) {
    throw protocolError(`send confirmation claims ${count} entries but carries ${r.remaining} bytes`);
  }
  return { streamId: r.u32(), topicId: r.u32(), partitionId: r.u32(), baseOffset: r.u64() };
}

export interface PollMessagesInput {
  consumer: Consumer;
  streamId: Identifier;
  topicId: Identifier;
  /** undefined = unset OptPart */
  partitionId?: number;
  strategy: PollingStrategy;
  count: number;
  autoCommit: boolean;
}

/** `[Consumer][stream Id][topic Id][OptPart][strategy 9 B][count u32][auto_commit u8]`. */
export function encodePollMessagesBody(input: PollMessagesInput): Buffer {
  const w = new BinaryWriter(64);
  writeConsumer(w, input.consumer);
  writeIdentifier(w, input.streamId, 'stream id');
  writeIdentifier(w, input.topicId, 'topic id');
  writeOptionalPartition(w, input.partitionId);
  writePollingStrategy(w, input.strategy);
  w.u32(checkU32(input.count, 'poll count'));
  w.u8(input.autoCommit ? 1 : 0);
  return w.toBuffer();
}

export interface PolledMessage {
  offset: bigint;
  id: bigint;
  checksum: bigint;
  partitionId: number;
  /** server stamp (batch base_timestamp) */
  timestampMicros: bigint;
  originTimestampMicros: bigint;
  payload: Buffer;
  userHeaders: Buffer;
}

export interface PolledMessages {
  partitionId: number;
  currentOffset: bigint;
  messages: PolledMessage[];
}

export interface DecodePollOptions {
  /** Check each message's checksum (batch checksums are recomputed by the server and never checked). */
  verifyChecksums?: boolean;
}

/**
 * `[partition_id u32][current_offset u64][messages_count u32]` then batch records back to back.
 * Each record is walked strictly inside its own batch_length; payloads are views into the reply.
 */
export function decodePollReply(payload: Buffer, options: DecodePollOptions = {}): PolledMessages {
  const verify = options.verifyChecksums ?? true;
  const r = new BinaryReader(payload, 'poll reply');
  const partitionId = r.u32();
  const currentOffset = r.u64();
  const declaredCount = r.u32();
  const messages: PolledMessage[] = [];
  while (r.remaining > 0) {
    const recordStart = r.position;
    const header = new BinaryReader(
      payload,
      'poll batch header',
      recordStart,
      recordStart + Math.min(BATCH_HEADER_SIZE, r.remaining),
    );
    const recordPartition = header.u64();
    const baseOffset = header.u64();
    const baseTimestamp = header.u64();
    const origin = header.u64();
    const batchLength = header.u64();
    header.u64(); // batch checksum: recomputed by the server after stamping, deliberately not verified
    const recordCount = header.u32();
    header.skip(BATCH_HEADER_SIZE - 52);
    if (batchLength < BigInt(BATCH_HEADER_SIZE) || batchLength > BigInt(r.remaining)) {
      throw protocolError(`poll batch record declares length ${batchLength} with ${r.remaining} bytes left`);
    }
    const recordEnd = recordStart + Number(batchLength);
    const frames = new BinaryReader(
      payload,
      'poll message frame',
      recordStart + BATCH_HEADER_SIZE,
      recordEnd,
    );
    for (let i = 0; i < recordCount; i++) {
      const frameStart = frames.position;
      const checksum = frames.u64();
      const id = frames.u128();
      const offsetDelta = frames.u32();
      const timestampDelta = frames.u32();
      const userHeadersLength = frames.u32();
      const payloadLength = frames.u32();
      frames.skip(8);
      const messagePayload = frames.bytes(payloadLength);
      const userHeaders = frames.bytes(userHeadersLength);
      if (verify) {
        const actual = xxh3_64(payload.subarray(frameStart + 8, frames.position));
        if (actual !== checksum) {
          throw protocolError(`message at offset ${baseOffset + BigInt(offsetDelta)} has a bad checksum`);
        }
      }
      messages.push({
        offset: baseOffset + BigInt(offsetDelta),
        id,
        checksum,
        partitionId: Number(recordPartition),
        timestampMicros: baseTimestamp,
        originTimestampMicros: origin + BigInt(timestampDelta),
        payload: messagePayload,
        userHeaders,
      });
    }
    frames.expectEnd();
    r.skip(Number(batchLength));
  }
  if (messages.length !== declaredCount) {
    throw protocolError(`poll reply declares ${declaredCount} messages but carries ${messages.length}`);
  }
  return { partitionId, currentOffset, messages };
}
