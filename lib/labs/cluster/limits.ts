/** Plain numbers, no zod: the route's schemas and the page's inputs share them. */

export const CLUSTER_LIMITS = {
  /** Messages one Send may ask for. */
  sendCountMax: 20,
  /** Acknowledged offsets the ledger keeps (the oldest are dropped, and counted, past this). */
  ledgerMax: 1_000,
  /** Messages one side of "Read on a follower vs the primary" may ask for. */
  readCountMax: 20,
  /** Plain (not cluster-aware) connections to single nodes the lab keeps at once. */
  nodeConnectionsMax: 4,
} as const;
