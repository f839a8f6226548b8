/** Producer rate bounds shared by the env config, the pacer and the HTTP schemas. */
export const MIN_RATE_PER_SEC = 0.1;
export const MAX_RATE_PER_SEC = 1000;

/** Retry backoff of the producer and consumer loops after a failure: 250 ms, 500 ms, 1 s … capped at 5 s. */
export const RETRY_INITIAL_DELAY_MS = 250;
export const RETRY_MAX_DELAY_MS = 5000;
