import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrameDecoder } from '@/lib/iggy/frame-decoder';
import { IggyError } from '@/lib/iggy/errors';

function frameOf(bodyLength: number, tag: number): Buffer {
  const frame = Buffer.alloc(256 + bodyLength, tag & 0xff);
  frame.fill(0, 40, 64);
  frame.writeUInt32LE(frame.length, 48);
  frame[60] = 8;
  return frame;
}

/** Splits `data` at the given cut points (any positions, duplicates allowed). */
function chunk(data: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let last = 0;
  for (const p of [...points, data.length]) {
    chunks.push(data.subarray(last, p));
    last = p;
  }
  return chunks;
}

describe('FrameDecoder', () => {
  it('reassembles any sequence of frames under arbitrary chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (bodyLengths, cuts) => {
          const frames = bodyLengths.map((len, i) => frameOf(len, i + 1));
          const stream = Buffer.concat(frames);
          const decoder = new FrameDecoder(4096);
          const out: Buffer[] = [];
          for (const piece of chunk(stream, cuts)) out.push(...decoder.push(piece));
          expect(out.length).toBe(frames.length);
          out.forEach((f, i) => expect(f.equals(frames[i]!)).toBe(true));
          expect(decoder.bufferedBytes).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('handles one byte at a time and accepts Uint8Array chunks', () => {
    const frame = frameOf(10, 7);
    const decoder = new FrameDecoder();
    const out: Buffer[] = [];
    for (const byte of frame) out.push(...decoder.push(new Uint8Array([byte])));
    expect(out).toHaveLength(1);
    expect(out[0]!.equals(frame)).toBe(true);
    expect(decoder.describe()).toContain('1 frames decoded');
  });

  it('rejects a size below 256 or above the limit, and stays failed', () => {
    const small = frameOf(0, 1);
    small.writeUInt32LE(255, 48);
    const decoder = new FrameDecoder(1024);
    expect(() => decoder.push(small)).toThrow(IggyError);
    expect(() => decoder.push(frameOf(0, 1))).toThrow(/out of sync/);
    expect(decoder.describe()).toContain('failed');

    const big = frameOf(0, 1);
    big.writeUInt32LE(1025, 48);
    expect(() => new FrameDecoder(1024).push(big.subarray(0, 52))).toThrow(/outside 256..1024/);
  });

  it('reports an incomplete frame while waiting', () => {
    const decoder = new FrameDecoder();
    decoder.push(frameOf(100, 3).subarray(0, 60));
    expect(decoder.bufferedBytes).toBe(60);
    expect(decoder.describe()).toContain('assembling a 356-byte frame');
    decoder.push(Buffer.alloc(0));
    expect(new FrameDecoder().describe()).toContain('waiting for a header');
  });

  it('refuses a limit smaller than a header', () => {
    expect(() => new FrameDecoder(10)).toThrow(RangeError);
  });
});
