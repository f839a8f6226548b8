import { describe, expect, it } from 'vitest';
import { IggyError, IggyErrorCode } from '@/lib/iggy/errors';
import { COMMANDS, Commands, commandName, contextOf } from '@/lib/iggy/wire/commands';
import { command, noBody, read } from '@/lib/iggy/wire/commands/command';
import { decodeStats } from '@/lib/iggy/wire/commands/system';
import { decodeOptionCatalog, encodeDescribeOptionsBody } from '@/lib/iggy/wire/commands/options';
import { Consumer, PollingStrategy } from '@/lib/iggy/wire/primitives';
import { hex } from './hex';

function failure(fn: () => unknown): IggyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(IggyError);
    return e as IggyError;
  }
  throw new Error('expected an IggyError');
}

const protocolFailure = (fn: () => unknown) => expect(failure(fn).kind).toBe('protocol');
const ascii = (text: string) => Buffer.from(text, 'ascii').toString('hex');

describe('the command table', () => {
  it('gives every command a distinct name and a distinct number on its plane', () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const numbers = COMMANDS.map((c) =>
      c.kind.plane === 'read' ? `read ${c.kind.code}` : `op ${c.kind.operation}`,
    );
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(COMMANDS.length).toBeGreaterThanOrEqual(26);
  });

  it('names every descriptor back from its own kind', () => {
    for (const { name, kind } of COMMANDS) {
      expect(kind.plane === 'read' ? commandName(2, kind.code) : commandName(kind.operation)).toBe(name);
    }
  });

  it('names the frames no descriptor sends, and says what it does not know', () => {
    expect(commandName(1)).toBe('Register (login)');
    expect(commandName(3)).toBe('Logout');
    expect(commandName(2, 1)).toBe('Ping');
    expect(commandName(2, 13)).toBe('DescribeOptions');
    expect(commandName(2, 102)).toBe('FlushUnsavedBuffer');
    // reply-only operations of create topic / create partitions, and truncate
    expect([commandName(64), commandName(65), commandName(68)]).toEqual([
      'CreateTopic',
      'CreatePartitions',
      'TruncatePartition',
    ]);
    expect(commandName(141)).toBe('Operation 141');
    expect(commandName(2, 9999)).toBe('Read (code 9999)');
    expect(commandName(2)).toBe('Read (code ?)');
  });

  it('labels errors with the name in words unless the command says more', () => {
    expect(contextOf(Commands.streams.get, 'orders')).toBe('get stream');
    expect(contextOf(Commands.groups.sync, { streamId: 1, topicId: 2, groupId: 3 })).toBe(
      'sync consumer group',
    );
    expect(contextOf(Commands.streams.create, 'orders')).toBe("create stream 'orders'");
    expect(contextOf(Commands.topics.delete, { streamId: 's', topicId: 7 })).toBe('delete topic 7');
    expect(contextOf(Commands.options.describe, 'topic')).toBe('describe topic options');
  });

  it('treats a missing stream or topic as absent for get stream / get topic only', () => {
    expect(Commands.streams.get.absentOn).toEqual([
      IggyErrorCode.StreamIdNotFound,
      IggyErrorCode.StreamNameNotFound,
    ]);
    expect(Commands.topics.get.absentOn).toContain(IggyErrorCode.TopicNameNotFound);
    expect(Commands.groups.get.absentOn).toBeUndefined();
    // A command whose result cannot be null cannot declare absent codes (checked by tsc).
    const typeChecked = command({
      name: 'X',
      kind: read(1),
      encode: noBody,
      decode: decodeStats,
      // @ts-expect-error absentOn needs a decoder that may answer null
      absentOn: [1],
    });
    expect(typeChecked.name).toBe('X');
  });

  it('encodes shared references once: stream, topic and group ids in order', () => {
    expect(Commands.groups.join.encode({ streamId: 1, topicId: 't', groupId: 2 }).toString('hex')).toBe(
      '010401000000' + '020174' + '010402000000',
    );
    expect(
      Commands.topics.createPartitions.encode({ streamId: 1, topicId: 2, count: 3 }).toString('hex'),
    ).toBe('010401000000' + '010402000000' + '03000000');
    expect(Commands.groups.create.encode({ streamId: 1, topicId: 2, name: 'g' }).toString('hex')).toBe(
      '010401000000' + '010402000000' + '0167',
    );
  });

  it('reads a create topic reply without a topic as a protocol error', () => {
    protocolFailure(() =>
      Commands.topics.create.decode(Buffer.alloc(0), { streamId: 1, name: 't', partitionsCount: 1 }),
    );
  });
});

describe('poll as a consumer group', () => {
  const poll = {
    streamId: 's',
    topicId: 't',
    strategy: PollingStrategy.next(),
    count: 10,
    autoCommit: true,
  };

  it('refuses a group poll without a partition id, naming the group and the way out', () => {
    const error = failure(() =>
      Commands.messages.poll.encode({ ...poll, consumer: Consumer.group('readers') }),
    );
    expect(error.kind).toBe('invalid-argument');
    expect(error.code).toBe(IggyErrorCode.InvalidArgument);
    expect(error.message).toContain('"readers"');
    expect(error.message).toMatch(/sync/);
    expect(error.message).toMatch(/partition id/);
  });

  it('still encodes a group poll with a partition and a single-consumer poll without one', () => {
    expect(
      Commands.messages.poll.encode({ ...poll, consumer: Consumer.group(0), partitionId: 1 }),
    ).toHaveLength(32);
    expect(Commands.messages.poll.encode({ ...poll, consumer: Consumer.single(1) })).toHaveLength(32);
  });
});

describe('DescribeOptions (read code 13)', () => {
  it('encodes the scope as one byte: topic 1, stream 2, user 3', () => {
    expect(encodeDescribeOptionsBody('topic').toString('hex')).toBe('01');
    expect(encodeDescribeOptionsBody('stream').toString('hex')).toBe('02');
    expect(encodeDescribeOptionsBody('user').toString('hex')).toBe('03');
    for (const bad of ['topics', 'toString', '', 1]) {
      expect(failure(() => encodeDescribeOptionsBody(bad as 'topic')).kind).toBe('invalid-argument');
    }
  });

  it('decodes the edge catalog: kinds, typed defaults and descriptions', () => {
    const reply = hex(
      [
        '04000000', // count
        '0c' +
          ascii('segment_size') +
          '0c' +
          '08000000' +
          '0000004000000000' +
          '0a000000' +
          ascii('1 GiB here'),
        '0d' + ascii('enforce_fsync') + '03' + '01000000' + '00' + '00000000',
        '19' + ascii('messages_required_to_save') + '0b' + '04000000' + '00040000' + '01000000' + ascii('x'),
        '15' + ascii('compression_algorithm') + '02' + '04000000' + ascii('none') + '00000000',
      ].join(''),
    );
    expect(decodeOptionCatalog(reply)).toEqual([
      {
        key: 'segment_size',
        kind: 'uint64',
        kindCode: 12,
        defaultValue: 1_073_741_824n,
        description: '1 GiB here',
      },
      { key: 'enforce_fsync', kind: 'bool', kindCode: 3, defaultValue: false, description: '' },
      {
        key: 'messages_required_to_save',
        kind: 'uint32',
        kindCode: 11,
        defaultValue: 1024,
        description: 'x',
      },
      { key: 'compression_algorithm', kind: 'string', kindCode: 2, defaultValue: 'none', description: '' },
    ]);
    expect(decodeOptionCatalog(hex('00000000'))).toEqual([]);
  });

  it('decodes every other kind, and an empty default as none', () => {
    const entry = (kind: string, data: string) =>
      '01' +
      ascii('k') +
      kind +
      (data.length / 2).toString(16).padStart(2, '0') +
      '000000' +
      data +
      '00000000';
    const kinds = [
      ['01', 'cafe'],
      ['04', 'ff'],
      ['05', 'feff'],
      ['06', 'fdffffff'],
      ['07', 'fcffffffffffffff'],
      ['08', 'fbffffffffffffffffffffffffffffff'],
      ['09', 'ff'],
      ['0a', 'ffff'],
      ['0d', 'ffffffffffffffffffffffffffffffff'],
      ['0e', '0000c03f'],
      ['0f', '000000000000f83f'],
      ['03', '01'],
      ['0c', ''],
    ];
    const reply = hex('0d000000' + kinds.map(([k, d]) => entry(k!, d!)).join(''));
    const decoded = decodeOptionCatalog(reply).map((o) => [o.kind, o.defaultValue]);
    expect(decoded).toEqual([
      ['raw', Buffer.from([0xca, 0xfe])],
      ['int8', -1],
      ['int16', -2],
      ['int32', -3],
      ['int64', -4n],
      ['int128', -5n],
      ['uint8', 255],
      ['uint16', 65535],
      ['uint128', (1n << 128n) - 1n],
      ['float32', 1.5],
      ['float64', 1.5],
      ['bool', true],
      ['uint64', null],
    ]);
  });

  it('rejects malformed catalogs with a protocol error', () => {
    const one = (body: string) => hex('01000000' + body);
    protocolFailure(() => decodeOptionCatalog(Buffer.alloc(0)));
    protocolFailure(() => decodeOptionCatalog(hex('ffffffff'))); // count the bytes cannot hold
    protocolFailure(() => decodeOptionCatalog(one('01' + ascii('k') + '00' + '00000000' + '00000000'))); // kind 0
    protocolFailure(() => decodeOptionCatalog(one('01' + ascii('k') + '10' + '00000000' + '00000000'))); // kind 16
    protocolFailure(() =>
      decodeOptionCatalog(one('01' + ascii('k') + '0c' + '04000000' + '00000000' + '00000000')),
    );
    protocolFailure(() =>
      decodeOptionCatalog(one('01' + ascii('k') + '03' + '01000000' + '02' + '00000000')),
    );
    protocolFailure(() =>
      decodeOptionCatalog(one('01' + ascii('k') + '02' + '09000000' + ascii('short') + '0000')),
    );
    protocolFailure(() =>
      decodeOptionCatalog(one('01' + ascii('k') + '02' + '01000000' + ascii('a') + '05000000')),
    );
    protocolFailure(() =>
      decodeOptionCatalog(one('01' + ascii('k') + '02' + '01000000' + ascii('a') + '00000000' + '00')),
    );
  });
});
