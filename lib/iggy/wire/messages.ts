/** Message batches: SendMessages body, send confirmation, PollMessages request and reply (docs/architecture.md#sending-messages). */

import { randomFillSync } from 'node:crypto';
import { invalidArgument, protocolError } from '../errors';
import { BinaryReader, BinaryWriter } from './binary';
import { xxh3_64 } from './checksum';
import { U32_MAX } from './constants';
import { allocBodyWithHeadroom } from './frame-headroom';
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
  /** raw TLV bytes (docs/architecture.md#shared-encodings); default none */
  userHeaders?: Uint8Array;
  /** default: now */
  originTimestampMicros?: bigint;
}

export function nowMicros(): bigint {
  return BigInt(Date.now()) * 1000n;
}

const U32_MAX_BIG = BigInt(U32_MAX);

/** What the sizing pass learned about a batch; the writing pass trusts it and checks nothing again. */
interface BatchPlan {
  count: number;
  /** 256-byte header plus every frame */
  batchLength: number;
  /** batch origin_timestamp: the smallest origin among the messages */
  origin: bigint;
  now: bigint;
  /** messages without an id, each taking 16 random bytes */
  randomIds: number;
}

/**
 * Pass 1: validates every message and sizes the batch without touching payload bytes (strings
 * are measured, not encoded), so pass 2 can write into one buffer allocated once.
 */
function planBatch(messages: readonly OutgoingMessage[], now: bigint): BatchPlan {
  if (!Array.isArray(messages) || messages.length === 0) throw invalidArgument('send at least one message');
  if (messages.length > U32_MAX) throw invalidArgument('too many messages in one batch');
  let batchLength = BATCH_HEADER_SIZE;
  let randomIds = 0;
  let minOrigin: bigint | undefined;
  let maxOrigin: bigint | undefined;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    if (message === null || typeof message !== 'object')
      throw invalidArgument('each message must be an object');
    const payload = message.payload;
    let payloadLength: number;
    if (typeof payload === 'string') payloadLength = Buffer.byteLength(payload, 'utf8');
    else if (payload instanceof Uint8Array) payloadLength = payload.length;
    else throw invalidArgument('message payload must be a string or bytes');
    const userHeaders = message.userHeaders;
    if (userHeaders != null && !(userHeaders instanceof Uint8Array))
      throw invalidArgument('user headers must be bytes');
    const id = message.id;
    if (id == null) randomIds++;
    else if (typeof id !== 'bigint' || id < 0n || id >= 1n << 128n)
      throw invalidArgument('message id must be a u128 bigint');
    const origin = message.originTimestampMicros ?? now;
    if (typeof origin !== 'bigint' || origin < 0n || origin >= 1n << 64n) {
      throw invalidArgument('origin timestamp must be a u64 bigint of microseconds');
    }
    if (minOrigin === undefined || origin < minOrigin) minOrigin = origin;
    if (maxOrigin === undefined || origin > maxOrigin) maxOrigin = origin;
    batchLength += MESSAGE_HEADER_SIZE + payloadLength + (userHeaders?.length ?? 0);
  }
  if (maxOrigin! - minOrigin! > U32_MAX_BIG) {
    throw invalidArgument('origin timestamps in one batch must lie within about 71 minutes of each other');
  }
  return { count: messages.length, batchLength, origin: minOrigin!, now, randomIds };
}

/**
 * Scratch bytes that never leave this module and are used synchronously only (random ids, the
 * batch checksum input), so reusing them between calls is safe. Grow-only up to a cap; a batch
 * above the cap gets a one-off buffer so one huge batch does not pin memory for the process life.
 */
const SCRATCH_CACHE_LIMIT = 256 * 1024;
let scratch = new Uint8Array(4096);

function scratchOf(size: number): Uint8Array {
  if (size <= scratch.length) return scratch;
  if (size > SCRATCH_CACHE_LIMIT) return new Uint8Array(size);
  scratch = new Uint8Array(Math.min(SCRATCH_CACHE_LIMIT, Math.max(size, scratch.length * 2)));
  return scratch;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Pass 2: writes the batch at `start` of `out` (which the caller sized from the plan). Every field
 * the server requires to be zero is written explicitly, so `out` may come from allocUnsafe.
 * Hash calls: one per message plus one for the batch, the minimum the format allows.
 */
function writeBatch(out: Buffer, start: number, messages: readonly OutgoingMessage[], plan: BatchPlan): void {
  const { count, origin, now } = plan;
  const view = viewOf(out);
  // The batch checksum input: 44-byte prefix, then each frame checksum; random ids follow it.
  const checksumInputLength = BATCH_CHECKSUM_PREFIX + 8 * count;
  const work = scratchOf(checksumInputLength + 16 * plan.randomIds);
  const workView = viewOf(work);
  let randomAt = checksumInputLength;
  if (plan.randomIds > 0) randomFillSync(work, randomAt, 16 * plan.randomIds);
  const defaultDelta = Number(now - origin);

  let at = start + BATCH_HEADER_SIZE;
  for (let index = 0; index < count; index++) {
    const m = messages[index]!;
    const frameStart = at;
    const id = m.id;
    if (id == null) {
      // Copied as four u32 words: no BigInt is made for an id nobody asked to see.
      let a = workView.getUint32(randomAt, true);
      let b = workView.getUint32(randomAt + 4, true);
      let c = workView.getUint32(randomAt + 8, true);
      let d = workView.getUint32(randomAt + 12, true);
      while ((a | b | c | d) === 0) {
        // 2^-128: a zero id would be kept verbatim by the server, so draw again.
        randomFillSync(work, randomAt, 16);
        a = workView.getUint32(randomAt, true);
        b = workView.getUint32(randomAt + 4, true);
        c = workView.getUint32(randomAt + 8, true);
        d = workView.getUint32(randomAt + 12, true);
      }
      view.setUint32(at + 8, a, true);
      view.setUint32(at + 12, b, true);
      view.setUint32(at + 16, c, true);
      view.setUint32(at + 20, d, true);
      randomAt += 16;
    } else {
      view.setBigUint64(at + 8, BigInt.asUintN(64, id), true);
      view.setBigUint64(at + 16, id >> 64n, true);
    }
    const messageOrigin = m.originTimestampMicros;
    view.setUint32(at + 24, index, true);
    view.setUint32(at + 28, messageOrigin == null ? defaultDelta : Number(messageOrigin - origin), true);
    view.setUint32(at + 40, 0, true); // reserved
    view.setUint32(at + 44, 0, true);
    const payload = m.payload;
    let payloadLength: number;
    if (typeof payload === 'string') {
      payloadLength = payload.length === 0 ? 0 : out.write(payload, at + MESSAGE_HEADER_SIZE, 'utf8');
    } else {
      out.set(payload, at + MESSAGE_HEADER_SIZE);
      payloadLength = payload.length;
    }
    const userHeaders = m.userHeaders;
    const headersLength = userHeaders?.length ?? 0;
    if (headersLength > 0) out.set(userHeaders!, at + MESSAGE_HEADER_SIZE + payloadLength);
    view.setUint32(at + 32, headersLength, true);
    view.setUint32(at + 36, payloadLength, true);
    at += MESSAGE_HEADER_SIZE + payloadLength + headersLength;
    const checksum = xxh3_64(
      new Uint8Array(out.buffer, out.byteOffset + frameStart + 8, at - frameStart - 8),
    );
    view.setBigUint64(frameStart, checksum, true);
    workView.setBigUint64(BATCH_CHECKSUM_PREFIX + 8 * index, checksum, true);
  }

  // Batch header: partition, base offset and base timestamp are the server's (zero here).
  out.fill(0, start, start + 24);
  view.setBigUint64(start + 24, origin, true);
  view.setBigUint64(start + 32, BigInt(plan.batchLength), true);
  view.setUint32(start + 48, count, true);
  out.fill(0, start + 52, start + BATCH_HEADER_SIZE);
  work.fill(0, 0, 24);
  workView.setBigUint64(24, origin, true);
  workView.setBigUint64(32, BigInt(plan.batchLength), true);
  workView.setUint32(40, count, true);
  view.setBigUint64(start + 40, xxh3_64(work.subarray(0, checksumInputLength)), true);
}

/**
 * The batch exactly as the server admits it: 256-byte header, then one frame per message
 * (48-byte header, payload, user headers), every checksum XXH3-64 seed 0.
 */
export function encodeMessageBatch(messages: readonly OutgoingMessage[], now: bigint = nowMicros()): Buffer {
  const plan = planBatch(messages, now);
  const batch = Buffer.allocUnsafe(plan.batchLength);
  writeBatch(batch, 0, messages, plan);
  return batch;
}

export interface SendMessagesInput {
  streamId: Identifier;
  topicId: Identifier;
  partitioning?: Partitioning;
  messages: readonly OutgoingMessage[];
}

/**
 * `[metadata_length u32][stream Id][topic Id][Partitioning][messages_count u32][batch]`, written in
 * one pass into one buffer sized up front, with room for the request header in front of it
 * (frame-headroom.ts). The buffer is new on every call: the caller may hold it (or a socket may
 * still be writing it) while the next batch is encoded.
 */
export function encodeSendMessagesBody(input: SendMessagesInput, now: bigint = nowMicros()): Buffer {
  const plan = planBatch(input.messages, now);
  const meta = new BinaryWriter(64);
  writeIdentifier(meta, input.streamId, 'stream id');
  writeIdentifier(meta, input.topicId, 'topic id');
  writePartitioning(meta, input.partitioning ?? { kind: 'balanced' });
  meta.u32(plan.count);
  const metadataLength = meta.length;
  // Header room in front: the request frame is then written around the body, not copied from it.
  const body = allocBodyWithHeadroom(4 + metadataLength + plan.batchLength);
  body.writeUInt32LE(metadataLength, 0);
  body.set(meta.toBuffer(), 4);
  writeBatch(body, 4 + metadataLength, input.messages, plan);
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
  /**
   * Check each polled message's XXH3-64 checksum (default true). At 100 B payloads the check is
   * about two thirds of the decode time (docs/performance.md); turn it off only for trusted links.
   */
  verifyChecksums?: boolean;
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

/** Shared by every message without user headers; zero bytes long, so nobody can change it. */
const NO_BYTES = Buffer.alloc(0);

/**
 * `[partition_id u32][current_offset u64][messages_count u32]` then batch records back to back.
 * Each record is walked strictly inside its own batch_length. Payloads and user headers are views
 * into the reply (no copy): a message kept for long keeps the whole reply buffer alive, so a
 * caller that stores a few messages out of a big poll should copy them (`Buffer.from(payload)`).
 */
export function decodePollReply(payload: Buffer, options: DecodePollOptions = {}): PolledMessages {
  const verify = options.verifyChecksums ?? true;
  const view = viewOf(payload);
  const end = payload.length;
  if (end < 16) {
    throw protocolError(`poll reply is truncated: needed 16 bytes, only ${end} present`);
  }
  const partitionId = view.getUint32(0, true);
  const currentOffset = view.getBigUint64(4, true);
  const declaredCount = view.getUint32(12, true);
  const messages: PolledMessage[] = [];
  let at = 16;
  while (at < end) {
    const left = end - at;
    if (left < BATCH_HEADER_SIZE) {
      throw protocolError(
        `poll batch header is truncated: needed ${BATCH_HEADER_SIZE} bytes at offset ${at}, only ${left} left`,
      );
    }
    const recordPartition = Number(view.getBigUint64(at, true));
    const baseOffset = view.getBigUint64(at + 8, true);
    const baseTimestamp = view.getBigUint64(at + 16, true);
    const origin = view.getBigUint64(at + 24, true);
    const batchLength = view.getBigUint64(at + 32, true);
    // at + 40: batch checksum, recomputed by the server after stamping, deliberately not verified
    const recordCount = view.getUint32(at + 48, true);
    if (batchLength < BigInt(BATCH_HEADER_SIZE) || batchLength > BigInt(left)) {
      throw protocolError(`poll batch record declares length ${batchLength} with ${left} bytes left`);
    }
    const recordEnd = at + Number(batchLength);
    let frame = at + BATCH_HEADER_SIZE;
    for (let i = 0; i < recordCount; i++) {
      if (recordEnd - frame < MESSAGE_HEADER_SIZE) {
        throw protocolError(
          `poll message frame is truncated: needed ${MESSAGE_HEADER_SIZE} bytes at offset ${frame}, only ${recordEnd - frame} left`,
        );
      }
      const checksum = view.getBigUint64(frame, true);
      const idLow = view.getBigUint64(frame + 8, true);
      const idHigh = view.getBigUint64(frame + 16, true);
      const offsetDelta = view.getUint32(frame + 24, true);
      const timestampDelta = view.getUint32(frame + 28, true);
      const userHeadersLength = view.getUint32(frame + 32, true);
      const payloadLength = view.getUint32(frame + 36, true);
      const payloadStart = frame + MESSAGE_HEADER_SIZE;
      const headersStart = payloadStart + payloadLength;
      const frameEnd = headersStart + userHeadersLength;
      if (frameEnd > recordEnd) {
        throw protocolError(
          `poll message frame is truncated: needed ${payloadLength + userHeadersLength} bytes at offset ${payloadStart}, only ${recordEnd - payloadStart} left`,
        );
      }
      const offset = baseOffset + BigInt(offsetDelta);
      if (verify) {
        const actual = xxh3_64(
          new Uint8Array(payload.buffer, payload.byteOffset + frame + 8, frameEnd - frame - 8),
        );
        if (actual !== checksum) throw protocolError(`message at offset ${offset} has a bad checksum`);
      }
      messages.push({
        offset,
        id: idHigh === 0n ? idLow : idLow | (idHigh << 64n),
        checksum,
        partitionId: recordPartition,
        timestampMicros: baseTimestamp,
        originTimestampMicros: timestampDelta === 0 ? origin : origin + BigInt(timestampDelta),
        payload: payload.subarray(payloadStart, headersStart),
        userHeaders: userHeadersLength === 0 ? NO_BYTES : payload.subarray(headersStart, frameEnd),
      });
      frame = frameEnd;
    }
    if (frame !== recordEnd) {
      throw protocolError(`poll message frame has ${recordEnd - frame} unexpected trailing bytes`);
    }
    at = recordEnd;
  }
  if (messages.length !== declaredCount) {
    throw protocolError(`poll reply declares ${declaredCount} messages but carries ${messages.length}`);
  }
  return { partitionId, currentOffset, messages };
}
