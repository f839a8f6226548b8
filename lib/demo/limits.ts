/** Producer rate bounds shared by the env config, the pacer and the HTTP schemas. */
export const MIN_RATE_PER_SEC = 0.1;
export const MAX_RATE_PER_SEC = 1000;

/**
 * Consumer poll interval bounds, shared by the env config, the loop and the HTTP schema. 500 ms is the original
 * design (about 250 ms of added latency on average); 50 ms trades more polls for lower latency; 2 s is for
 * watching slowly.
 */
export const MIN_POLL_INTERVAL_MS = 50;
export const MAX_POLL_INTERVAL_MS = 2000;
export const DEFAULT_POLL_INTERVAL_MS = 500;

/** Retry backoff of the producer and consumer loops after a failure: 250 ms, 500 ms, 1 s … capped at 5 s. */
export const RETRY_INITIAL_DELAY_MS = 250;
export const RETRY_MAX_DELAY_MS = 5000;
