/** Plain numbers, no zod: the lab pages import these for their inputs without pulling in the schemas. */

/** Bounds every lab route enforces; the pages use the same numbers for their inputs. */
export const LAB_LIMITS = {
  pollingMessages: 20,
  pollCountMax: 100,
  consumerNameMaxChars: 32,
  partitionsMin: 1,
  partitionsMax: 8,
  sendCountMax: 20,
  keyMaxChars: 64,
  /** Messages the partitioning lab remembers per partition for its lanes. */
  laneCapacity: 60,
  /** Frames kept per action; the rest are counted, not kept. */
  framesPerAction: 80,
} as const;
