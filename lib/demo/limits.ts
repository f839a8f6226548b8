/** Producer rate bounds shared by the env config, the pacer and the HTTP schemas. */
export const MIN_RATE_PER_SEC = 0.1;
export const MAX_RATE_PER_SEC = 1000;
