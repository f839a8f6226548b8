/**
 * Captures the frames one lab action caused: it listens to the lab's connections only while the
 * action runs, and keeps a short summary per frame (never body bytes, so a Register frame's password
 * cannot leak through here). The names come from the wire log's exported naming functions.
 */

import { codeName, nameFrame, type FrameEvent } from '@/lib/iggy';
import type { LabFrame } from './contract';
import { FRAMES_PER_ACTION } from './limits';

export interface FrameTap {
  onFrame(listener: (frame: FrameEvent) => void): () => void;
}

export interface FrameRecording {
  frames: LabFrame[];
  framesDropped: number;
}

/** One recording in progress; `stop()` detaches it and returns what it saw. */
export class FrameRecorder {
  readonly #frames: LabFrame[] = [];
  readonly #capacity: number;
  readonly #lastRequest = new Map<string, { request: bigint; name: string }>();
  readonly #unsubscribers: Array<() => void> = [];
  #dropped = 0;
  #seq = 0;

  constructor(capacity: number = FRAMES_PER_ACTION) {
    this.#capacity = capacity;
  }

  /** Also listen to a connection opened while the action runs (a consumer-group member, say). */
  attach(connection: string, tap: FrameTap): void {
    this.#unsubscribers.push(tap.onFrame((frame) => this.#record(connection, frame)));
  }

  stop(): FrameRecording {
    for (const unsubscribe of this.#unsubscribers.splice(0)) unsubscribe();
    return { frames: [...this.#frames], framesDropped: this.#dropped };
  }

  #record(connection: string, frame: FrameEvent): void {
    this.#seq += 1;
    const summary = summarizeLabFrame(connection, frame, this.#seq, this.#lastRequest.get(connection));
    if (summary.kind === 'request')
      this.#lastRequest.set(connection, { request: frame.request, name: summary.command });
    if (this.#frames.length < this.#capacity) this.#frames.push(summary);
    else this.#dropped += 1;
  }
}

/**
 * A reply to a read carries no command code, so it takes the name of the request its connection
 * sent last with the same number (one request in flight per connection).
 */
export function summarizeLabFrame(
  connection: string,
  frame: FrameEvent,
  seq: number,
  lastRequest?: { request: bigint; name: string },
): LabFrame {
  const { kind, name: command } = nameFrame(frame, lastRequest);
  const summary: LabFrame = {
    seq,
    connection,
    direction: frame.direction,
    kind,
    command,
    request: frame.request.toString(),
    sizeBytes: frame.size,
    bodyBytes: frame.bodyLength,
  };
  if (kind === 'reply' && frame.status !== undefined) {
    summary.status = frame.status;
    summary.statusName = frame.status === 0 ? 'OK' : codeName(frame.status);
  }
  return summary;
}
