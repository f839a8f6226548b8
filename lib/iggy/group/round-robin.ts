/** Which owned partition to poll next, and assignment comparisons. */

/**
 * The partition after `lastPolled` in the server's order, wrapping around; the first one when `lastPolled` is no
 * longer owned. Continuing from the last partition (rather than from an index) keeps the rotation fair when the
 * assignment changes under it.
 */
export function nextPartition(
  partitions: readonly number[],
  lastPolled: number | undefined,
): number | undefined {
  if (partitions.length === 0) return undefined;
  const index = lastPolled === undefined ? -1 : partitions.indexOf(lastPolled);
  return partitions[(index + 1) % partitions.length];
}

/** Same partitions in any order (the server may list them unsorted, e.g. `[3, 2]`). */
export function samePartitionSet(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((p) => set.has(p));
}
