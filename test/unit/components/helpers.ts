import type { DemoMessage } from '@/lib/api/contract';

/**
 * A message as /api/messages and /api/events deliver it: the one at `offset` of partition 0, consumed as the
 * (offset + 1)th message of the run unless `overrides.seq` says otherwise.
 */
export function demoMessage(
  offset: number | bigint | string,
  overrides: Partial<DemoMessage> = {},
): DemoMessage {
  const o = BigInt(offset);
  const seq = Number(o % 1_000_000_000n) + 1;
  const ts = new Date(Date.UTC(2026, 10, 26, 12, 0, 0) + Number(o % 100_000n) * 1000).toISOString();
  const payload = { id: Number(o % 1_000_000n) + 1, text: 'hello from producer', ts };
  return {
    seq,
    offset: o.toString(),
    partitionId: 0,
    id: (1000n + o).toString(),
    timestamp: ts,
    originTimestamp: ts,
    receivedAt: ts,
    payload,
    payloadText: JSON.stringify(payload),
    sizeBytes: JSON.stringify(payload).length,
    ...overrides,
  };
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
