/**
 * The wire inspector's memory: short summaries of the last frames the demo's two TCP connections
 * exchanged with Iggy. It listens to the clients only while someone is looking (a viewer lease that
 * each poll renews), so a demo nobody inspects pays nothing per frame.
 */

import { nameFrame, type FrameEvent, type LastRequest, type WireFrameKind } from '@/lib/iggy';
import {
  HEADER_SIZE,
  Operation,
  REQ_OFF_CLIENT,
  REQ_OFF_REQUEST_CHECKSUM,
  REQ_OFF_TIMESTAMP,
} from '@/lib/iggy/internal';

export type { WireFrameKind };
export type WireConnection = 'producer' | 'consumer';

export interface WireFrameSummary {
  /** Increases by one per recorded frame, so a poller can ask for "everything after N". */
  seq: number;
  atIso: string;
  connection: WireConnection;
  direction: 'sent' | 'received';
  kind: WireFrameKind;
  /** Request: byte 176. Reply: byte 208. Eviction: 0. */
  operation: number;
  /** Reads and ping (operation 2) only: the u32 at bytes 196..200. */
  commandCode?: number;
  commandName: string;
  /** u64 request number, decimal. */
  request: string;
  /** Replies only: 0 = no pre-commit failure, else an Iggy error code. */
  status?: number;
  /** Evictions only: byte 255. */
  evictionReason?: number;
  sizeBytes: number;
  bodyBytes: number;
  /** Header bytes 128..256 (the part that differs between request, reply and eviction), hex. */
  headerHex: string;
  /** At most the first BODY_PREVIEW_BYTES of the body, hex; '' when redacted. */
  bodyPreviewHex: string;
  note?: string;
}

export interface FrameSource {
  onFrame(listener: (frame: FrameEvent) => void): () => void;
}

export interface WireLogOptions {
  capacity?: number;
  /** How long one poll keeps the log listening. */
  viewerLeaseMs?: number;
  now?: () => number;
}

export const DEFAULT_WIRE_LOG_CAPACITY = 200;
export const DEFAULT_VIEWER_LEASE_MS = 10_000;
export const BODY_PREVIEW_BYTES = 64;
/** Where the part of a header that differs between request, reply and eviction begins. */
export const HEADER_DETAIL_START = REQ_OFF_CLIENT;
export const REDACTED_NOTE = 'redacted: contains credentials';

/** request_checksum of a request (up to the timestamp that follows it): for Register a hash over the password. */
const REQUEST_CHECKSUM_END = REQ_OFF_TIMESTAMP;

function toHex(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.max(0, end - start)).toString('hex');
}

/**
 * A bounded ring of frame summaries fed by the clients' frame taps. Replies to reads carry no
 * command code, so a reply is named after the request its connection sent last with the same
 * request number (one request in flight per connection makes that unambiguous).
 */
export class WireLog {
  readonly capacity: number;
  readonly #sources: ReadonlyArray<readonly [WireConnection, FrameSource]>;
  readonly #leaseMs: number;
  readonly #now: () => number;
  readonly #ring: WireFrameSummary[] = [];
  readonly #lastRequest = new Map<WireConnection, LastRequest>();
  #nextSeq = 1;
  #unsubscribers: Array<() => void> = [];
  #leaseUntilMs = 0;
  #leaseTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(sources: Record<WireConnection, FrameSource>, options: WireLogOptions = {}) {
    const capacity = options.capacity ?? DEFAULT_WIRE_LOG_CAPACITY;
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.capacity = capacity;
    this.#sources = [
      ['producer', sources.producer],
      ['consumer', sources.consumer],
    ];
    this.#leaseMs = options.viewerLeaseMs ?? DEFAULT_VIEWER_LEASE_MS;
    this.#now = options.now ?? (() => Date.now());
  }

  /** True while the log is attached to the clients' frame taps. */
  get listening(): boolean {
    return this.#unsubscribers.length > 0;
  }

  /**
   * A viewer is looking: listen (if not already) until leaseMs after the latest call. When the
   * last viewer stops polling, the lease runs out and the log detaches from the clients.
   */
  touch(): void {
    if (this.#closed) return;
    this.#leaseUntilMs = this.#now() + this.#leaseMs;
    if (!this.listening) this.#attach();
    this.#leaseTimer ??= this.#scheduleExpiry(this.#leaseMs);
  }

  /** The sequence number of the newest frame ever recorded; 0 before the first. */
  get latestSeq(): number {
    return this.#nextSeq - 1;
  }

  /** Recorded frames, oldest first; with `afterSeq`, only the newer ones. */
  frames(afterSeq?: number): WireFrameSummary[] {
    if (afterSeq === undefined) return [...this.#ring];
    return this.#ring.filter((f) => f.seq > afterSeq);
  }

  close(): void {
    this.#closed = true;
    this.#detach();
  }

  #attach(): void {
    this.#lastRequest.clear();
    this.#unsubscribers = this.#sources.map(([connection, source]) =>
      source.onFrame((frame) => this.#record(connection, frame)),
    );
  }

  #detach(): void {
    for (const unsubscribe of this.#unsubscribers) unsubscribe();
    this.#unsubscribers = [];
    if (this.#leaseTimer) clearTimeout(this.#leaseTimer);
    this.#leaseTimer = undefined;
  }

  #scheduleExpiry(delayMs: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.#leaseTimer = undefined;
      const leftMs = this.#leaseUntilMs - this.#now();
      if (leftMs > 0) this.#leaseTimer = this.#scheduleExpiry(leftMs);
      else this.#detach();
    }, delayMs);
    // A lease must never keep the process alive on shutdown.
    timer.unref?.();
    return timer;
  }

  #record(connection: WireConnection, frame: FrameEvent): void {
    const summary = summarizeWireFrame(connection, frame, this.#nextSeq, this.#lastRequest.get(connection));
    this.#nextSeq += 1;
    if (summary.kind === 'request') {
      this.#lastRequest.set(connection, { request: frame.request, name: summary.commandName });
    }
    this.#ring.push(summary);
    if (this.#ring.length > this.capacity) this.#ring.splice(0, this.#ring.length - this.capacity);
  }
}

/**
 * One frame → its summary. A Register request carries the password in its body and a hash of that
 * body in request_checksum: neither leaves this function.
 */
export function summarizeWireFrame(
  connection: WireConnection,
  frame: FrameEvent,
  seq: number,
  lastRequest?: LastRequest,
): WireFrameSummary {
  const { kind, name } = nameFrame(frame, lastRequest);
  const bytes = frame.bytes;
  const headerEnd = Math.min(bytes.length, HEADER_SIZE);
  const bodyLength = Math.max(0, bytes.length - HEADER_SIZE);
  const carriesCredentials = kind === 'request' && frame.operation === Operation.Register;

  let headerHex = toHex(bytes, Math.min(HEADER_DETAIL_START, headerEnd), headerEnd);
  let bodyPreviewHex = toHex(bytes, HEADER_SIZE, HEADER_SIZE + Math.min(bodyLength, BODY_PREVIEW_BYTES));
  if (carriesCredentials) {
    bodyPreviewHex = '';
    if (headerEnd >= REQUEST_CHECKSUM_END) {
      const from = (REQ_OFF_REQUEST_CHECKSUM - HEADER_DETAIL_START) * 2;
      const to = (REQUEST_CHECKSUM_END - HEADER_DETAIL_START) * 2;
      headerHex = headerHex.slice(0, from) + 'x'.repeat(to - from) + headerHex.slice(to);
    }
  }

  const summary: WireFrameSummary = {
    seq,
    atIso: new Date(frame.atMs).toISOString(),
    connection,
    direction: frame.direction,
    kind,
    operation: frame.operation,
    commandName: name,
    request: frame.request.toString(),
    sizeBytes: bytes.length,
    bodyBytes: bodyLength,
    headerHex,
    bodyPreviewHex,
  };
  if (frame.commandCode !== undefined) summary.commandCode = frame.commandCode;
  if (kind === 'reply' && frame.status !== undefined) summary.status = frame.status;
  if (kind === 'eviction' && frame.evictionReason !== undefined)
    summary.evictionReason = frame.evictionReason;
  if (carriesCredentials) summary.note = `${REDACTED_NOTE} (body and request_checksum hidden)`;
  return summary;
}

/** Runtimes that keep a wire log (the real one does; test doubles may not). */
export function wireLogOf(runtime: object): WireLog | undefined {
  // Duck-typed: Next's dev reload re-evaluates this module while the runtime (on globalThis) keeps its instance.
  const log = (runtime as { wireLog?: Partial<WireLog> }).wireLog;
  return typeof log?.touch === 'function' && typeof log.frames === 'function' ? (log as WireLog) : undefined;
}
