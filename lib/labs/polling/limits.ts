/** Plain numbers, no zod: the route's schemas and the page's inputs share them. */

export const POLLING_LIMITS = {
  /** Messages a Fill sends. */
  pollingMessages: 20,
  pollCountMax: 100,
  consumerNameMaxChars: 32,
} as const;
