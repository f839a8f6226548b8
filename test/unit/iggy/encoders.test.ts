import { randomU128 } from '@/lib/iggy/random';
import { describe, expect, it } from 'vitest';
import { BinaryReader, BinaryWriter } from '@/lib/iggy/wire/binary';
import {
  Consumer,
  Partitioning,
  PollingStrategy,
  writeConsumer,
  writeIdentifier,
  writeOptionalPartition,
  writePartitioning,
  writePollingStrategy,
} from '@/lib/iggy/wire/primitives';
import { encodeIdentifiers } from '@/lib/iggy/wire/primitives';
import { encodeLoginBody } from '@/lib/iggy/wire/commands/login';
import { encodeCreateStreamBody } from '@/lib/iggy/wire/commands/streams';
import { encodeCreateTopicBody, encodePartitionsBody } from '@/lib/iggy/wire/commands/topics';
import { encodeCreateConsumerGroupBody } from '@/lib/iggy/wire/commands/groups';
import {
  encodeDeleteConsumerOffsetBody,
  encodeGetConsumerOffsetBody,
  encodeStoreConsumerOffsetBody,
} from '@/lib/iggy/wire/commands/offsets';
import { encodeMessageBatch, encodePollMessagesBody, encodeSendMessagesBody } from '@/lib/iggy/wire/messages';
import { encodeRequestFrame } from '@/lib/iggy/wire/header';
import { IggyError } from '@/lib/iggy/errors';
import { hex } from './hex';

function encode(fn: (w: BinaryWriter) => void): string {
  const w = new BinaryWriter(4);
  fn(w);
  return w.toBuffer().toString('hex');
}

const invalid = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(IggyError);
    expect((e as IggyError).kind).toBe('invalid-argument');
    return;
  }
  throw new Error('expected an invalid-argument IggyError');
};

describe('Identifier (docs/architecture.md#shared-encodings)', () => {
  it('encodes numeric ids as 01 04 u32 and names as 02 len bytes', () => {
    expect(encode((w) => writeIdentifier(w, 0))).toBe('010400000000');
    expect(encode((w) => writeIdentifier(w, 0x01020304))).toBe('010404030201');
    expect(encode((w) => writeIdentifier(w, 'demo-stream'))).toBe('020b64656d6f2d73747265616d');
    expect(encode((w) => writeIdentifier(w, 'é'))).toBe('0202c3a9');
  });

  it('rejects empty, over-long, negative, fractional and non-primitive ids', () => {
    invalid(() => encode((w) => writeIdentifier(w, '')));
    invalid(() => encode((w) => writeIdentifier(w, 'x'.repeat(256))));
    invalid(() => encode((w) => writeIdentifier(w, -1)));
    invalid(() => encode((w) => writeIdentifier(w, 1.5)));
    invalid(() => encode((w) => writeIdentifier(w, 2 ** 32)));
    invalid(() => encode((w) => writeIdentifier(w, {} as unknown as string)));
    expect(encode((w) => writeIdentifier(w, 'x'.repeat(255)))).toHaveLength(2 * 257);
  });
});

describe('Consumer, OptPart, Partitioning, PollingStrategy', () => {
  it('encodes consumers with kind 1 (single) and 2 (group)', () => {
    expect(encode((w) => writeConsumer(w, Consumer.single(7)))).toBe('01010407000000');
    expect(encode((w) => writeConsumer(w, Consumer.group('g')))).toBe('02020167');
    invalid(() => encode((w) => writeConsumer(w, { kind: 'nope' } as unknown as Consumer)));
  });

  it('encodes an unset partition as five zero bytes', () => {
    expect(encode((w) => writeOptionalPartition(w, undefined))).toBe('0000000000');
    expect(encode((w) => writeOptionalPartition(w, 3))).toBe('0103000000');
  });

  it('encodes the three partitioning kinds', () => {
    expect(encode((w) => writePartitioning(w, Partitioning.balanced()))).toBe('0100');
    expect(encode((w) => writePartitioning(w, Partitioning.partitionId(2)))).toBe('020402000000');
    expect(encode((w) => writePartitioning(w, Partitioning.messagesKey('k1')))).toBe('03026b31');
    expect(encode((w) => writePartitioning(w, Partitioning.messagesKey(new Uint8Array([9]))))).toBe('030109');
    invalid(() => encode((w) => writePartitioning(w, Partitioning.messagesKey(''))));
    invalid(() => encode((w) => writePartitioning(w, { kind: 'x' } as unknown as Partitioning)));
  });

  it('encodes polling strategies as kind u8 + value u64', () => {
    expect(encode((w) => writePollingStrategy(w, PollingStrategy.offset(5n)))).toBe('010500000000000000');
    expect(encode((w) => writePollingStrategy(w, PollingStrategy.timestamp(1n)))).toBe('020100000000000000');
    expect(encode((w) => writePollingStrategy(w, PollingStrategy.first()))).toBe('030000000000000000');
    expect(encode((w) => writePollingStrategy(w, PollingStrategy.last()))).toBe('040000000000000000');
    expect(encode((w) => writePollingStrategy(w, PollingStrategy.next()))).toBe('050000000000000000');
    invalid(() => encode((w) => writePollingStrategy(w, { kind: 'sideways' } as unknown as PollingStrategy)));
    invalid(() => encode((w) => writePollingStrategy(w, PollingStrategy.offset(-1n))));
  });
});

describe('request bodies', () => {
  it('create stream sends the name and an empty options block', () => {
    expect(encodeCreateStreamBody('s1').toString('hex')).toBe('027331');
  });

  it('create topic sends an empty options block unless an option is given', () => {
    expect(encodeCreateTopicBody({ streamId: 1, name: 't', partitionsCount: 3 }).toString('hex')).toBe(
      '010401000000' + '03000000' + '0174',
    );
    const withExpiry = encodeCreateTopicBody({
      streamId: 1,
      name: 't',
      partitionsCount: 1,
      messageExpiryMicros: 3_600_000_000n,
    });
    // Reference docs/architecture.md#shared-encodings example: message_expiry = 1 h as Uint64.
    expect(withExpiry.subarray(6 + 4 + 2).toString('hex')).toBe(
      hex('02 0e 00 00 00').toString('hex') +
        Buffer.from('message_expiry').toString('hex') +
        hex('0c 08 00 00 00 00 a4 93 d6 00 00 00 00').toString('hex'),
    );
  });

  it('create topic encodes compression and max size options as string / u64 TLVs', () => {
    const body = encodeCreateTopicBody({
      streamId: 's',
      name: 't',
      partitionsCount: 1,
      compression: 'gzip',
      maxTopicSizeBytes: 0xffff_ffff_ffff_ffffn,
    });
    const r = new BinaryReader(body, 'test', 3 + 4 + 2);
    const field = () => {
      const kind = r.u8();
      const data = r.bytes(r.u32());
      return [kind, data] as const;
    };
    expect(field()).toEqual([2, Buffer.from('compression_algorithm')]);
    expect(field()).toEqual([2, Buffer.from('gzip')]);
    expect(field()).toEqual([2, Buffer.from('max_topic_size')]);
    expect(field()).toEqual([12, Buffer.alloc(8, 0xff)]);
    r.expectEnd();
  });

  it('create topic encodes durability, save thresholds, bools and arbitrary options as their TLV kinds', () => {
    const body = encodeCreateTopicBody({
      streamId: 's',
      name: 't',
      partitionsCount: 1,
      segmentSizeBytes: 1_048_576n,
      durability: 'persisted',
      consumerOffsetDurability: 'replicated',
      messagesRequiredToSave: 1,
      sizeOfMessagesRequiredToSave: 4096n,
      preallocateSegments: true,
      enforceFsync: false,
      options: [
        { key: 'future_u8', value: { kind: 'u8', value: 7 } },
        { key: 'future_raw', value: { kind: 'raw', value: Uint8Array.of(0xca, 0xfe) } },
      ],
    });
    const tlv = (kind: string, data: string) =>
      kind + (data.length / 2).toString(16).padStart(2, '0') + '000000' + data;
    const key = (text: string) => tlv('02', Buffer.from(text).toString('hex'));
    expect(body.subarray(3 + 4 + 2).toString('hex')).toBe(
      key('segment_size') +
        tlv('0c', '0000100000000000') +
        key('durability') +
        key('persisted') +
        key('consumer_offset_durability') +
        key('replicated') +
        key('messages_required_to_save') +
        tlv('0b', '01000000') +
        key('size_of_messages_required_to_save') +
        tlv('0c', '0010000000000000') +
        key('preallocate_segments') +
        tlv('03', '01') +
        key('enforce_fsync') +
        tlv('03', '00') +
        key('future_u8') +
        tlv('09', '07') +
        key('future_raw') +
        tlv('01', 'cafe'),
    );
  });

  it('refuses topic options the server would refuse: repeats, bad values, empty or long fields, too many', () => {
    const topic = { streamId: 1, name: 't', partitionsCount: 1 };
    const opt = (key: string, value: unknown) => ({ key, value }) as { key: string; value: never };
    invalid(() => encodeCreateTopicBody({ ...topic, durability: 'sometimes' as 'persisted' }));
    invalid(() => encodeCreateTopicBody({ ...topic, consumerOffsetDurability: 'x' as 'persisted' }));
    invalid(() => encodeCreateTopicBody({ ...topic, messagesRequiredToSave: -1 }));
    invalid(() => encodeCreateTopicBody({ ...topic, sizeOfMessagesRequiredToSave: 1n << 64n }));
    invalid(() =>
      encodeCreateTopicBody({
        ...topic,
        durability: 'persisted',
        options: [opt('durability', { kind: 'string', value: 'replicated' })],
      }),
    );
    invalid(() => encodeCreateTopicBody({ ...topic, options: [opt('', { kind: 'bool', value: true })] }));
    invalid(() =>
      encodeCreateTopicBody({ ...topic, options: [opt('k'.repeat(256), { kind: 'bool', value: true })] }),
    );
    invalid(() => encodeCreateTopicBody({ ...topic, options: [opt('k', { kind: 'string', value: '' })] }));
    invalid(() => encodeCreateTopicBody({ ...topic, options: [opt('k', { kind: 'bool', value: 1 })] }));
    invalid(() => encodeCreateTopicBody({ ...topic, options: [opt('k', { kind: 'u8', value: 256 })] }));
    invalid(() => encodeCreateTopicBody({ ...topic, options: [opt('k', { kind: 'u64', value: 1 })] }));
    invalid(() => encodeCreateTopicBody({ ...topic, options: [opt('k', { kind: 'raw', value: 'ab' })] }));
    invalid(() => encodeCreateTopicBody({ ...topic, options: [opt('k', { kind: 'string', value: 5 })] }));
    invalid(() => encodeCreateTopicBody({ ...topic, options: [opt('k', { kind: 'f32', value: 1 })] }));
    invalid(() => encodeCreateTopicBody({ ...topic, options: [{ key: 5 } as never] }));
    invalid(() => encodeCreateTopicBody({ ...topic, options: 'durability=persisted' as never }));
    const many = Array.from({ length: 1025 }, (_, i) => opt(`k${i}`, { kind: 'bool', value: true }));
    invalid(() => encodeCreateTopicBody({ ...topic, options: many }));
    const big = Array.from({ length: 400 }, (_, i) =>
      opt(`k${i}`, { kind: 'string', value: 'v'.repeat(255) }),
    );
    invalid(() => encodeCreateTopicBody({ ...topic, options: big }));
  });

  it('validates create topic arguments', () => {
    invalid(() => encodeCreateTopicBody({ streamId: 1, name: 't', partitionsCount: 0 }));
    invalid(() => encodeCreateTopicBody({ streamId: 1, name: 't', partitionsCount: 1001 }));
    invalid(() => encodeCreateTopicBody({ streamId: 1, name: '', partitionsCount: 1 }));
    invalid(() =>
      encodeCreateTopicBody({ streamId: 1, name: 't', partitionsCount: 1, compression: 'zstd' as 'gzip' }),
    );
    invalid(() =>
      encodeCreateTopicBody({ streamId: 1, name: 't', partitionsCount: 1, messageExpiryMicros: -1n }),
    );
  });

  it('encodes identifiers, partitions and consumer-group bodies', () => {
    expect(encodeIdentifiers([1, 'stream'], ['t', 'topic']).toString('hex')).toBe('010401000000' + '020174');
    expect(encodePartitionsBody(1, 2, 3).toString('hex')).toBe('010401000000' + '010402000000' + '03000000');
    invalid(() => encodePartitionsBody(1, 2, 0));
    expect(encodeCreateConsumerGroupBody(1, 2, 'g').toString('hex')).toBe(
      '010401000000' + '010402000000' + '0167',
    );
  });

  it('encodes consumer offset bodies with OptPart and ack level Quorum', () => {
    const target = { consumer: Consumer.single(1), streamId: 2, topicId: 3, partitionId: 0 };
    const head = '01010401000000' + '010402000000' + '010403000000' + '0100000000';
    expect(encodeGetConsumerOffsetBody(target).toString('hex')).toBe(head);
    expect(encodeStoreConsumerOffsetBody({ ...target, offset: 9n }).toString('hex')).toBe(
      head + '0900000000000000' + '01',
    );
    expect(encodeDeleteConsumerOffsetBody(target).toString('hex')).toBe(head + '01');
    invalid(() => encodeStoreConsumerOffsetBody({ ...target, offset: -1n }));
  });

  it('encodes the poll request body', () => {
    const body = encodePollMessagesBody({
      consumer: Consumer.group(0),
      streamId: 's',
      topicId: 't',
      partitionId: 1,
      strategy: PollingStrategy.offset(10n),
      count: 100,
      autoCommit: true,
    });
    expect(body.toString('hex')).toBe(
      '02010400000000' + '020173' + '020174' + '0101000000' + '010a00000000000000' + '64000000' + '01',
    );
    invalid(() =>
      encodePollMessagesBody({
        consumer: Consumer.single(1),
        streamId: 's',
        topicId: 't',
        strategy: PollingStrategy.next(),
        count: -1,
        autoCommit: false,
      }),
    );
  });

  it('login body never echoes the password when rejecting it', () => {
    try {
      encodeLoginBody({
        username: 'iggy',
        password: 'p'.repeat(300) + 'SECRET',
        sdkName: 'a',
        sdkVersion: 'b',
      });
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(IggyError);
      expect((e as Error).message).not.toContain('SECRET');
    }
  });
});

describe('message batches', () => {
  it('rejects empty batches, bad payloads and origins spread over more than u32 µs', () => {
    invalid(() => encodeMessageBatch([]));
    invalid(() => encodeMessageBatch([{ payload: 5 as unknown as string }]));
    invalid(() => encodeMessageBatch([{ payload: 'x', id: -1n }]));
    invalid(() => encodeMessageBatch([{ payload: 'x', userHeaders: 'h' as unknown as Uint8Array }]));
    invalid(() => encodeMessageBatch([{ payload: 'x', originTimestampMicros: -5n }]));
    invalid(() =>
      encodeMessageBatch([
        { payload: 'a', originTimestampMicros: 0n },
        { payload: 'b', originTimestampMicros: 2n ** 32n },
      ]),
    );
  });

  it('defaults to random non-zero ids and the given clock', () => {
    const batch = encodeMessageBatch([{ payload: 'a' }, { payload: 'b' }], 42n);
    expect(batch.readBigUInt64LE(24)).toBe(42n);
    const id1 = batch.readBigUInt64LE(256 + 8) | (batch.readBigUInt64LE(256 + 16) << 64n);
    const id2 = batch.readBigUInt64LE(256 + 49 + 8) | (batch.readBigUInt64LE(256 + 49 + 16) << 64n);
    expect(id1).not.toBe(0n);
    expect(id1).not.toBe(id2);
    expect(randomU128()).toBeGreaterThan(0n);
  });

  it('sends messages-key partitioning in the metadata', () => {
    const body = encodeSendMessagesBody({
      streamId: 1,
      topicId: 1,
      partitioning: Partitioning.messagesKey('k'),
      messages: [{ payload: 'x' }],
    });
    expect(body.readUInt32LE(0)).toBe(6 + 6 + 3 + 4);
    expect(body.subarray(16, 19).toString('hex')).toBe('03016b');
  });
});

describe('request frame header', () => {
  it('rejects a zero client id', () => {
    invalid(() => encodeRequestFrame({ clientId: 0n, operation: 2, request: 0n, session: 0n }));
  });

  it('writes u128 values with the low 8 bytes first', () => {
    const w = new BinaryWriter(1);
    w.u128((1n << 64n) | 2n);
    expect(w.toBuffer().toString('hex')).toBe('0200000000000000' + '0100000000000000');
    invalid(() => new BinaryWriter().u128(-1n));
    invalid(() => new BinaryWriter().u64(1n << 64n));
    invalid(() => new BinaryWriter().u8(256));
    invalid(() => new BinaryWriter().u32(-1));
  });
});
