/**
 * The explorer's HTTP contract: what each /api/explore route accepts (zod) and answers (types). Pages
 * import the types with `import type` only, so zod stays out of the browser bundle.
 */
import { z } from 'zod';
import type { LabCli, LabFrame } from '@/lib/labs/contract';
import { USER_HEADER_KINDS } from '@/lib/iggy';
import { EXPLORER_LIMITS } from './limits';

export type { LabCli as ExplorerCli, LabFrame as ExplorerFrame };

const U64_MAX = (1n << 64n) - 1n;
const U32_MAX = 0xffff_ffff;

/** A stream or topic name: 1..255 UTF-8 bytes, no control characters (names, never numeric ids). */
export const nameSchema = z
  .string()
  .refine((s) => {
    const n = Buffer.byteLength(s, 'utf8');
    return n >= 1 && n <= 255;
  }, 'must be 1 to 255 UTF-8 bytes')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

/** A u64 as a decimal string (offsets, timestamps in µs). */
export const u64Schema = z
  .string()
  .regex(/^\d{1,20}$/, 'must be a decimal string of digits')
  // Refinements run even when the regex failed: check the digits again before BigInt sees them.
  .refine((s) => /^\d{1,20}$/.test(s) && BigInt(s) <= U64_MAX, 'must fit in a u64');

const u32String = z
  .string()
  .regex(/^\d{1,10}$/, 'must be a decimal string of digits')
  .refine((s) => Number(s) <= U32_MAX, 'must fit in a u32');

const countString = z
  .string()
  .regex(/^\d{1,4}$/, 'must be a whole number')
  .refine(
    (s) => Number(s) >= 1 && Number(s) <= EXPLORER_LIMITS.maxCount,
    `must be 1 to ${EXPLORER_LIMITS.maxCount}`,
  );

const consumerName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores');

export const topicQuerySchema = z.object({ stream: nameSchema, topic: nameSchema }).strict();

export const messagesQuerySchema = z
  .object({
    stream: nameSchema,
    topic: nameSchema,
    partition: u32String,
    seek: z.enum(['offset', 'timestamp', 'first', 'last']),
    value: u64Schema.optional(),
    count: countString.optional(),
  })
  .strict()
  .refine((q) => (q.seek === 'offset' || q.seek === 'timestamp') === (q.value !== undefined), {
    message: 'value is required for seek=offset and seek=timestamp, and refused otherwise',
    path: ['value'],
  });
export type MessagesQuery = z.infer<typeof messagesQuerySchema>;

export const consumersQuerySchema = z
  .object({ stream: nameSchema, topic: nameSchema, consumer: consumerName.optional() })
  .strict();

export const lagQuerySchema = z
  .object({ stream: nameSchema, topic: nameSchema, kind: z.enum(['consumer', 'group']), name: consumerName })
  .strict();
export type LagQuery = z.infer<typeof lagQuerySchema>;

export const headerSchema = z
  .object({ key: z.string(), kind: z.enum(USER_HEADER_KINDS as [string, ...string[]]), value: z.string() })
  .strict();
export type HeaderInput = z.infer<typeof headerSchema>;

export const sendBodySchema = z
  .object({
    stream: nameSchema,
    topic: nameSchema,
    partitioning: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('balanced') }).strict(),
      z
        .object({ kind: z.literal('partitionId'), partitionId: z.number().int().min(0).max(U32_MAX) })
        .strict(),
      z
        .object({
          kind: z.literal('messagesKey'),
          key: z.string().refine((s) => {
            const n = Buffer.byteLength(s, 'utf8');
            return n >= 1 && n <= 255;
          }, 'must be 1 to 255 UTF-8 bytes'),
        })
        .strict(),
    ]),
    payload: z
      .object({ encoding: z.enum(['text', 'json', 'base64']), data: z.string().min(1, 'must not be empty') })
      .strict(),
    headers: z.array(headerSchema).max(EXPLORER_LIMITS.maxSendHeaders).default([]),
  })
  .strict();
export type SendBody = z.infer<typeof sendBodySchema>;

// ---- answers -------------------------------------------------------------------------------------------

/** What every view answers besides its data: the frames it cost and the CLI line, where one exists. */
export interface ExplorerCost {
  frames: LabFrame[];
  framesDropped: number;
  cli?: LabCli;
}

export interface ExplorerOption {
  key: string;
  kind: string;
  /** As text: numbers and bigints in decimal, raw bytes in hex; null = no value. */
  value: string | null;
  /** true: given when the topic was created; false: the server's default. */
  explicit: boolean;
}

export interface ExplorerTopic {
  id: number;
  name: string;
  createdAtMicros: string;
  partitionsCount: number;
  sizeBytes: string;
  messagesCount: string;
  options: ExplorerOption[];
}

export interface ExplorerStream {
  id: number;
  name: string;
  createdAtMicros: string;
  topicsCount: number;
  sizeBytes: string;
  messagesCount: string;
  topics: ExplorerTopic[];
  /** Topics past EXPLORER_LIMITS.maxTopicsPerStream, not listed. */
  topicsNotShown: number;
}

export interface ExplorerTree extends ExplorerCost {
  address: string;
  streams: ExplorerStream[];
  streamsNotShown: number;
}

export interface ExplorerPartition {
  id: number;
  createdAtMicros: string;
  segmentsCount: number;
  currentOffset: string;
  sizeBytes: string;
  messagesCount: string;
}

export interface ExplorerCatalogEntry {
  key: string;
  kind: string;
  defaultValue: string | null;
  description: string;
}

export interface ExplorerTopicDetails extends ExplorerCost {
  stream: string;
  topic: ExplorerTopic;
  partitions: ExplorerPartition[];
  /** The server's option catalog (DescribeOptions), for the defaults and their meaning. */
  catalog: ExplorerCatalogEntry[];
}

export interface ExplorerHeader {
  key: string;
  kind: string;
  /** bigints and numbers in decimal, bools as true/false, raw bytes in hex. */
  value: string;
}

export interface ExplorerMessage {
  offset: string;
  id: string;
  checksum: string;
  timestampMicros: string;
  originTimestampMicros: string;
  payloadBytes: number;
  /** At most EXPLORER_LIMITS.previewBytes of the payload, base64. */
  payloadBase64: string;
  payloadTruncated: boolean;
  headersBytes: number;
  /** null when the header bytes do not decode (headersError says why; headersHex holds them). */
  headers: ExplorerHeader[] | null;
  headersError?: string;
  headersHex?: string;
}

export interface ExplorerMessages extends ExplorerCost {
  partitionId: number;
  /** The partition's newest offset at poll time; its message count tells whether offset 0 exists. */
  currentOffset: string;
  partitionMessagesCount: string;
  requestedCount: number;
  /** The count actually polled: smaller when big messages would pass EXPLORER_LIMITS.pageBudgetBytes. */
  polledCount: number;
  messages: ExplorerMessage[];
}

export interface ExplorerSent extends ExplorerCost {
  stream: string;
  topic: string;
  partitionId: number | null;
  /** null when the server acknowledged without confirmations (a deduplicated request). */
  offset: string | null;
  payloadBytes: number;
}

export interface ExplorerPartitionLag {
  partitionId: number;
  currentOffset: string;
  storedOffset: string | null;
  lag: string;
}

export interface ExplorerGroup {
  id: number;
  name: string;
  partitionsCount: number;
  membersCount: number;
  members: { id: number; partitions: number[] }[];
  offsets: ExplorerPartitionLag[];
  totalLag: string;
}

export interface ExplorerConsumer {
  name: string;
  /** Where the app knows it from. */
  source: 'demo' | 'asked';
  offsets: ExplorerPartitionLag[];
  totalLag: string;
}

export interface ExplorerConsumers extends ExplorerCost {
  stream: string;
  topic: string;
  groups: ExplorerGroup[];
  groupsNotShown: number;
  consumers: ExplorerConsumer[];
  /** Partitions past EXPLORER_LIMITS.maxLagPartitions, whose offsets were not read. */
  partitionsNotRead: number;
}

export interface ExplorerLagPoint {
  atMs: number;
  /** null: the sample failed (server unreachable, topic gone). */
  lag: string | null;
}

export interface ExplorerLagSeries {
  kind: 'consumer' | 'group';
  name: string;
  intervalMs: number;
  windowMs: number;
  points: ExplorerLagPoint[];
}
