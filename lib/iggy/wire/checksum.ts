import { xxh3 } from '@node-rs/xxhash';

/** XXH3-64 with seed 0 (not XXH64): the hash behind message, batch and request checksums. */
export function xxh3_64(data: Uint8Array): bigint {
  return xxh3.xxh64(data);
}
