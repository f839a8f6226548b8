import { describe, expect, it } from 'vitest';
import { decodeClientDetails, decodeClients, decodeStats } from '@/lib/iggy/wire/commands/system';
import {
  decodeConsumerGroupAssignment,
  decodeConsumerGroupDetails,
  decodeConsumerGroups,
} from '@/lib/iggy/wire/commands/groups';
import { decodeConsumerOffset } from '@/lib/iggy/wire/commands/offsets';
import { decodeLoginReply } from '@/lib/iggy/wire/commands/login';
import { decodeStream, decodeStreamDetails, decodeStreams } from '@/lib/iggy/wire/commands/streams';
import { decodeTopicDetails, decodeTopics } from '@/lib/iggy/wire/commands/topics';
import { decodeSendReply, decodePollReply } from '@/lib/iggy/wire/messages';
import { isResultFramed, replyOutcome, replyPayload } from '@/lib/iggy/wire/reply-body';
import { decodeIncomingFrame, summarizeFrame, encodeRequestFrame } from '@/lib/iggy/wire/header';
import { IggyError } from '@/lib/iggy/errors';
import { bytes, evictionFrame, replyFrame } from './builder';

const U64_MAX = 0xffff_ffff_ffff_ffffn;

function protocolFailure(fn: () => unknown): IggyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(IggyError);
    expect((e as IggyError).kind).toBe('protocol');
    return e as IggyError;
  }
  throw new Error('expected a protocol IggyError');
}

const streamBytes = (id: number, name: string, topicsCount = 0) =>
  bytes().u32(id).u64(1_700_000_000_000_000n).u32(topicsCount).u64(4096n).u64(12n).name(name).u32(0);

const topicBytes = (id: number, name: string, partitions: number) =>
  bytes()
    .u32(id)
    .u64(5n)
    .u32(partitions)
    .u64(U64_MAX)
    .u8(1)
    .u64(U64_MAX)
    .u64(100n)
    .u64(3n)
    .name(name)
    .u32(0)
    .u32(0);

/** A topic header whose two option blocks are the given hand-written bytes. */
const topicWithOptions = (explicit: string, derived: string) =>
  bytes()
    .u32(7)
    .u64(5n)
    .u32(0)
    .u64(U64_MAX)
    .u8(1)
    .u64(U64_MAX)
    .u64(0n)
    .u64(0n)
    .name('opts')
    .u32(explicit.length / 2)
    .raw(Buffer.from(explicit, 'hex'))
    .u32(derived.length / 2)
    .raw(Buffer.from(derived, 'hex'))
    .build();

/** `[02][u32 len][key]`: option keys are String TLV fields (§4.6). */
const keyField = (key: string) =>
  '02' + Buffer.from([key.length, 0, 0, 0]).toString('hex') + Buffer.from(key).toString('hex');

const partitionBytes = (id: number) => bytes().u32(id).u64(6n).u32(1).u64(9n).u64(512n).u64(10n);

describe('reply result framing (docs/architecture.md#replies-and-evictions)', () => {
  it('frames metadata, internal 64..68, offset ops and non-empty register replies only', () => {
    for (const op of [64, 65, 68, 128, 130, 132, 137, 139, 148, 149, 161, 162])
      expect(isResultFramed(op, 0)).toBe(true);
    for (const op of [2, 3, 138, 160, 63, 69, 127, 150]) expect(isResultFramed(op, 8)).toBe(false);
    expect(isResultFramed(1, 0)).toBe(false);
    expect(isResultFramed(1, 4)).toBe(true);
  });

  it('create topic reply arrives with op 64 and create partitions with op 65: both framed', () => {
    const body = bytes().u32(0).raw(Buffer.from('payload')).build();
    expect(replyPayload({ operation: 64, status: 0, body }).toString()).toBe('payload');
    expect(replyPayload({ operation: 65, status: 0, body: bytes().u32(0).build() }).length).toBe(0);
  });

  it('count > 0 is a failure whose code is the u32 at body offset 8', () => {
    const body = bytes().u32(1).u32(0).u32(1012).build();
    expect(replyOutcome({ operation: 128, status: 0, body })).toEqual({ ok: false, code: 1012 });
    try {
      replyPayload({ operation: 128, status: 0, body }, 'create stream');
    } catch (e) {
      expect((e as IggyError).code).toBe(1012);
      expect((e as IggyError).codeName).toBe('StreamNameAlreadyExists');
      expect((e as IggyError).kind).toBe('server');
      expect((e as IggyError).message).toContain('create stream');
    }
  });

  it('a non-zero status wins and the body is ignored', () => {
    expect(replyOutcome({ operation: 2, status: 1009, body: Buffer.from('junk') })).toEqual({
      ok: false,
      code: 1009,
    });
  });

  it('a truncated result section is a protocol error, never success', () => {
    protocolFailure(() => replyOutcome({ operation: 130, status: 0, body: Buffer.from([0, 0]) }));
    protocolFailure(() => replyOutcome({ operation: 130, status: 0, body: bytes().u32(2).u32(0).build() }));
    protocolFailure(() => replyOutcome({ operation: 161, status: 0, body: Buffer.alloc(0) }));
  });

  it('unframed replies pass the whole body through', () => {
    const body = Buffer.from([1, 2, 3]);
    expect(replyPayload({ operation: 2, status: 0, body })).toBe(body);
  });
});

describe('frame headers', () => {
  it('decodes replies and evictions', () => {
    const reply = decodeIncomingFrame(
      replyFrame({ operation: 3, status: 0, request: 9n, body: Buffer.from('ab') }),
    );
    expect(reply).toMatchObject({ type: 'reply', operation: 3, status: 0, request: 9n, size: 258 });
    const eviction = decodeIncomingFrame(evictionFrame(14, 0x3000, 0x3000));
    expect(eviction).toMatchObject({
      type: 'eviction',
      reason: 14,
      serverProtocolVersion: 0x3000,
      serverProtocolVersionMin: 0x3000,
    });
  });

  it('rejects unknown command bytes and inconsistent sizes', () => {
    const frame = replyFrame({ operation: 2 });
    frame[60] = 5;
    protocolFailure(() => decodeIncomingFrame(frame));
    protocolFailure(() => decodeIncomingFrame(Buffer.alloc(10)));
    const wrongSize = replyFrame({ operation: 2 });
    wrongSize.writeUInt32LE(300, 48);
    protocolFailure(() => decodeIncomingFrame(wrongSize));
  });

  it('summarizes frames in both directions for observers', () => {
    const request = encodeRequestFrame({
      clientId: 1n,
      operation: 2,
      commandCode: 10,
      request: 4n,
      session: 7n,
    });
    expect(summarizeFrame(request)).toMatchObject({
      command: 5,
      operation: 2,
      commandCode: 10,
      request: 4n,
      session: 7n,
      size: 256,
      bodyLength: 0,
    });
    const metadata = encodeRequestFrame({
      clientId: 1n,
      operation: 128,
      request: 4n,
      session: 7n,
      body: Buffer.from([1]),
    });
    expect(summarizeFrame(metadata).commandCode).toBeUndefined();
    expect(summarizeFrame(replyFrame({ operation: 128, status: 1012, request: 4n }))).toMatchObject({
      command: 8,
      operation: 128,
      status: 1012,
      request: 4n,
    });
    expect(summarizeFrame(evictionFrame(9))).toMatchObject({ command: 13, operation: 0, evictionReason: 9 });
    expect(summarizeFrame(Buffer.alloc(100))).toMatchObject({ command: 0, size: 100 });
  });
});

describe('login reply', () => {
  it('reads user id, session, protocol and server version', () => {
    const payload = bytes().u32(0).u64(3n).u32(0x2c00).name('0.9.0').build();
    expect(decodeLoginReply(payload)).toEqual({
      userId: 0,
      session: 3n,
      serverProtocolVersion: 0x2c00,
      serverVersion: '0.9.0',
    });
    protocolFailure(() => decodeLoginReply(bytes().u32(0).u64(0n).u32(0x2c00).name('0.9.0').build()));
    protocolFailure(() => decodeLoginReply(payload.subarray(0, 10)));
  });
});

describe('streams and topics', () => {
  it('decodes a stream, streams and stream details with topics', () => {
    const one = streamBytes(0, 'orders').build();
    expect(decodeStream(one)).toEqual({
      id: 0,
      name: 'orders',
      createdAtMicros: 1_700_000_000_000_000n,
      topicsCount: 0,
      sizeBytes: 4096n,
      messagesCount: 12n,
      topics: [],
    });
    const list = Buffer.concat([one, streamBytes(1, 'b').build()]);
    expect(decodeStreams(list).map((s) => s.name)).toEqual(['orders', 'b']);
    expect(decodeStreams(Buffer.alloc(0))).toEqual([]);
    const details = Buffer.concat([
      streamBytes(2, 's', 2).build(),
      topicBytes(0, 't0', 1).build(),
      topicBytes(1, 't1', 3).build(),
    ]);
    const decoded = decodeStreamDetails(details)!;
    expect(decoded.topics.map((t) => [t.id, t.name, t.partitionsCount])).toEqual([
      [0, 't0', 1],
      [1, 't1', 3],
    ]);
    expect(decodeStreamDetails(Buffer.alloc(0))).toBeNull();
    protocolFailure(() => decodeStreamDetails(streamBytes(2, 's', 1).build()));
    protocolFailure(() => decodeStream(Buffer.concat([one, Buffer.from([0])])));
  });

  it('decodes topic details with partitions, walking both option blocks', () => {
    const payload = Buffer.concat([
      topicBytes(4, 'events', 2).build(),
      partitionBytes(0).build(),
      partitionBytes(1).build(),
    ]);
    const topic = decodeTopicDetails(payload)!;
    expect(topic).toMatchObject({
      id: 4,
      name: 'events',
      createdAtMicros: 5n,
      partitionsCount: 2,
      messageExpiryMicros: U64_MAX,
      compressionAlgorithm: 1,
      maxTopicSizeBytes: U64_MAX,
      sizeBytes: 100n,
      messagesCount: 3n,
    });
    expect(topic.partitions).toEqual([
      {
        id: 0,
        createdAtMicros: 6n,
        segmentsCount: 1,
        currentOffset: 9n,
        sizeBytes: 512n,
        messagesCount: 10n,
      },
      {
        id: 1,
        createdAtMicros: 6n,
        segmentsCount: 1,
        currentOffset: 9n,
        sizeBytes: 512n,
        messagesCount: 10n,
      },
    ]);
    expect(decodeTopicDetails(Buffer.alloc(0))).toBeNull();
    protocolFailure(() => decodeTopicDetails(topicBytes(4, 'events', 2).build()));
  });

  it('decodes both option blocks by kind, explicit first, then the derived defaults', () => {
    // explicit: messages_required_to_save = Uint32 10, durability = String "persisted"
    const explicit =
      keyField('messages_required_to_save') +
      '0b' +
      '04000000' +
      '0a000000' +
      keyField('durability') +
      '02' +
      '09000000' +
      Buffer.from('persisted').toString('hex');
    // derived: segment_size = Uint64 1 GiB, preallocate_segments = Bool false, compression = Uint8 1
    const derived =
      keyField('segment_size') +
      '0c' +
      '08000000' +
      '0000004000000000' +
      keyField('preallocate_segments') +
      '03' +
      '01000000' +
      '00' +
      keyField('compression_algorithm') +
      '09' +
      '01000000' +
      '01';
    const topic = decodeTopicDetails(topicWithOptions(explicit, derived))!;
    expect(topic.options).toEqual([
      { key: 'messages_required_to_save', kind: 'uint32', value: 10, explicit: true },
      { key: 'durability', kind: 'string', value: 'persisted', explicit: true },
      { key: 'segment_size', kind: 'uint64', value: 1_073_741_824n, explicit: false },
      { key: 'preallocate_segments', kind: 'bool', value: false, explicit: false },
      { key: 'compression_algorithm', kind: 'uint8', value: 1, explicit: false },
    ]);
    expect(decodeTopicDetails(topicWithOptions('', ''))!.options).toEqual([]);
    // Get topics and get stream read the same header.
    const listed = decodeTopics(Buffer.concat([bytes().u32(1).build(), topicWithOptions(explicit, '')]));
    expect(listed[0]!.options.map((o) => [o.key, o.value])).toEqual([
      ['messages_required_to_save', 10],
      ['durability', 'persisted'],
    ]);
  });

  it('keeps the explicit value when a key is also in the derived block, and reads an empty value as null', () => {
    const explicit = keyField('durability') + '02' + '09000000' + Buffer.from('persisted').toString('hex');
    const derived =
      keyField('durability') +
      '02' +
      '0a000000' +
      Buffer.from('replicated').toString('hex') +
      keyField('blob') +
      '01' +
      '00000000';
    expect(decodeTopicDetails(topicWithOptions(explicit, derived))!.options).toEqual([
      { key: 'durability', kind: 'string', value: 'persisted', explicit: true },
      { key: 'blob', kind: 'raw', value: null, explicit: false },
    ]);
  });

  it('refuses malformed option blocks with a protocol error', () => {
    const good = keyField('k') + '09' + '01000000' + '01';
    const cases: [string, string][] = [
      ['key not a string field', '09' + '01000000' + '6b' + '09' + '01000000' + '01'],
      ['empty key', '02' + '00000000' + '09' + '01000000' + '01'],
      ['key without a value', keyField('k')],
      ['value kind 0', keyField('k') + '00' + '01000000' + '01'],
      ['value kind 16', keyField('k') + '10' + '01000000' + '01'],
      ['uint64 of 4 bytes', keyField('k') + '0c' + '04000000' + '01000000'],
      ['bool of 2', keyField('k') + '03' + '01000000' + '02'],
      ['length past the block', keyField('k') + '02' + 'ff000000' + '41'],
      ['truncated length', keyField('k') + '02' + '0100'],
      ['repeated key', good + good],
    ];
    for (const [what, block] of cases) {
      const explicitError = protocolFailure(() => decodeTopicDetails(topicWithOptions(block, '')));
      expect(explicitError.message, what).toContain('explicit options');
      const derivedError = protocolFailure(() => decodeTopicDetails(topicWithOptions('', block)));
      expect(derivedError.message, what).toContain('derived options');
    }
    // A block length beyond the payload is a truncation, not a read past the end.
    const header = topicWithOptions(good, '');
    header.writeUInt32LE(0xffff, header.length - 4 - good.length / 2 - 4);
    protocolFailure(() => decodeTopicDetails(header));
  });

  it('decodes get topics as a counted list', () => {
    const payload = Buffer.concat([
      bytes().u32(2).build(),
      topicBytes(0, 'a', 1).build(),
      topicBytes(1, 'b', 1).build(),
    ]);
    expect(decodeTopics(payload).map((t) => t.name)).toEqual(['a', 'b']);
    expect(decodeTopics(bytes().u32(0).build())).toEqual([]);
    expect(decodeTopics(Buffer.alloc(0))).toEqual([]);
    protocolFailure(() => decodeTopics(bytes().u32(3).build()));
  });
});

describe('consumer groups, offsets, sync', () => {
  it('decodes group details with members and group lists', () => {
    const payload = bytes()
      .u32(0)
      .u32(3)
      .u32(2)
      .name('g')
      .u32(11)
      .u32(2)
      .u32(0)
      .u32(1)
      .u32(12)
      .u32(1)
      .u32(2)
      .build();
    expect(decodeConsumerGroupDetails(payload)).toEqual({
      id: 0,
      name: 'g',
      partitionsCount: 3,
      membersCount: 2,
      members: [
        { id: 11, partitions: [0, 1] },
        { id: 12, partitions: [2] },
      ],
    });
    expect(decodeConsumerGroupDetails(Buffer.alloc(0))).toBeNull();
    protocolFailure(() =>
      decodeConsumerGroupDetails(bytes().u32(0).u32(3).u32(1).name('g').u32(11).u32(1000).build()),
    );
    const list = bytes().u32(0).u32(1).u32(0).name('a').u32(1).u32(1).u32(1).name('b').build();
    expect(decodeConsumerGroups(list).map((g) => [g.id, g.name, g.membersCount])).toEqual([
      [0, 'a', 0],
      [1, 'b', 1],
    ]);
  });

  it('decodes offsets and assignments, empty = null', () => {
    expect(decodeConsumerOffset(bytes().u32(1).u64(10n).u64(4n).build())).toEqual({
      partitionId: 1,
      currentOffset: 10n,
      storedOffset: 4n,
    });
    expect(decodeConsumerOffset(Buffer.alloc(0))).toBeNull();
    protocolFailure(() => decodeConsumerOffset(bytes().u32(1).build()));
    expect(decodeConsumerGroupAssignment(bytes().u64(2n).u32(2).u32(0).u32(3).build())).toEqual({
      generation: 2n,
      partitions: [0, 3],
    });
    expect(decodeConsumerGroupAssignment(Buffer.alloc(0))).toBeNull();
    protocolFailure(() => decodeConsumerGroupAssignment(bytes().u64(2n).u32(5).u32(0).build()));
  });
});

describe('clients and stats', () => {
  it('decodes get me with its groups and get clients', () => {
    const me = bytes().u32(5).u32(0).u8(1).str32('127.0.0.1:5000').u32(1).u32(1).u32(2).u32(3).build();
    expect(decodeClientDetails(me)).toEqual({
      clientId: 5,
      userId: 0,
      transport: 'tcp',
      address: '127.0.0.1:5000',
      consumerGroupsCount: 1,
      consumerGroups: [{ streamId: 1, topicId: 2, groupId: 3 }],
    });
    protocolFailure(() => decodeClientDetails(bytes().u32(5).u32(0).u8(1).str32('a').u32(2).build()));
    const clients = Buffer.concat([
      bytes().u32(1).u32(0xffffffff).u8(2).str32('a').u32(0).build(),
      bytes().u32(2).u32(0).u8(4).str32('b').u32(0).build(),
      bytes().u32(3).u32(0).u8(9).str32('c').u32(0).build(),
    ]);
    expect(decodeClients(clients).map((c) => [c.clientId, c.userId, c.transport])).toEqual([
      [1, null, 'quic'],
      [2, 0, 'websocket'],
      [3, 0, 'unknown'],
    ]);
  });

  const statsHead = () =>
    bytes()
      .u32(77)
      .f32(1.5)
      .f32(2.5)
      .u64(1n)
      .u64(2n)
      .u64(3n)
      .u64(4n)
      .u64(5n)
      .u64(6n)
      .u64(7n)
      .u64(8n)
      .u32(9)
      .u32(10)
      .u32(11)
      .u32(12)
      .u64(13n)
      .u32(14)
      .u32(15)
      .str32('host')
      .str32('Linux')
      .str32('6')
      .str32('6.1')
      .str32('0.9.0');

  it('decodes the full stats layout, fixed part 108 bytes', () => {
    const head = statsHead().build();
    expect(head.readUInt32LE(108)).toBe(4); // hostname length sits at 108 (docs/architecture.md#where-descriptions-of-the-protocol-disagree)
    const full = statsHead()
      .u32(9000)
      .u32(1)
      .u32(1)
      .u32(2)
      .u32(3)
      .u64(4n)
      .u64(5n)
      .f32(0.5)
      .u32(8)
      .u64(100n)
      .u64(200n)
      .build();
    expect(decodeStats(full)).toEqual({
      processId: 77,
      cpuUsage: 1.5,
      totalCpuUsage: 2.5,
      memoryUsageBytes: 1n,
      totalMemoryBytes: 2n,
      availableMemoryBytes: 3n,
      runTimeMicros: 4n,
      startTimeMicros: 5n,
      readBytes: 6n,
      writtenBytes: 7n,
      messagesSizeBytes: 8n,
      streamsCount: 9,
      topicsCount: 10,
      partitionsCount: 11,
      segmentsCount: 12,
      messagesCount: 13n,
      clientsCount: 14,
      consumerGroupsCount: 15,
      hostname: 'host',
      osName: 'Linux',
      osVersion: '6',
      kernelVersion: '6.1',
      serverVersion: '0.9.0',
      serverSemver: 9000,
      cacheMetrics: [{ streamId: 1, topicId: 2, partitionId: 3, hits: 4n, misses: 5n, hitRatio: 0.5 }],
      threadsCount: 8,
      freeDiskSpaceBytes: 100n,
      totalDiskSpaceBytes: 200n,
    });
  });

  it('tolerates a stats tail that ends early but not a truncated fixed part', () => {
    expect(decodeStats(statsHead().build()).serverSemver).toBe(0);
    expect(decodeStats(statsHead().u32(9000).u32(0).u32(4).build()).threadsCount).toBe(4);
    protocolFailure(() => decodeStats(statsHead().build().subarray(0, 100)));
    protocolFailure(() => decodeStats(statsHead().u32(9000).u32(50).build()));
  });
});

describe('send confirmation and poll reply edge cases', () => {
  it('decodes count 1 and count 0 confirmations', () => {
    expect(decodeSendReply(bytes().u32(1).u32(1).u32(2).u32(3).u64(40n).build())).toEqual({
      streamId: 1,
      topicId: 2,
      partitionId: 3,
      baseOffset: 40n,
    });
    expect(decodeSendReply(bytes().u32(0).build())).toEqual({});
    protocolFailure(() => decodeSendReply(bytes().u32(1).u32(1).build()));
    protocolFailure(() => decodeSendReply(bytes().u32(0).u8(0).build()));
    protocolFailure(() => decodeSendReply(bytes().u8(1).build()));
  });

  it('takes an empty send reply as success without confirmations (released 0.9.0 deduplication)', () => {
    const result = decodeSendReply(Buffer.alloc(0));
    expect(result).toEqual({ deduplicated: true });
    expect(result.baseOffset).toBeUndefined();
  });

  it('decodes an empty poll (re-sync shape) and rejects inconsistent counts', () => {
    expect(decodePollReply(bytes().u32(0xffffffff).u64(0n).u32(0).build())).toEqual({
      partitionId: 0xffffffff,
      currentOffset: 0n,
      messages: [],
    });
    protocolFailure(() => decodePollReply(bytes().u32(0).u64(0n).u32(1).build()));
    protocolFailure(() => decodePollReply(bytes().u32(0).u64(0n).build()));
    // a record whose batch_length runs past the reply
    const record = Buffer.alloc(256);
    record.writeBigUInt64LE(10_000n, 32);
    protocolFailure(() => decodePollReply(Buffer.concat([bytes().u32(0).u64(0n).u32(0).build(), record])));
  });
});
