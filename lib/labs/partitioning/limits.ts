/** Plain numbers, no zod: the route's schemas and the page's inputs share them. */

export const PARTITIONING_LIMITS = {
  partitionsMin: 1,
  partitionsMax: 8,
  sendCountMax: 20,
  keyMaxChars: 64,
  /** Messages the lab remembers per partition for its lanes. */
  laneCapacity: 60,
} as const;
