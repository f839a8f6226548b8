import { xxh3, xxh32 } from '@node-rs/xxhash';

/** XXH3-64 with seed 0 (not XXH64): the protocol's checksum for request bodies, frames and batches. */
export function checksum64(data: Uint8Array): bigint {
  return xxh3.xxh64(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

/** xxHash32 seed 0: how the server maps a messages key or a string consumer id to a u32. */
export function hash32(data: Uint8Array): number {
  return xxh32(Buffer.from(data.buffer, data.byteOffset, data.byteLength), 0);
}
