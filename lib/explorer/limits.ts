/**
 * Every bound the explorer keeps (docs/explore-your-server.md#limits): what one request may ask for,
 * what the app holds for it, and how many Iggy connections it opens.
 */
export const EXPLORER_LIMITS = {
  /** Messages per browser page (a poll's count), and the default page. */
  maxCount: 1000,
  defaultCount: 20,
  /** A page is shrunk so that (average message size × count) stays under this many bytes. */
  pageBudgetBytes: 4 * 1024 * 1024,
  /** The explorer's connections refuse any reply frame bigger than this. */
  maxFrameBytes: 16 * 1024 * 1024,
  /** Payload bytes sent to the browser per message; the full size is reported beside them. */
  previewBytes: 4096,
  /** A sent message's payload, in bytes after decoding. */
  maxSendPayloadBytes: 8192,
  /** User headers on a sent message. */
  maxSendHeaders: 16,
  /** Sends: a token bucket shared by every caller of this app. */
  sendBurst: 10,
  sendRefillPerSecond: 1,
  /** Streams and topics listed in the tree; consumer groups and partitions read for lag. */
  maxStreams: 100,
  maxTopicsPerStream: 200,
  maxGroups: 20,
  maxLagPartitions: 64,
  /** Frames listed per view (more are counted). */
  framesPerView: 200,
  /** Requests waiting for one connection; more are refused as busy. */
  maxQueued: 8,
  /** Connections close after this long without a request. */
  idleMs: 2 * 60_000,
  /** Lag history: one sample per interval, a fixed ring per series covering the window. */
  lagIntervalMs: 5_000,
  lagWindowMs: 15 * 60_000,
  maxLagSeries: 16,
  /** A series nobody asked about for this long is dropped; the sampler stops with the last one. */
  lagUnwatchedMs: 2 * 60_000,
} as const;

/** The consumer every browse poll names. Polls never auto-commit, so nothing is ever stored under it. */
export const BROWSE_CONSUMER = 'iggy-demo-explorer-never-commits';
