import { describe, expect, it } from 'vitest';
import { headerFieldAt, hexBytes, mergeFrames, type WireFrame } from '@/app/_components/wire/wire-frames';

// How the inspector panel folds each /api/frames answer into what it already shows.

function frame(seq: number, extra: Partial<WireFrame> = {}): WireFrame {
  return {
    seq,
    atIso: '2026-01-01T00:00:00.000Z',
    connection: 'producer',
    direction: 'sent',
    kind: 'request',
    operation: 160,
    commandName: 'SendMessages',
    request: String(seq),
    sizeBytes: 300,
    bodyBytes: 44,
    headerHex: '00'.repeat(128),
    bodyPreviewHex: 'ab'.repeat(44),
    ...extra,
  };
}

describe('mergeFrames', () => {
  it('appends only frames newer than the newest one held', () => {
    const current = [frame(1), frame(2)];
    const { frames, restarted } = mergeFrames(current, {
      frames: [frame(2), frame(3), frame(4)],
      latestSeq: 4,
    });
    expect(restarted).toBe(false);
    expect(frames.map((f) => f.seq)).toEqual([1, 2, 3, 4]);
  });

  it('returns the same array when nothing is new, so the table does not re-render', () => {
    const current = [frame(1)];
    expect(mergeFrames(current, { frames: [], latestSeq: 1 }).frames).toBe(current);
  });

  it('keeps only the newest `kept` frames', () => {
    const incoming = Array.from({ length: 10 }, (_, i) => frame(i + 1));
    const { frames } = mergeFrames([], { frames: incoming, latestSeq: 10 }, 4);
    expect(frames.map((f) => f.seq)).toEqual([7, 8, 9, 10]);
  });

  it('notices a restarted server whose numbering is behind the page', () => {
    const { frames, restarted } = mergeFrames([frame(50)], { frames: [frame(1)], latestSeq: 1 });
    expect(restarted).toBe(true);
    expect(frames).toEqual([]);
  });

  it('drops malformed entries and survives a malformed answer', () => {
    const { frames } = mergeFrames([], {
      frames: [frame(1), { seq: 'x' }, null, frame(2, { kind: 'bogus' as 'reply' })],
      latestSeq: 2,
    });
    expect(frames.map((f) => f.seq)).toEqual([1]);
    expect(mergeFrames([frame(3)], 'nonsense').frames.map((f) => f.seq)).toEqual([3]);
    expect(mergeFrames([], null).frames).toEqual([]);
  });
});

describe('header bytes', () => {
  it('splits hex into bytes, keeping redaction marks', () => {
    expect(hexBytes('00ffxxab')).toEqual(['00', 'ff', 'xx', 'ab']);
  });

  it('names the fields the reference calls out', () => {
    expect(headerFieldAt('request', 176)?.name).toBe('operation');
    expect(headerFieldAt('request', 168)?.key).toBe(true);
    expect(headerFieldAt('reply', 208)?.name).toBe('operation');
    expect(headerFieldAt('reply', 218)?.name).toBe('status');
    expect(headerFieldAt('eviction', 255)?.name).toBe('reason');
    expect(headerFieldAt('request', 230)).toBeUndefined();
  });
});
