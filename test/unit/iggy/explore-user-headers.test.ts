import { describe, expect, it } from 'vitest';
import { decodeUserHeaders, encodeUserHeaders, isIggyError, type UserHeader } from '@/lib/iggy';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('user headers codec', () => {
  it('encodes a string header as key TLV then value TLV, lengths u32 LE', () => {
    const bytes = encodeUserHeaders([{ key: 'ct', value: { kind: 'string', value: 'json' } }]);
    expect(bytes.toString('hex')).toBe('02' + '02000000' + '6374' + '02' + '04000000' + '6a736f6e');
  });

  it('encodes integers little-endian in their own width, negatives in two’s complement', () => {
    const bytes = encodeUserHeaders([
      { key: 'a', value: { kind: 'uint32', value: 0x01020304 } },
      { key: 'b', value: { kind: 'int16', value: -2 } },
      { key: 'c', value: { kind: 'uint64', value: 1n << 40n } },
      { key: 'd', value: { kind: 'bool', value: true } },
    ]);
    expect(bytes).toEqual(
      hex(
        '02 01000000 61 0b 04000000 04030201' +
          '02 01000000 62 05 02000000 feff' +
          '02 01000000 63 0c 08000000 0000000000010000' +
          '02 01000000 64 03 01000000 01',
      ),
    );
  });

  it('round-trips every kind', () => {
    const headers: UserHeader[] = [
      { key: 'raw', value: { kind: 'raw', value: Uint8Array.of(0, 255, 7) } },
      { key: 'text', value: { kind: 'string', value: 'héllo' } },
      { key: 'flag', value: { kind: 'bool', value: false } },
      { key: 'i8', value: { kind: 'int8', value: -128 } },
      { key: 'i16', value: { kind: 'int16', value: 32767 } },
      { key: 'i32', value: { kind: 'int32', value: -5 } },
      { key: 'i64', value: { kind: 'int64', value: -(1n << 63n) } },
      { key: 'i128', value: { kind: 'int128', value: -(1n << 100n) } },
      { key: 'u8', value: { kind: 'uint8', value: 255 } },
      { key: 'u16', value: { kind: 'uint16', value: 65535 } },
      { key: 'u32', value: { kind: 'uint32', value: 4294967295 } },
      { key: 'u64', value: { kind: 'uint64', value: (1n << 64n) - 1n } },
      { key: 'u128', value: { kind: 'uint128', value: (1n << 128n) - 1n } },
      { key: 'f32', value: { kind: 'float32', value: 1.5 } },
      { key: 'f64', value: { kind: 'float64', value: Math.PI } },
    ];
    expect(decodeUserHeaders(encodeUserHeaders(headers))).toEqual(headers);
  });

  it('encodes no headers as zero bytes and decodes zero bytes as none', () => {
    expect(encodeUserHeaders([])).toHaveLength(0);
    expect(decodeUserHeaders(new Uint8Array(0))).toEqual([]);
  });

  it.each([
    ['a repeated key', [h('k', 'x'), h('k', 'y')], /twice/],
    ['an empty key', [h('', 'x')], /1\.\.255/],
    ['an empty string value', [h('k', '')], /1\.\.255/],
    ['a value over 255 bytes', [h('k', 'x'.repeat(256))], /1\.\.255/],
    ['uint8 out of range', [{ key: 'k', value: { kind: 'uint8', value: 256 } }], /0\.\.255/],
    ['a fractional int32', [{ key: 'k', value: { kind: 'int32', value: 1.5 } }], /integer/],
    ['an unknown kind', [{ key: 'k', value: { kind: 'decimal', value: 1 } }], /unknown kind/],
  ] as [string, UserHeader[], RegExp][])('refuses to encode %s', (_what, headers, message) => {
    expect(() => encodeUserHeaders(headers)).toThrow(message);
  });

  it.each([
    ['a truncated value', '02 01000000 6b 02 05000000 6162'],
    ['a key that is not a string', '09 01000000 01 02 01000000 61'],
    ['an unknown value kind', '02 01000000 6b 63 01000000 61'],
    ['a wrong size for uint32', '02 01000000 6b 0b 02000000 0102'],
    ['a bool that is not 0/1', '02 01000000 6b 03 01000000 02'],
    ['a key without a value', '02 01000000 6b'],
    ['a zero-length value', '02 01000000 6b 02 00000000'],
    ['a repeated key', '02 01000000 6b 02 01000000 61 02 01000000 6b 02 01000000 62'],
  ])('refuses to decode %s with a protocol error', (_what, bytes) => {
    let caught: unknown;
    try {
      decodeUserHeaders(hex(bytes));
    } catch (error) {
      caught = error;
    }
    expect(isIggyError(caught) && caught.kind).toBe('protocol');
  });
});

function h(key: string, value: string): UserHeader {
  return { key, value: { kind: 'string', value } };
}
