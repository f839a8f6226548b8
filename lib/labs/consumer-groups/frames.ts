/**
 * The frames one consumer-group action caused, on every member connection it touched. Members keep polling
 * while an action runs, so a plain recording would be mostly repeated polls: this one names polls and offset
 * stores by partition ("PollMessages (partition 2)") and keeps only the first of each per connection and
 * partition; the repeats (and anything past the capacity) are counted as not shown. Never body bytes.
 */

import { HEADER_SIZE, type FrameEvent } from '@/lib/iggy';
import type { LabFrame } from '../contract';
import { FRAMES_PER_ACTION } from '../limits';
import { summarizeLabFrame, type FrameRecording, type FrameTap } from '../frame-recorder';

/** Commands whose body starts `[Consumer][stream Id][topic Id][OptPart]`: named by their partition. */
const PER_PARTITION = new Set(['PollMessages', 'StoreConsumerOffset']);

/** The partition of a `[Consumer][stream][topic][OptPart]` body; undefined when unset or unreadable. */
export function partitionOfRequest(bytes: Uint8Array): number | undefined {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = HEADER_SIZE + 1; // the consumer kind
  for (let i = 0; i < 3; i += 1) {
    // Identifier: [kind u8][length u8][value]
    if (at + 2 > view.length) return undefined;
    at += 2 + view.readUInt8(at + 1);
  }
  if (at + 5 > view.length || view.readUInt8(at) !== 1) return undefined;
  return view.readUInt32LE(at + 1);
}

interface Decision {
  keep: boolean;
  name: string;
}

export class GroupActionRecorder {
  readonly #capacity: number;
  readonly #frames: LabFrame[] = [];
  readonly #unsubscribers: Array<() => void> = [];
  /** Per connection: the decision about its latest request (one request in flight per connection). */
  readonly #lastRequest = new Map<string, { request: bigint; decision: Decision }>();
  readonly #seenPerPartition = new Set<string>();
  readonly #attached = new Set<string>();
  #seq = 0;
  #notShown = 0;
  #stopped = false;

  constructor(capacity: number = FRAMES_PER_ACTION) {
    this.#capacity = capacity;
  }

  /** Listens to a connection until `stop()`; attaching the same connection twice is a no-op. */
  attach(connection: string, tap: FrameTap): void {
    if (this.#stopped || this.#attached.has(connection)) return;
    this.#attached.add(connection);
    this.#unsubscribers.push(tap.onFrame((frame) => this.#record(connection, frame)));
  }

  stop(): FrameRecording {
    this.#stopped = true;
    for (const unsubscribe of this.#unsubscribers.splice(0)) unsubscribe();
    return { frames: [...this.#frames], framesDropped: this.#notShown };
  }

  #record(connection: string, frame: FrameEvent): void {
    this.#seq += 1;
    const previous = this.#lastRequest.get(connection);
    const summary = summarizeLabFrame(
      connection,
      frame,
      this.#seq,
      previous ? { request: previous.request, name: previous.decision.name } : undefined,
    );
    let keep = true;
    if (summary.kind === 'request') {
      const decision = this.#decide(connection, summary.command, frame);
      this.#lastRequest.set(connection, { request: frame.request, decision });
      keep = decision.keep;
      summary.command = decision.name;
    } else if (summary.kind === 'reply') {
      // A reply to a request sent before this recording began belongs to no frame shown here.
      const answered = previous !== undefined && previous.request === frame.request;
      keep = answered && previous.decision.keep;
      if (answered) summary.command = previous.decision.name;
    }
    if (keep && this.#frames.length < this.#capacity) this.#frames.push(summary);
    else this.#notShown += 1;
  }

  #decide(connection: string, command: string, frame: FrameEvent): Decision {
    if (!PER_PARTITION.has(command)) return { keep: true, name: command };
    const partition = partitionOfRequest(frame.bytes);
    if (partition === undefined) return { keep: true, name: command };
    const key = `${connection}|${command}|${partition}`;
    const first = !this.#seenPerPartition.has(key);
    this.#seenPerPartition.add(key);
    return { keep: first, name: `${command} (partition ${partition})` };
  }
}
