/**
 * The demo's HTTP contract, in one module: what each route accepts (zod schemas, with the types inferred from
 * them) and what it answers (the runtime's own types). Route handlers import the schemas; the page imports the
 * types with `import type` only, so none of this (zod included) reaches the browser bundle.
 *
 * Cursor: `seq`, a per-run message number assigned by the consumer loop, is the cursor of
 * `GET /api/messages?after=` and the SSE event id; `run` (the `runId` of the answer that produced the cursor)
 * qualifies it, because numbering starts again at 1 when the app restarts.
 */
import { z } from 'zod';
import { MAX_RATE_PER_SEC, MIN_RATE_PER_SEC } from '@/lib/demo/limits';
import type { WireConnection, WireFrameKind, WireFrameSummary } from '@/lib/demo/wire-log';
import type { ConsumerStatus, ProducerStatus } from '@/lib/demo/types';

export type {
  ConsumerPartitionOffset,
  ConsumerStatus,
  DemoMessage,
  DemoStatus,
  ErrorInfo,
  IggyConnectionState,
  IggyStatus,
  MessagesResponse,
  PartitionReset,
  ProducerStatus,
  ThroughputPoint,
  ThroughputSnapshot,
  Topology,
  TopologyPartition,
} from '@/lib/demo/types';
export type { WireConnection, WireFrameKind, WireFrameSummary };

// ---- requests -------------------------------------------------------------------------------------------

export const DEFAULT_MESSAGES_LIMIT = 100;
export const MAX_MESSAGES_LIMIT = 1000;

const ratePerSec = z
  .number({ error: 'ratePerSec must be a number' })
  .finite('ratePerSec must be a finite number')
  .min(MIN_RATE_PER_SEC, `ratePerSec must be at least ${MIN_RATE_PER_SEC}`)
  .max(MAX_RATE_PER_SEC, `ratePerSec must be at most ${MAX_RATE_PER_SEC}`);

/** `POST /api/producer` */
export const producerRequestSchema = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('start'), ratePerSec: ratePerSec.optional() }).strict(),
    z.object({ action: z.literal('stop') }).strict(),
    z.object({ action: z.literal('rate'), ratePerSec }).strict(),
  ],
  { error: 'action must be one of "start", "stop" or "rate"' },
);
export type ProducerRequest = z.infer<typeof producerRequestSchema>;

/** `POST /api/consumer` */
export const consumerRequestSchema = z.discriminatedUnion(
  'action',
  [z.object({ action: z.literal('start') }).strict(), z.object({ action: z.literal('stop') }).strict()],
  { error: 'action must be "start" or "stop"' },
);
export type ConsumerRequest = z.infer<typeof consumerRequestSchema>;

/** A `seq` as text: 15 digits stay below 2^53, so the number is exact. */
export const SEQ_PATTERN = /^\d{1,15}$/;
const seqParam = z
  .string()
  .regex(SEQ_PATTERN, 'after must be a message seq: a whole number from 0')
  .transform(Number);

/** A run id as the API hands it out (a UUID), with room for test-chosen ids. */
const runParam = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'run must be a run id from an earlier answer');

/** `GET /api/messages?after=<seq>&run=<runId>&limit=<n>` */
export const messagesQuerySchema = z
  .object({
    after: seqParam.optional(),
    run: runParam.optional(),
    limit: z
      .string()
      .regex(/^\d{1,4}$/, `limit must be a whole number from 1 to ${MAX_MESSAGES_LIMIT}`)
      .transform(Number)
      .refine(
        (v) => v >= 1 && v <= MAX_MESSAGES_LIMIT,
        `limit must be a whole number from 1 to ${MAX_MESSAGES_LIMIT}`,
      )
      .optional(),
  })
  .strict();
export type MessagesRequestQuery = z.infer<typeof messagesQuerySchema>;

/** `GET /api/events?after=<seq>&run=<runId>` (a `Last-Event-ID` header, when sent, replaces `after`). */
export const eventsQuerySchema = z.object({ after: seqParam.optional(), run: runParam.optional() }).strict();
export type EventsRequestQuery = z.infer<typeof eventsQuerySchema>;

/** `GET /api/frames?after=<frame seq>` */
export const framesQuerySchema = z
  .object({
    after: z
      .string()
      .regex(/^\d{1,15}$/, 'after must be a frame sequence number: a whole number from 0')
      .transform(Number)
      .optional(),
  })
  .strict();

// ---- responses (besides the runtime's types re-exported above) -----------------------------------------

/** `POST /api/producer`, `GET /api/producer` */
export interface ProducerResponse {
  producer: ProducerStatus;
}

/** `POST /api/consumer`, `GET /api/consumer` */
export interface ConsumerResponse {
  consumer: ConsumerStatus;
}

/** `GET /api/frames`; latestSeq lets a poller notice a restarted server (frame numbering starts again at 1). */
export interface FramesResponse {
  frames: WireFrameSummary[];
  latestSeq: number;
}

/** Every 4xx/5xx answer. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** The request body each POST route accepts, by path: what the page's useAction is typed with. */
export interface ActionRequests {
  '/api/producer': ProducerRequest;
  '/api/consumer': ConsumerRequest;
}

/** And what each answers with on success. */
export interface ActionResponses {
  '/api/producer': ProducerResponse;
  '/api/consumer': ConsumerResponse;
}
