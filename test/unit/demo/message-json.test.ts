import { describe, expect, it } from 'vitest';
import type { ConsumedMessage } from '@/lib/demo/consumer-loop';
import {
  decodePayload,
  microsToIso,
  payloadJsonId,
  producerPayload,
  toDemoMessage,
} from '@/lib/demo/message-json';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('producer payloads', () => {
  it('are formatted like the original design and read back to their id', () => {
    const text = producerPayload(42n, new Date('2026-01-02T03:04:05.678Z'));
    expect(text).toBe('{"id": 42, "text": "hello from producer", "ts": "2026-01-02T03:04:05.678Z"}');
    expect(JSON.parse(text)).toEqual({ id: 42, text: 'hello from producer', ts: '2026-01-02T03:04:05.678Z' });
    expect(payloadJsonId(bytes(text))).toBe(42n);
  });

  it('keep ids beyond 2^53 exact', () => {
    const big = 2n ** 60n + 1n;
    expect(payloadJsonId(bytes(producerPayload(big, new Date(0))))).toBe(big);
  });

  it.each([
    'plain text',
    '',
    '[1,2]',
    'null',
    '{"id": "7"}',
    '{"id": -3}',
    '{"id": 1.5}',
    '{"noid": 1}',
    '\u00ff\u00fe',
  ])('payloadJsonId tolerates a foreign payload %j', (text) => {
    expect(payloadJsonId(bytes(text))).toBeUndefined();
  });
});

describe('toDemoMessage', () => {
  const polled = (payload: Buffer): ConsumedMessage => ({
    seq: 7,
    offset: 18446744073709551615n,
    id: 2n ** 127n + 5n,
    checksum: 1n,
    partitionId: 0,
    timestampMicros: 1_767_225_600_000_000n,
    originTimestampMicros: 1_767_225_599_999_000n,
    payload,
    userHeaders: Buffer.alloc(0),
  });

  it('turns u64/u128 into decimal strings and micros into ISO times', () => {
    const message = toDemoMessage(polled(bytes('{"id": 1}')), Date.UTC(2026, 0, 1));
    expect(message).toEqual({
      seq: 7,
      offset: '18446744073709551615',
      partitionId: 0,
      id: (2n ** 127n + 5n).toString(),
      timestamp: '2026-01-01T00:00:00.000Z',
      originTimestamp: '2025-12-31T23:59:59.999Z',
      receivedAt: '2026-01-01T00:00:00.000Z',
      payload: { id: 1 },
      payloadText: '{"id": 1}',
      sizeBytes: 9,
    });
    expect(() => JSON.stringify(message)).not.toThrow();
  });

  it('keeps a non-JSON payload as text', () => {
    expect(decodePayload(bytes('hello'))).toEqual({ payload: 'hello', payloadText: 'hello' });
  });

  it('survives a timestamp outside the Date range', () => {
    expect(microsToIso(2n ** 64n - 1n)).toBeNull();
    const message = toDemoMessage({ ...polled(bytes('x')), timestampMicros: 2n ** 64n - 1n }, 0);
    expect(message.timestamp).toBe('1970-01-01T00:00:00.000Z');
  });
});
