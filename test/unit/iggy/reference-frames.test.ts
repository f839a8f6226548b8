import { describe, expect, it } from 'vitest';
import { encodeRequestFrame } from '@/lib/iggy/wire/header';
import { encodeLoginBody } from '@/lib/iggy/wire/commands/login';
import { encodeSendMessagesBody, encodeMessageBatch } from '@/lib/iggy/wire/messages';
import { xxh3_64 } from '@/lib/iggy/wire/checksum';
import { Operation, ReadCode } from '@/lib/iggy/wire/constants';
import { hex, sparseFrame } from './hex';

// Fixed inputs of docs/architecture.md#worked-examples-and-test-vectors.
const CLIENT_ID = 0x11223344556677889900aabbccddeeffn;
const CLIENT_ROW = 'ff ee dd cc bb aa 00 99 88 77 66 55 44 33 22 11';

describe('docs/architecture.md#worked-examples-and-test-vectors register frame', () => {
  const body = encodeLoginBody({
    username: 'iggy',
    password: 'iggy',
    sdkName: 'nextjs-demo',
    sdkVersion: '0.1.0',
  });
  const expected = sparseFrame(292, {
    0x30: '24 01 00 00 00 00 00 00 00 00 00 00 05 00 00 00',
    0x80: CLIENT_ROW,
    0xb0: '01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
    0x100: '00 2c 00 00 0b 6e 65 78 74 6a 73 2d 64 65 6d 6f',
    0x110: '05 30 2e 31 2e 30 04 69 67 67 79 04 69 67 67 79',
    0x120: '00 00 00 00',
  });

  it('matches the 292-byte dump with request_checksum 0', () => {
    const frame = encodeRequestFrame({
      clientId: CLIENT_ID,
      operation: Operation.Register,
      request: 0n,
      session: 0n,
      body,
    });
    expect(frame.length).toBe(292);
    expect(frame.toString('hex')).toBe(expected.toString('hex'));
  });

  it('stamps request_checksum = XXH3-64(body) = 0x2e552c78bbebbafb, low 8 bytes LE, high 8 zero', () => {
    const frame = encodeRequestFrame({
      clientId: CLIENT_ID,
      operation: Operation.Register,
      request: 0n,
      session: 0n,
      body,
      stampChecksum: true,
    });
    expect(xxh3_64(body)).toBe(0x2e552c78bbebbafbn);
    expect(frame.subarray(144, 160).toString('hex')).toBe(
      'fbbaebbb78 2c552e 0000000000000000'.replace(/ /g, ''),
    );
    const withoutChecksum = Buffer.from(frame);
    withoutChecksum.fill(0, 144, 160);
    expect(withoutChecksum.equals(expected)).toBe(true);
  });
});

describe('docs/architecture.md#worked-examples-and-test-vectors ping frame', () => {
  it('matches the 256-byte dump', () => {
    const frame = encodeRequestFrame({
      clientId: CLIENT_ID,
      operation: Operation.NonReplicated,
      commandCode: ReadCode.Ping,
      request: 1n,
      session: 1n,
    });
    const expected = sparseFrame(256, {
      0x30: '00 01 00 00 00 00 00 00 00 00 00 00 05 00 00 00',
      0x80: CLIENT_ROW,
      0xa0: '00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00',
      0xb0: '02 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00',
      0xc0: '00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00',
    });
    expect(frame.toString('hex')).toBe(expected.toString('hex'));
  });
});

describe('docs/architecture.md#worked-examples-and-test-vectors send frame', () => {
  const message = {
    payload: 'hello',
    id: 0x0123456789abcdef0123456789abcdefn,
    originTimestampMicros: 1_767_225_600_000_000n,
  };

  it('computes the frame and batch checksums of the worked example', () => {
    expect(
      xxh3_64(
        hex('efcdab8967452301efcdab896745230100000000000000000000000005000000000000000000000068656c6c6f'),
      ),
    ).toBe(0xb68fe06c3fe67b37n);
    const batch = encodeMessageBatch([message]);
    expect(batch.readBigUInt64LE(40)).toBe(0x3497b548b10f8650n);
    expect(batch.readBigUInt64LE(256)).toBe(0xb68fe06c3fe67b37n);
  });

  it('matches the 600-byte frame field by field', () => {
    const body = encodeSendMessagesBody({
      streamId: 'demo-stream',
      topicId: 'demo-topic',
      messages: [message],
    });
    const frame = encodeRequestFrame({
      clientId: CLIENT_ID,
      operation: Operation.SendMessages,
      request: 1n,
      session: 1n,
      body,
    });
    const expected = Buffer.alloc(600);
    hex('58 02 00 00').copy(expected, 48);
    expected[60] = 5;
    hex(CLIENT_ROW).copy(expected, 128);
    expected.writeBigUInt64LE(1n, 168);
    expected[176] = 0xa0;
    expected.writeBigUInt64LE(1n, 184);
    hex('1f 00 00 00').copy(expected, 256);
    hex('02 0b 64 65 6d 6f 2d 73 74 72 65 61 6d').copy(expected, 260);
    hex('02 0a 64 65 6d 6f 2d 74 6f 70 69 63').copy(expected, 273);
    hex('01 00').copy(expected, 285);
    hex('01 00 00 00').copy(expected, 287);
    hex('00 40 20 46 48 47 06 00').copy(expected, 315);
    hex('35 01 00 00 00 00 00 00').copy(expected, 323);
    hex('50 86 0f b1 48 b5 97 34').copy(expected, 331);
    hex('01 00 00 00').copy(expected, 339);
    hex('37 7b e6 3f 6c e0 8f b6').copy(expected, 547);
    hex('ef cd ab 89 67 45 23 01 ef cd ab 89 67 45 23 01').copy(expected, 555);
    hex('05 00 00 00').copy(expected, 583);
    hex('68 65 6c 6c 6f').copy(expected, 595);
    expect(frame.length).toBe(600);
    expect(body.length).toBe(344);
    expect(frame.toString('hex')).toBe(expected.toString('hex'));
  });
});
