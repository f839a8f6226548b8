import { describe, expect, it } from 'vitest';
import { WireDecodeError } from '../../support/wire/bytes';
import { parseOptionsBlock } from '../../support/wire/options';
import { U64_MAX, validateTopicOptions } from '../../support/wire/topic-options';

function field(kind: number, data: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(kind, 0);
  head.writeUInt32LE(data.length, 1);
  return Buffer.concat([head, data]);
}
const key = (name: string) => field(2, Buffer.from(name));
const u64 = (value: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  return field(12, b);
};
const str = (text: string) => field(2, Buffer.from(text));

describe('topic options (docs/architecture.md#shared-encodings)', () => {
  it('decodes the reference example: message_expiry = 1 h as Uint64', () => {
    const block = Buffer.from('020e0000006d6573736167655f6578706972790c0800000000a493d600000000', 'hex');
    const result = validateTopicOptions(parseOptionsBlock(block));
    expect(result.ok && result.settings.messageExpiryMicros).toBe(3_600_000_000n);
  });

  it('defaults to never-expire, unlimited size, 1 GiB segments and reports the defaults as derived options', () => {
    const result = validateTopicOptions([]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings.messageExpiryMicros).toBe(U64_MAX);
    expect(result.settings.maxTopicSizeBytes).toBe(U64_MAX);
    expect(result.settings.segmentSizeBytes).toBe(1024n ** 3n);
    expect(result.derived.map((d) => d.key)).toContain('segment_size');
  });

  it('accepts humantime and size strings', () => {
    const block = Buffer.concat([key('message_expiry'), str('7 days'), key('max_topic_size'), str('2 GiB')]);
    const result = validateTopicOptions(parseOptionsBlock(block));
    expect(result.ok && result.settings.messageExpiryMicros).toBe(7n * 86_400_000_000n);
    expect(result.ok && result.settings.maxTopicSizeBytes).toBe(2n * 1024n ** 3n);
  });

  it('rejects max_topic_size between 0 and the segment size with 1019, and accepts 0 and u64::MAX', () => {
    expect(
      validateTopicOptions(parseOptionsBlock(Buffer.concat([key('max_topic_size'), u64(1024n)]))),
    ).toEqual({ ok: false, status: 1019 });
    expect(validateTopicOptions(parseOptionsBlock(Buffer.concat([key('max_topic_size'), u64(0n)]))).ok).toBe(
      true,
    );
    expect(
      validateTopicOptions(parseOptionsBlock(Buffer.concat([key('max_topic_size'), u64(U64_MAX)]))).ok,
    ).toBe(true);
  });

  it('rejects an unknown key with 4041 and a bad value with 4042', () => {
    expect(
      validateTopicOptions(parseOptionsBlock(Buffer.concat([key('replication_factor'), u64(1n)]))),
    ).toEqual({ ok: false, status: 4041 });
    expect(validateTopicOptions(parseOptionsBlock(Buffer.concat([key('segment_size'), u64(1000n)])))).toEqual(
      { ok: false, status: 4042 },
    );
    expect(
      validateTopicOptions(parseOptionsBlock(Buffer.concat([key('compression_algorithm'), str('zstd')]))),
    ).toEqual({ ok: false, status: 4042 });
  });

  it('treats structural faults as undecodable: odd field count, zero length, repeated key', () => {
    expect(() => parseOptionsBlock(key('message_expiry'))).toThrow(WireDecodeError);
    expect(() => parseOptionsBlock(Buffer.from([2, 0, 0, 0, 0]))).toThrow(WireDecodeError);
    const twice = Buffer.concat([key('message_expiry'), u64(1n), key('message_expiry'), u64(2n)]);
    expect(() => parseOptionsBlock(twice)).toThrow(WireDecodeError);
  });

  it('accepts the durability keys the official 0.9.0 SDKs send and rejects other values with 4042', () => {
    const sdkDefaults = Buffer.concat([
      key('consumer_offset_durability'),
      str('replicated'),
      key('durability'),
      str('persisted'),
    ]);
    const result = validateTopicOptions(parseOptionsBlock(sdkDefaults));
    expect(result.ok && result.settings.durability).toBe('persisted');
    expect(result.ok && result.settings.consumerOffsetDurability).toBe('replicated');
    expect(
      validateTopicOptions(parseOptionsBlock(Buffer.concat([key('durability'), str('eventual')]))),
    ).toEqual({ ok: false, status: 4042 });
  });

  it('release (default) answers enforce_fsync with 4041 and reports the durability keys as derived', () => {
    const fsync = Buffer.concat([key('enforce_fsync'), field(3, Buffer.from([1]))]);
    expect(validateTopicOptions(parseOptionsBlock(fsync))).toEqual({ ok: false, status: 4041 });
    expect(validateTopicOptions(parseOptionsBlock(fsync), 'release')).toEqual({ ok: false, status: 4041 });
    const result = validateTopicOptions([]);
    const keys = result.ok ? result.derived.map((d) => d.key) : [];
    expect(keys).toContain('durability');
    expect(keys).toContain('consumer_offset_durability');
    expect(keys).not.toContain('enforce_fsync');
  });

  it('edge accepts enforce_fsync and answers either durability key with 4041', () => {
    const fsync = Buffer.concat([key('enforce_fsync'), field(3, Buffer.from([1]))]);
    const result = validateTopicOptions(parseOptionsBlock(fsync), 'edge');
    expect(result.ok && result.settings.enforceFsync).toBe(true);
    for (const name of ['durability', 'consumer_offset_durability']) {
      expect(
        validateTopicOptions(parseOptionsBlock(Buffer.concat([key(name), str('replicated')])), 'edge'),
      ).toEqual({ ok: false, status: 4041 });
    }
    const defaults = validateTopicOptions([], 'edge');
    const keys = defaults.ok ? defaults.derived.map((d) => d.key) : [];
    expect(keys).toContain('enforce_fsync');
    expect(keys).not.toContain('durability');
  });
});
