/**
 * Reassembles frames from a TCP byte stream that may be chunked anywhere. A frame is a 256-byte
 * header whose u32 at offset 48 is the total frame length. A bad size poisons the decoder: the
 * stream has lost its framing and nothing after it can be trusted.
 */

import { IggyError, protocolError } from './errors';
import { DEFAULT_MAX_FRAME_BYTES, HEADER_SIZE, OFF_SIZE } from './wire/constants';

export class FrameDecoder {
  readonly maxFrameBytes: number;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #expected = 0; // size of the frame being assembled, 0 while unknown
  #framesDecoded = 0;
  #failure: IggyError | undefined;

  constructor(maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {
    if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < HEADER_SIZE) {
      throw new RangeError(`maxFrameBytes must be an integer >= ${HEADER_SIZE}`);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Feeds bytes; returns every frame completed by them, in order. Throws IggyError (protocol) on a bad size. */
  push(chunk: Uint8Array): Buffer[] {
    if (this.#failure) throw this.#failure;
    if (chunk.length > 0) {
      this.#chunks.push(
        Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length),
      );
      this.#buffered += chunk.length;
    }
    const frames: Buffer[] = [];
    for (;;) {
      if (this.#expected === 0) {
        if (this.#buffered < OFF_SIZE + 4) break;
        const size = this.#peekSize();
        if (size < HEADER_SIZE || size > this.maxFrameBytes) {
          this.#failure = protocolError(
            `frame size ${size} is outside ${HEADER_SIZE}..${this.maxFrameBytes} bytes; the byte stream is out of sync`,
          );
          this.#chunks = [];
          this.#buffered = 0;
          throw this.#failure;
        }
        this.#expected = size;
      }
      if (this.#buffered < this.#expected) break;
      frames.push(this.#take(this.#expected));
      this.#expected = 0;
      this.#framesDecoded++;
    }
    return frames;
  }

  /** Bytes of an incomplete frame still waiting for more data. */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  /** Debug text for logs and error reports: where the decoder stands, without any frame contents. */
  describe(): string {
    const state = this.#failure
      ? `failed (${this.#failure.message})`
      : this.#expected > 0
        ? `assembling a ${this.#expected}-byte frame, ${this.#buffered} bytes buffered`
        : `waiting for a header, ${this.#buffered} bytes buffered`;
    return `FrameDecoder(max ${this.maxFrameBytes} bytes, ${this.#framesDecoded} frames decoded, ${state})`;
  }

  #peekSize(): number {
    const first = this.#chunks[0]!;
    if (first.length >= OFF_SIZE + 4) return first.readUInt32LE(OFF_SIZE);
    const head = Buffer.concat(this.#chunks, OFF_SIZE + 4);
    return head.readUInt32LE(OFF_SIZE);
  }

  /** Removes exactly `count` bytes from the front, copying only when a frame spans chunks. */
  #take(count: number): Buffer {
    const first = this.#chunks[0]!;
    let out: Buffer;
    if (first.length >= count) {
      out = first.subarray(0, count);
      if (first.length === count) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(count);
    } else {
      out = Buffer.allocUnsafe(count);
      let filled = 0;
      while (filled < count) {
        const chunk = this.#chunks[0]!;
        const need = count - filled;
        if (chunk.length <= need) {
          chunk.copy(out, filled);
          filled += chunk.length;
          this.#chunks.shift();
        } else {
          chunk.copy(out, filled, 0, need);
          this.#chunks[0] = chunk.subarray(need);
          filled += need;
        }
      }
    }
    this.#buffered -= count;
    return out;
  }
}
