// The send encoder and poll decoder write/read with DataView into one buffer; these tests hold them
// to a deliberately naive model (one Buffer per field, concat) and to the safety properties the
// fast path could break: scratch reuse, reserved bytes from allocUnsafe, views into the reply.
import { xxh3 } from '@node-rs/xxhash';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IggyError } from '@/lib/iggy/errors';
import { encodeRequestFrame } from '@/lib/iggy/wire/header';
import {
  decodePollReply,
  encodeMessageBatch,
  encodeSendMessagesBody,
  type OutgoingMessage,
} from '@/lib/iggy/wire/messages';

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return b;
}

function u64(value: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  return b;
}

/** The batch built the obvious way; ids and origins must be given. */
function naiveBatch(messages: { id: bigint; payload: Buffer; headers: Buffer; origin: bigint }[]): Buffer {
  const origin = messages.reduce((min, m) => (m.origin < min ? m.origin : min), messages[0]!.origin);
  const frames = messages.map((m, index) => {
    const rest = Buffer.concat([
      u64(m.id & 0xffff_ffff_ffff_ffffn),
      u64(m.id >> 64n),
      u32(index),
      u32(Number(m.origin - origin)),
      u32(m.headers.length),
      u32(m.payload.length),
      Buffer.alloc(8),
      m.payload,
      m.headers,
    ]);
    return Buffer.concat([u64(xxh3.xxh64(rest)), rest]);
  });
  const length = 256 + frames.reduce((sum, f) => sum + f.length, 0);
  const checksumInput = Buffer.concat([
    Buffer.alloc(24),
    u64(origin),
    u64(BigInt(length)),
    u32(messages.length),
    ...frames.map((f) => f.subarray(0, 8)),
  ]);
  const header = Buffer.concat([
    Buffer.alloc(24),
    u64(origin),
    u64(BigInt(length)),
    u64(xxh3.xxh64(checksumInput)),
    u32(messages.length),
    Buffer.alloc(256 - 52),
  ]);
  return Buffer.concat([header, ...frames]);
}

/** A poll reply carrying `batch` as one record, with server-stamped partition, offset and time. */
function pollReplyOf(batch: Buffer, baseOffset = 10n): Buffer {
  const stamped = Buffer.from(batch);
  stamped.writeBigUInt64LE(4n, 0);
  stamped.writeBigUInt64LE(baseOffset, 8);
  stamped.writeBigUInt64LE(999n, 16);
  const count = stamped.readUInt32LE(48);
  return Buffer.concat([u32(4), u64(baseOffset + BigInt(count)), u32(count), stamped]);
}

const messageArb = fc.record({
  id: fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
  text: fc.string({ unit: 'grapheme', maxLength: 40 }),
  binary: fc.boolean(),
  headers: fc.uint8Array({ maxLength: 20 }),
  originDelta: fc.bigInt({ min: 0n, max: 0xffff_ffffn }),
});

describe('send encoder fast path', () => {
  it('writes the same bytes as the naive per-field encoder, for strings, bytes and user headers', () => {
    fc.assert(
      fc.property(
        fc.array(messageArb, { minLength: 1, maxLength: 30 }),
        fc.bigInt({ min: 0n, max: 1n << 60n }),
        (raw, base) => {
          const input: OutgoingMessage[] = raw.map((m) => ({
            id: m.id,
            payload: m.binary ? Buffer.from(m.text, 'utf8') : m.text,
            userHeaders: m.headers.length > 0 ? m.headers : undefined,
            originTimestampMicros: base + m.originDelta,
          }));
          const expected = naiveBatch(
            raw.map((m) => ({
              id: m.id,
              payload: Buffer.from(m.text, 'utf8'),
              headers: Buffer.from(m.headers),
              origin: base + m.originDelta,
            })),
          );
          expect(encodeMessageBatch(input).equals(expected)).toBe(true);
          const body = encodeSendMessagesBody({ streamId: 1, topicId: 2, messages: input });
          expect(body.subarray(body.length - expected.length).equals(expected)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('returns a fresh buffer each call: a second send cannot change bytes a socket may still hold', () => {
    const first = encodeSendMessagesBody({ streamId: 1, topicId: 1, messages: [{ payload: 'first' }] });
    const snapshot = Buffer.from(first);
    const second = encodeSendMessagesBody({
      streamId: 1,
      topicId: 1,
      messages: Array.from({ length: 50 }, () => ({ payload: 'second, and larger' })),
    });
    expect(second.buffer === first.buffer && second.byteOffset < first.byteOffset + first.length).toBe(false);
    expect(first.equals(snapshot)).toBe(true);
  });

  it('zeroes every reserved byte even when the allocation pool holds garbage', () => {
    for (let round = 0; round < 20; round++) {
      Buffer.allocUnsafe(1024).fill(0xff);
      const batch = encodeMessageBatch(
        [
          { payload: 'a', id: 1n },
          { payload: 'bc', id: 2n },
        ],
        7n,
      );
      expect(batch.subarray(0, 24).every((b) => b === 0)).toBe(true);
      expect(batch.subarray(52, 256).every((b) => b === 0)).toBe(true);
      expect(batch.subarray(256 + 40, 256 + 48).every((b) => b === 0)).toBe(true);
      expect(batch.subarray(256 + 49 + 40, 256 + 49 + 48).every((b) => b === 0)).toBe(true);
    }
  });

  it('gives every message a distinct non-zero random id, across batches larger and smaller than the cached scratch', () => {
    const seen = new Set<bigint>();
    for (const size of [12_000, 3, 12_000]) {
      const messages = Array.from({ length: size }, () => ({ payload: 'x' }));
      const polled = decodePollReply(pollReplyOf(encodeMessageBatch(messages)));
      for (const m of polled.messages) {
        expect(m.id).not.toBe(0n);
        seen.add(m.id);
      }
    }
    expect(seen.size).toBe(24_003);
  });

  it('uses the smallest origin as the batch origin and the clock for messages without one', () => {
    const batch = encodeMessageBatch(
      [
        { payload: 'a' },
        { payload: 'b', originTimestampMicros: 40n },
        { payload: 'c', originTimestampMicros: 90n },
      ],
      100n,
    );
    const polled = decodePollReply(pollReplyOf(batch));
    expect(polled.messages.map((m) => m.originTimestampMicros)).toEqual([100n, 40n, 90n]);
    expect(batch.readBigUInt64LE(24)).toBe(40n);
  });
});

describe('poll decoder fast path', () => {
  const batch = encodeMessageBatch(
    [
      { id: (1n << 127n) | 5n, payload: 'héllo', originTimestampMicros: 1_000n },
      {
        id: 6n,
        payload: Buffer.from([0, 1, 2]),
        userHeaders: Buffer.from('hdr'),
        originTimestampMicros: 1_250n,
      },
    ],
    0n,
  );

  it('round-trips ids, offsets, times, payloads and headers', () => {
    const polled = decodePollReply(pollReplyOf(batch, 10n));
    expect(polled).toMatchObject({ partitionId: 4, currentOffset: 12n });
    expect(
      polled.messages.map((m) => [m.offset, m.id, m.partitionId, m.timestampMicros, m.originTimestampMicros]),
    ).toEqual([
      [10n, (1n << 127n) | 5n, 4, 999n, 1_000n],
      [11n, 6n, 4, 999n, 1_250n],
    ]);
    expect(polled.messages[0]!.payload.toString()).toBe('héllo');
    expect(polled.messages[0]!.userHeaders.length).toBe(0);
    expect([...polled.messages[1]!.payload]).toEqual([0, 1, 2]);
    expect(polled.messages[1]!.userHeaders.toString()).toBe('hdr');
    expect(polled.messages[1]!.checksum).toBe(batch.readBigUInt64LE(256 + 48 + 6));
  });

  it('hands out payloads as views into the reply, not copies', () => {
    const reply = pollReplyOf(batch);
    const [first] = decodePollReply(reply).messages;
    expect(first!.payload.buffer).toBe(reply.buffer);
    reply[16 + 256 + 48] = 0x48; // 'h' -> 'H' in the reply shows through the view
    expect(first!.payload.toString()).toBe('Héllo');
  });

  it('verifies checksums by default and skips them when told to', () => {
    const reply = pollReplyOf(batch);
    reply.writeUInt8(reply.readUInt8(reply.length - 1) ^ 0xff, reply.length - 1); // last user-header byte of message 11
    expect(() => decodePollReply(reply)).toThrow(/offset 11 has a bad checksum/);
    expect(decodePollReply(reply, { verifyChecksums: false }).messages).toHaveLength(2);
  });

  it('rejects frames that run past their record or leave bytes in it, with a protocol error', () => {
    const protocol = (reply: Buffer) => {
      try {
        decodePollReply(reply, { verifyChecksums: false });
      } catch (e) {
        expect(e).toBeInstanceOf(IggyError);
        expect((e as IggyError).kind).toBe('protocol');
        return;
      }
      throw new Error('expected a protocol IggyError');
    };
    const longPayload = pollReplyOf(batch);
    longPayload.writeUInt32LE(1_000, 16 + 256 + 36);
    protocol(longPayload);
    const extraCount = pollReplyOf(batch);
    extraCount.writeUInt32LE(3, 16 + 48);
    protocol(extraCount);
    const fewerCount = pollReplyOf(batch);
    fewerCount.writeUInt32LE(1, 16 + 48);
    protocol(fewerCount);
    protocol(pollReplyOf(batch).subarray(0, 16 + 100));
    protocol(Buffer.alloc(15));
  });
});

describe('request frame written around a send body', () => {
  const frameOf = (body: Uint8Array) =>
    encodeRequestFrame({ clientId: 9n, operation: 160, request: 3n, session: 4n, body });

  it('gives the same bytes as a frame copied from the body, and copies on a second use', () => {
    Buffer.allocUnsafe(2048).fill(0xee); // garbage in the pool where the headroom may land
    const body = encodeSendMessagesBody(
      { streamId: 1, topicId: 1, messages: [{ payload: 'x', id: 1n }] },
      5n,
    );
    const copy = Buffer.from(body);
    const inPlace = frameOf(body);
    expect(inPlace.buffer).toBe(body.buffer);
    expect(inPlace.equals(frameOf(copy))).toBe(true);
    const again = frameOf(body);
    expect(again.buffer).not.toBe(body.buffer);
    expect(again.equals(inPlace)).toBe(true);
    expect(body.equals(copy)).toBe(true);
  });
});
