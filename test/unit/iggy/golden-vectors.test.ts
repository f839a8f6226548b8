import { describe, expect, it } from 'vitest';
import { decodePollReply, encodeMessageBatch, encodeSendMessagesBody } from '@/lib/iggy/wire/messages';
import { xxh3_64 } from '@/lib/iggy/wire/checksum';
import { IggyError } from '@/lib/iggy/errors';
import { hex } from './hex';
import { Commands } from '@/lib/iggy/wire/commands';
import { Consumer, PollingStrategy } from '@/lib/iggy/wire/primitives';

// Vectors from shared/iggy-golden-vectors.md, produced by Iggy's own implementation.
const PRODUCE_BATCH = hex(`
000000000000000000000000000000000000000000000000e803000000000000
8c01000000000000a91f38c86307267c02000000000000000000000000000000
0000000000000000000000000000000000000000000000000000000000000000   ×6
bfd2b9205a759675070000000000000000000000000000000000000000000000
000000000d000000000000000000000066697273742d7061796c6f6164d66b7e
1c758eb7c0080000000000000000000000000000000100000032000000110000
000e00000000000000000000007365636f6e642d7061796c6f6164757365722d
6865616465722d6279746573`);

const POLL_REPLY = hex(`
0300000065000000000000000200000003000000000000006400000000000000
8813000000000000e8030000000000008c01000000000000c96826b38a8feed2
0200000000000000000000000000000000000000000000000000000000000000
0000000000000000000000000000000000000000000000000000000000000000   ×5
00000000000000000000000000000000bfd2b9205a7596750700000000000000
00000000000000000000000000000000000000000d0000000000000000000000
66697273742d7061796c6f6164d66b7e1c758eb7c00800000000000000000000
00000000000100000032000000110000000e0000000000000000000000736563
6f6e642d7061796c6f6164757365722d6865616465722d6279746573`);

const MESSAGES = [
  { id: 7n, originTimestampMicros: 1000n, payload: 'first-payload' },
  {
    id: 8n,
    originTimestampMicros: 1050n,
    payload: Buffer.from('second-payload'),
    userHeaders: Buffer.from('user-header-bytes'),
  },
];

describe('golden vector 1 (docs/architecture.md#worked-examples-and-test-vectors): produce batch', () => {
  it('encodes the two-message batch byte for byte (396 bytes)', () => {
    expect(PRODUCE_BATCH.length).toBe(396);
    const batch = encodeMessageBatch(MESSAGES);
    expect(batch.toString('hex')).toBe(PRODUCE_BATCH.toString('hex'));
  });

  it('has the listed checksums and fields', () => {
    const batch = encodeMessageBatch(MESSAGES);
    expect(batch.readBigUInt64LE(40)).toBe(0x7c260763c8381fa9n);
    expect(batch.readBigUInt64LE(256)).toBe(0x7596755a20b9d2bfn);
    const second = 256 + 48 + 'first-payload'.length;
    expect(batch.readBigUInt64LE(second)).toBe(0xc0b78e751c7e6bd6n);
    expect(batch.readUInt32LE(second + 24)).toBe(1);
    expect(batch.readUInt32LE(second + 28)).toBe(50);
    expect(batch.readUInt32LE(second + 32)).toBe(17);
    expect(batch.readUInt32LE(second + 36)).toBe(14);
  });

  it('uses the smallest origin timestamp as the batch origin regardless of message order', () => {
    const batch = encodeMessageBatch([
      { id: 1n, originTimestampMicros: 2000n, payload: 'a' },
      { id: 2n, originTimestampMicros: 1500n, payload: 'b' },
    ]);
    expect(batch.readBigUInt64LE(24)).toBe(1500n);
    expect(batch.readUInt32LE(256 + 28)).toBe(500);
    expect(batch.readUInt32LE(256 + 49 + 28)).toBe(0);
  });
});

describe('golden vector 2 (docs/architecture.md#worked-examples-and-test-vectors): send metadata prefix', () => {
  it('prefixes the batch with metadata_length 18, numeric ids, balanced, count 2', () => {
    const body = encodeSendMessagesBody({ streamId: 1, topicId: 2, messages: MESSAGES });
    const prefix = hex('12000000 0104 01000000 0104 02000000 0100 02000000');
    expect(body.subarray(0, prefix.length).toString('hex')).toBe(prefix.toString('hex'));
    expect(body.subarray(prefix.length).equals(PRODUCE_BATCH)).toBe(true);
  });
});

describe('golden vector 3 (docs/architecture.md#worked-examples-and-test-vectors): poll reply', () => {
  it('decodes exactly the listed values', () => {
    const polled = decodePollReply(POLL_REPLY);
    expect(polled.partitionId).toBe(3);
    expect(polled.currentOffset).toBe(101n);
    expect(polled.messages).toHaveLength(2);
    const [first, second] = polled.messages;
    expect(first).toMatchObject({
      offset: 100n,
      id: 7n,
      partitionId: 3,
      timestampMicros: 5000n,
      originTimestampMicros: 1000n,
      checksum: 0x7596755a20b9d2bfn,
    });
    expect(first!.payload.toString()).toBe('first-payload');
    expect(first!.userHeaders.length).toBe(0);
    expect(second).toMatchObject({
      offset: 101n,
      id: 8n,
      partitionId: 3,
      timestampMicros: 5000n,
      originTimestampMicros: 1050n,
      checksum: 0xc0b78e751c7e6bd6n,
    });
    expect(second!.payload.toString()).toBe('second-payload');
    expect(second!.userHeaders.toString()).toBe('user-header-bytes');
  });

  it('does not verify the recomputed batch checksum but does verify message checksums', () => {
    expect(POLL_REPLY.readBigUInt64LE(16 + 40)).toBe(0xd2ee8f8ab32668c9n);
    const corrupted = Buffer.from(POLL_REPLY);
    corrupted.writeUInt8(corrupted.readUInt8(corrupted.length - 1) ^ 0xff, corrupted.length - 1); // last user-header byte of message 101
    expect(() => decodePollReply(corrupted)).toThrow(IggyError);
    expect(decodePollReply(corrupted, { verifyChecksums: false }).messages).toHaveLength(2);
    // The client's poll command carries the per-call switch from the request to the decoder.
    const request = {
      streamId: 1,
      topicId: 1,
      partitionId: 0,
      strategy: PollingStrategy.first(),
      count: 2,
      autoCommit: false,
    };
    const consumer = Consumer.single(1);
    expect(() => Commands.messages.poll.decode(corrupted, { ...request, consumer })).toThrow(IggyError);
    expect(
      Commands.messages.poll.decode(corrupted, { ...request, consumer, verifyChecksums: false }).messages,
    ).toHaveLength(2);
  });
});

describe('golden vector 4 (docs/architecture.md#worked-examples-and-test-vectors): XXH3-64 spot checks', () => {
  it.each([
    [
      'efcdab8967452301efcdab896745230100000000000000000000000005000000000000000000000068656c6c6f',
      0xb68fe06c3fe67b37n,
    ],
    ['002c00000b6e6578746a732d64656d6f05302e312e300469676779046967677900000000', 0x2e552c78bbebbafbn],
  ])('XXH3-64(%s)', (input, expected) => {
    expect(xxh3_64(hex(input))).toBe(expected);
  });
});
