import type { ConsumedMessage } from './consumer-loop';
import type { DemoMessage } from './types';

/** Microseconds since the epoch → ISO; values outside Date's range (a hostile or broken stamp) become null. */
export function microsToIso(micros: bigint): string | null {
  const ms = Number(micros / 1000n);
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  return new Date(ms).toISOString();
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** JSON if it parses, otherwise the text itself: the timeline shows whatever was sent. */
export function decodePayload(bytes: Uint8Array): { payload: unknown; payloadText: string } {
  const payloadText = decoder.decode(bytes);
  try {
    return { payload: JSON.parse(payloadText) as unknown, payloadText };
  } catch {
    return { payload: payloadText, payloadText };
  }
}

export function toDemoMessage(message: ConsumedMessage, receivedAtMs: number): DemoMessage {
  const { payload, payloadText } = decodePayload(message.payload);
  const epoch = new Date(0).toISOString();
  return {
    seq: message.seq,
    offset: message.offset.toString(),
    partitionId: message.partitionId,
    id: message.id.toString(),
    timestamp: microsToIso(message.timestampMicros) ?? epoch,
    originTimestamp: microsToIso(message.originTimestampMicros) ?? epoch,
    receivedAt: new Date(receivedAtMs).toISOString(),
    payload,
    payloadText,
    sizeBytes: message.payload.byteLength + message.userHeaders.byteLength,
  };
}

/** The demo producer's payload, formatted like the original design's Python json.dumps output. */
export function producerPayload(id: bigint, at: Date, text = 'hello from producer'): string {
  return `{"id": ${id.toString()}, "text": ${JSON.stringify(text)}, "ts": "${at.toISOString()}"}`;
}

/** The JSON `id` of a demo payload, or undefined for anything else (foreign or non-JSON payloads). */
export function payloadJsonId(bytes: Uint8Array): bigint | undefined {
  const text = decoder.decode(bytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const id = (parsed as { id?: unknown }).id;
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return BigInt(id);
  // Ids beyond 2^53 lose precision in JSON.parse: read the digits from the text instead.
  if (typeof id === 'number' && Number.isInteger(id) && id > 0) {
    const match = /"id"\s*:\s*(\d+)/.exec(text);
    return match?.[1] ? BigInt(match[1]) : undefined;
  }
  return undefined;
}
