// The browser's copy of the wire log: the shape /api/frames answers with, and how polls merge into it.

// One definition of the frame shape, in the server's contract (a type-only import: nothing server-side is bundled).
import type { FramesResponse, WireConnection, WireFrameSummary } from '@/lib/api/contract';

export type { WireConnection };
export type WireFrame = WireFrameSummary;

/** The server keeps 200; the page keeps the same window so the table never grows without bound. */
export const WIRE_FRAMES_KEPT = 200;

function isWireFrame(value: unknown): value is WireFrame {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Record<string, unknown>;
  return (
    typeof f.seq === 'number' &&
    typeof f.atIso === 'string' &&
    (f.connection === 'producer' || f.connection === 'consumer') &&
    (f.direction === 'sent' || f.direction === 'received') &&
    (f.kind === 'request' || f.kind === 'reply' || f.kind === 'eviction') &&
    typeof f.commandName === 'string' &&
    typeof f.request === 'string' &&
    typeof f.sizeBytes === 'number' &&
    typeof f.bodyBytes === 'number' &&
    typeof f.headerHex === 'string' &&
    typeof f.bodyPreviewHex === 'string'
  );
}

/** Keeps what the page already shows and appends newer frames; a restarted server starts the list afresh. */
export function mergeFrames(
  current: readonly WireFrame[],
  answer: unknown,
  kept: number = WIRE_FRAMES_KEPT,
): { frames: readonly WireFrame[]; restarted: boolean } {
  const body = answer as Partial<FramesResponse> | null;
  const incoming = Array.isArray(body?.frames) ? body.frames.filter(isWireFrame) : [];
  const lastSeq = current.at(-1)?.seq ?? 0;
  const latestSeq = typeof body?.latestSeq === 'number' ? body.latestSeq : lastSeq;
  if (latestSeq < lastSeq) return { frames: [], restarted: true };
  const fresh = incoming.filter((f) => f.seq > lastSeq);
  if (fresh.length === 0) return { frames: current, restarted: false };
  const merged = [...current, ...fresh];
  return { frames: merged.length > kept ? merged.slice(merged.length - kept) : merged, restarted: false };
}

/** Splits lowercase hex into byte pairs ("xx" marks a redacted byte). */
export function hexBytes(hex: string): string[] {
  const bytes: string[] = [];
  for (let i = 0; i + 1 < hex.length; i += 2) bytes.push(hex.slice(i, i + 2));
  return bytes;
}

export interface HeaderField {
  name: string;
  from: number;
  to: number;
  /** The header fields a reader should look at first (docs/architecture.md explains each). */
  key?: boolean;
}

/** Bytes 128..256 of each header kind (docs/architecture.md#one-frame-format-a-256-byte-header, #replies-and-evictions). */
export const HEADER_FIELDS: Record<WireFrame['kind'], HeaderField[]> = {
  request: [
    { name: 'client id', from: 128, to: 144 },
    { name: 'request_checksum', from: 144, to: 160 },
    { name: 'timestamp', from: 160, to: 168 },
    { name: 'request number', from: 168, to: 176, key: true },
    { name: 'operation', from: 176, to: 177, key: true },
    { name: 'session', from: 184, to: 192, key: true },
    { name: 'user id', from: 192, to: 196 },
    { name: 'command code (operation 2 only)', from: 196, to: 200, key: true },
  ],
  reply: [
    { name: 'request_checksum (echo)', from: 128, to: 144 },
    { name: 'context', from: 144, to: 160 },
    { name: 'client', from: 160, to: 176 },
    { name: 'op (log position)', from: 176, to: 184 },
    { name: 'commit', from: 184, to: 192 },
    { name: 'timestamp', from: 192, to: 200 },
    { name: 'request number (echo)', from: 200, to: 208, key: true },
    { name: 'operation', from: 208, to: 209, key: true },
    { name: 'status', from: 216, to: 220, key: true },
  ],
  eviction: [
    { name: 'client', from: 128, to: 144 },
    { name: 'server protocol version (max)', from: 144, to: 148 },
    { name: 'server protocol version (min)', from: 148, to: 152 },
    { name: 'reason', from: 255, to: 256, key: true },
  ],
};

export function headerFieldAt(kind: WireFrame['kind'], offset: number): HeaderField | undefined {
  return HEADER_FIELDS[kind].find((f) => offset >= f.from && offset < f.to);
}
