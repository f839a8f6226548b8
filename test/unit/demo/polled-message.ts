import type { PolledMessage } from '@/lib/iggy';

/** A message as a poll returns it, with only its offset and server stamp mattering to the tests. */
export function polledMessage(offset: bigint, timestampMicros: bigint): PolledMessage {
  return {
    offset,
    id: offset + 1000n,
    checksum: 0n,
    partitionId: 0,
    timestampMicros,
    originTimestampMicros: timestampMicros,
    payload: Buffer.from('{}'),
    userHeaders: Buffer.alloc(0),
  };
}
