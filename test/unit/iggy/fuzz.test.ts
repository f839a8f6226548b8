import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrameDecoder } from '@/lib/iggy/frame-decoder';
import { IggyError } from '@/lib/iggy/errors';
import { decodeIncomingFrame } from '@/lib/iggy/wire/header';
import { replyOutcome } from '@/lib/iggy/wire/reply-body';
import { decodePollReply, decodeSendReply, encodeMessageBatch } from '@/lib/iggy/wire/messages';
import * as login from '@/lib/iggy/wire/commands/login';
import * as streams from '@/lib/iggy/wire/commands/streams';
import * as topics from '@/lib/iggy/wire/commands/topics';
import * as groups from '@/lib/iggy/wire/commands/groups';
import * as offsets from '@/lib/iggy/wire/commands/offsets';
import * as system from '@/lib/iggy/wire/commands/system';
import { decodeOptionCatalog } from '@/lib/iggy/wire/commands/options';
import { decodeOptionsBlock } from '@/lib/iggy/wire/primitives';

const responses = { ...login, ...streams, ...topics, ...groups, ...offsets, ...system };

/** Garbage in must mean an IggyError out (or a value): never another exception, never a hang. */
function onlyIggyErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof IggyError)) throw e;
  }
}

const decoders: [string, (b: Buffer) => unknown][] = [
  ['login', responses.decodeLoginReply],
  ['stream', responses.decodeStream],
  ['stream details', responses.decodeStreamDetails],
  ['streams', responses.decodeStreams],
  ['topic details', responses.decodeTopicDetails],
  ['topics', responses.decodeTopics],
  ['group', responses.decodeConsumerGroupDetails],
  ['groups', responses.decodeConsumerGroups],
  ['assignment', responses.decodeConsumerGroupAssignment],
  ['offset', responses.decodeConsumerOffset],
  ['client', responses.decodeClientDetails],
  ['clients', responses.decodeClients],
  ['stats', responses.decodeStats],
  ['send reply', decodeSendReply],
  ['poll reply', (b) => decodePollReply(b)],
  ['option catalog', decodeOptionCatalog],
  ['options block', (b) => decodeOptionsBlock(b, 'options block')],
];

// A valid poll reply to mutate: random mutations of real structure reach deeper code than pure noise.
const validPoll = (() => {
  const batch = encodeMessageBatch(
    [
      { payload: 'abc', id: 1n },
      { payload: 'defgh', id: 2n, userHeaders: Buffer.from([1, 2]) },
    ],
    10n,
  );
  const head = Buffer.alloc(16);
  head.writeUInt32LE(2, 12);
  return Buffer.concat([head, batch]);
})();

// A topic header with both option blocks filled: mutations land in the TLV walk.
const validTopic = (() => {
  const field = (kind: number, data: Buffer) => {
    const head = Buffer.alloc(5);
    head[0] = kind;
    head.writeUInt32LE(data.length, 1);
    return Buffer.concat([head, data]);
  };
  const option = (key: string, kind: number, data: Buffer) =>
    Buffer.concat([field(2, Buffer.from(key)), field(kind, data)]);
  const explicit = Buffer.concat([
    option('messages_required_to_save', 11, Buffer.from([10, 0, 0, 0])),
    option('durability', 2, Buffer.from('persisted')),
  ]);
  const derived = Buffer.concat([
    option('segment_size', 12, Buffer.from([0, 0, 0, 64, 0, 0, 0, 0])),
    option('preallocate_segments', 3, Buffer.from([0])),
  ]);
  const fixed = Buffer.alloc(49);
  const name = Buffer.from([1, 0x74]);
  const len = (b: Buffer) => {
    const out = Buffer.alloc(4);
    out.writeUInt32LE(b.length);
    return out;
  };
  return Buffer.concat([fixed, name, len(explicit), explicit, len(derived), derived]);
})();

const mutated = (seed: Buffer) =>
  fc
    .tuple(
      fc.nat({ max: seed.length }),
      fc.array(fc.tuple(fc.nat({ max: seed.length - 1 }), fc.integer({ min: 0, max: 255 })), {
        maxLength: 6,
      }),
    )
    .map(([cut, edits]) => {
      const copy = Buffer.from(seed);
      for (const [at, value] of edits) copy[at] = value;
      return copy.subarray(0, cut);
    });

const garbage = fc.oneof(
  fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)),
  mutated(validPoll),
  mutated(validTopic),
);

describe('robustness against garbage', () => {
  it('10,000 random, truncated and mutated inputs to every body decoder only ever throw IggyError', () => {
    fc.assert(
      fc.property(garbage, (input) => {
        for (const [, decode] of decoders) onlyIggyErrors(() => decode(input));
        onlyIggyErrors(() => replyOutcome({ operation: input[0] ?? 0, status: 0, body: input }));
      }),
      { numRuns: 10_000 },
    );
  });

  it('10,000 random byte streams into the frame decoder end in frames or an IggyError, never a hang', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }),
        fc.option(fc.integer({ min: 0, max: 0xffffffff })),
        (chunks, forcedSize) => {
          const decoder = new FrameDecoder(2048);
          if (forcedSize !== null && chunks[0] && chunks[0].length >= 52) {
            Buffer.from(chunks[0].buffer, chunks[0].byteOffset).writeUInt32LE(forcedSize, 48);
          }
          onlyIggyErrors(() => {
            for (const c of chunks) {
              for (const frame of decoder.push(c)) onlyIggyErrors(() => decodeIncomingFrame(frame));
            }
          });
        },
      ),
      { numRuns: 10_000 },
    );
  });

  it('the topic seed is a valid header, so its mutations start from real structure', () => {
    expect(responses.decodeTopicDetails(validTopic)!.options).toHaveLength(4);
  });

  it('an oversized declared frame is refused before any body is buffered', () => {
    const header = Buffer.alloc(256);
    header.writeUInt32LE(0xffffffff, 48);
    expect(() => new FrameDecoder().push(header)).toThrow(IggyError);
  });
});
