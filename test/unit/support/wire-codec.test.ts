import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WireDecodeError } from '../../support/wire/bytes';
import {
  type StoredBatch,
  encodeBatchRecord,
  encodePollReply,
  parseSendMetadata,
  verifyBatch,
} from '../../support/wire/batch';
import { checksum64 } from '../../support/wire/checksum';
import { encodeEviction, encodeReply, parseRequestHeader } from '../../support/wire/frame';
import { decodeLogin } from '../../support/server/session';
import {
  GOLDEN_POLL_REPLY,
  GOLDEN_PRODUCE_BATCH,
  GOLDEN_SEND_PREFIX,
  LOGIN_BODY_9_1,
  SEND_BODY_9_3,
  loginFrame91,
} from './golden-bytes';

describe('XXH3-64 spot checks (golden vector 4 (docs/architecture.md#worked-examples-and-test-vectors))', () => {
  it('hashes the docs/architecture.md#worked-examples-and-test-vectors frame input and the docs/architecture.md#worked-examples-and-test-vectors login body to the published values', () => {
    const frameInput = Buffer.from(
      'efcdab8967452301efcdab896745230100000000000000000000000005000000000000000000000068656c6c6f',
      'hex',
    );
    expect(checksum64(frameInput)).toBe(0xb68fe06c3fe67b37n);
    expect(checksum64(LOGIN_BODY_9_1)).toBe(0x2e552c78bbebbafbn);
  });
});

describe('request header and login decoding (docs/architecture.md#worked-examples-and-test-vectors)', () => {
  it('reads size, command, client, operation, session and request from the worked register frame', () => {
    const header = parseRequestHeader(loginFrame91());
    expect(header).toMatchObject({
      size: 292,
      command: 5,
      client: 0x11223344556677889900aabbccddeeffn,
      operation: 1,
      session: 0n,
      request: 0n,
      requestChecksum: 0n,
      code: 0,
    });
  });

  it('decodes the login body as the password shape with version 0x2C00 and iggy/iggy', () => {
    expect(decodeLogin(LOGIN_BODY_9_1)).toEqual({
      kind: 'password',
      version: 0x2c00,
      username: 'iggy',
      password: 'iggy',
    });
  });

  it('refuses a login body without the mandatory context length', () => {
    expect(decodeLogin(LOGIN_BODY_9_1.subarray(0, LOGIN_BODY_9_1.length - 4))).toBeUndefined();
  });
});

describe('send body admission (docs/architecture.md#worked-examples-and-test-vectors and golden vector 1 (docs/architecture.md#worked-examples-and-test-vectors)–docs/architecture.md#register-and-login)', () => {
  it('accepts the docs/architecture.md#worked-examples-and-test-vectors body: names, Balanced, one 5-byte message, checksums valid', () => {
    const metadata = parseSendMetadata(SEND_BODY_9_3);
    expect(metadata.stream).toEqual({ kind: 'name', name: 'demo-stream' });
    expect(metadata.topic).toEqual({ kind: 'name', name: 'demo-topic' });
    expect(metadata.partitioning).toEqual({ kind: 'balanced' });
    expect(metadata.messagesCount).toBe(1);
    const batch = verifyBatch(metadata.batch, metadata.messagesCount);
    expect(batch.originTimestamp).toBe(1_767_225_600_000_000n);
    expect(batch.frames).toHaveLength(1);
    expect(batch.frames[0]!.bytes.subarray(48).toString()).toBe('hello');
  });

  it('accepts the Rust-produced two-message batch behind the numeric-id prefix', () => {
    const metadata = parseSendMetadata(Buffer.concat([GOLDEN_SEND_PREFIX, GOLDEN_PRODUCE_BATCH]));
    expect(metadata.stream).toEqual({ kind: 'numeric', id: 1 });
    expect(metadata.topic).toEqual({ kind: 'numeric', id: 2 });
    const batch = verifyBatch(metadata.batch, 2);
    expect(batch.frames.map((f) => f.offsetDelta)).toEqual([0, 1]);
  });

  it('rejects a wrong metadata_length', () => {
    const body = Buffer.from(SEND_BODY_9_3);
    body.writeUInt32LE(30, 0);
    expect(() => parseSendMetadata(body)).toThrow(WireDecodeError);
  });

  it('rejects messages_count that disagrees with the batch message_count', () => {
    expect(() => verifyBatch(GOLDEN_PRODUCE_BATCH, 1)).toThrow(WireDecodeError);
  });

  it('rejects a trailing byte after the batch', () => {
    expect(() => verifyBatch(Buffer.concat([GOLDEN_PRODUCE_BATCH, Buffer.from([0])]), 2)).toThrow(
      WireDecodeError,
    );
  });

  it('rejects the batch when any single byte is altered (checksums, lengths or reserved bytes catch it)', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: GOLDEN_PRODUCE_BATCH.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (index, xor) => {
          const tampered = Buffer.from(GOLDEN_PRODUCE_BATCH);
          tampered[index] = tampered[index]! ^ xor;
          expect(() => verifyBatch(tampered, 2)).toThrow(WireDecodeError);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('poll reply encoding (golden vector 3 (docs/architecture.md#worked-examples-and-test-vectors))', () => {
  function storedGoldenBatch(): StoredBatch {
    const verified = verifyBatch(GOLDEN_PRODUCE_BATCH, 2);
    return {
      partitionId: 3,
      baseOffset: 100n,
      baseTimestamp: 5000n,
      originTimestamp: verified.originTimestamp,
      frames: verified.frames,
    };
  }

  it('produces the poll reply body byte for byte, with the recomputed stored batch checksum', () => {
    const record = encodeBatchRecord(storedGoldenBatch(), 0, 2);
    expect(record.readBigUInt64LE(40)).toBe(0xd2ee8f8ab32668c9n);
    expect(encodePollReply(3, 101n, [record], 2).toString('hex')).toBe(GOLDEN_POLL_REPLY.toString('hex'));
  });

  it('slices a stored batch: the record keeps base_offset and the frame keeps offset_delta 1', () => {
    const record = encodeBatchRecord(storedGoldenBatch(), 1, 1);
    expect(record.readBigUInt64LE(8)).toBe(100n);
    expect(record.readUInt32LE(48)).toBe(1);
    expect(Number(record.readBigUInt64LE(32))).toBe(record.length);
    expect(record.readUInt32LE(256 + 24)).toBe(1);
    expect(record.readBigUInt64LE(256)).toBe(0xc0b78e751c7e6bd6n);
  });
});

describe('reply and eviction frames (docs/architecture.md#replies-and-evictions)', () => {
  it('puts status at 216, operation at 208 and drops the body when status is non-zero', () => {
    const frame = encodeReply(
      {
        requestChecksum: 9n,
        client: 1n,
        op: 0n,
        commit: 0n,
        timestamp: 0n,
        request: 5n,
        operation: 132,
        status: 2015,
      },
      Buffer.from([1, 2, 3]),
    );
    expect(frame.length).toBe(256);
    expect(frame.readUInt32LE(48)).toBe(256);
    expect(frame[60]).toBe(8);
    expect(frame.readBigUInt64LE(128)).toBe(9n);
    expect(frame.readBigUInt64LE(200)).toBe(5n);
    expect(frame[208]).toBe(132);
    expect(frame.readUInt32LE(216)).toBe(2015);
  });

  it('writes an eviction of exactly 256 bytes with the reason at 255 and the window at 144/148', () => {
    const frame = encodeEviction(7n, 14, { max: 0x2c00, min: 0x2c00 });
    expect(frame.length).toBe(256);
    expect(frame[60]).toBe(13);
    expect(frame[255]).toBe(14);
    expect(frame.readUInt32LE(144)).toBe(0x2c00);
    expect(frame.readUInt32LE(148)).toBe(0x2c00);
  });
});
