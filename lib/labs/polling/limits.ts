/** Plain numbers, no zod: the route's schemas and the page's inputs share them. */

export const POLLING_LIMITS = {
  /** Messages a Fill sends. */
  pollingMessages: 20,
  pollCountMax: 100,
  consumerNameMaxChars: 32,
} as const;

/** A consumer name's characters: a letter or digit first, then letters, digits, ".", "_" and "-". */
export const CONSUMER_NAME_CHARS = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** What the route's consumer schema accepts, for the page to check as the reader types. */
export function isConsumerName(name: string): boolean {
  return CONSUMER_NAME_CHARS.test(name) && name.length <= POLLING_LIMITS.consumerNameMaxChars;
}
