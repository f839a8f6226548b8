/**
 * Consumer lag, computed in one place on the server: the demo's consumer loop and topology, the explorer and
 * the consumer-groups lab all use it, and the pages only display what arrives.
 */

/**
 * Messages in a partition the consumer has not processed. Iggy reports current offset 0 for an empty partition
 * too, so the message count decides whether offset 0 exists; with no stored offset every message is lag.
 */
export function partitionLag(currentOffset: bigint, messagesCount: bigint, stored: bigint | null): bigint {
  if (messagesCount === 0n) return 0n;
  if (stored === null) return currentOffset + 1n;
  return currentOffset > stored ? currentOffset - stored : 0n;
}
