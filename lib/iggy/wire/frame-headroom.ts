/**
 * Lets a body encoder leave room for the 256-byte request header in front of the body, so the
 * frame encoder can write the header in place instead of allocating a second buffer of the full
 * frame size and copying the body into it. For a 1000 × 1 KB batch that copy (a fresh 1 MB,
 * zero-filled, then memcpy) cost as much as hashing every message (docs/performance.md).
 *
 * The headroom is single use: the first frame built from a body takes it, a later frame built
 * from the same body (a retry after a reconnect) gets an ordinary copy, so two frames never share
 * header bytes while a socket may still be writing the first.
 */
import { HEADER_SIZE } from './constants';

const headroom = new WeakSet<Uint8Array>();

/** A `length`-byte body (contents not initialised) with HEADER_SIZE bytes reserved just in front. */
export function allocBodyWithHeadroom(length: number): Buffer {
  const body = Buffer.allocUnsafe(HEADER_SIZE + length).subarray(HEADER_SIZE);
  headroom.add(body);
  return body;
}

/** The whole frame (header bytes not initialised) over `body`'s headroom, once; otherwise undefined. */
export function takeFrameHeadroom(body: Uint8Array): Buffer | undefined {
  if (!headroom.delete(body)) return undefined;
  return Buffer.from(body.buffer, body.byteOffset - HEADER_SIZE, HEADER_SIZE + body.length);
}
