import { z } from 'zod';
import { MAX_RATE_PER_SEC, MIN_RATE_PER_SEC } from '@/lib/demo/limits';
import { ApiError } from './errors';

export const DEFAULT_MESSAGES_LIMIT = 100;
const U64_MAX = (1n << 64n) - 1n;

const ratePerSec = z
  .number({ error: 'ratePerSec must be a number' })
  .finite('ratePerSec must be a finite number')
  .min(MIN_RATE_PER_SEC, `ratePerSec must be at least ${MIN_RATE_PER_SEC}`)
  .max(MAX_RATE_PER_SEC, `ratePerSec must be at most ${MAX_RATE_PER_SEC}`);

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

export const consumerRequestSchema = z.discriminatedUnion(
  'action',
  [z.object({ action: z.literal('start') }).strict(), z.object({ action: z.literal('stop') }).strict()],
  { error: 'action must be "start" or "stop"' },
);
export type ConsumerRequest = z.infer<typeof consumerRequestSchema>;

const offsetParam = z
  .string()
  .regex(/^\d{1,20}$/, 'after must be an offset: a whole number from 0 to 2^64-1')
  .transform((v) => BigInt(v))
  .refine((v) => v <= U64_MAX, 'after must be at most 2^64-1');

export const messagesQuerySchema = z
  .object({
    after: offsetParam.optional(),
    limit: z
      .string()
      .regex(/^\d{1,4}$/, 'limit must be a whole number from 1 to 1000')
      .transform(Number)
      .refine((v) => v >= 1 && v <= 1000, 'limit must be a whole number from 1 to 1000')
      .optional(),
  })
  .strict();

export const eventsQuerySchema = z.object({ after: offsetParam.optional() }).strict();

/** One readable sentence out of zod's issue list (the client sees it; no internals in it). */
export function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    if (issue.code === 'unrecognized_keys')
      return `unknown field(s): ${issue.keys.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`;
    const path = issue.path.map(String).join('.');
    if (issue.code === 'invalid_type' && issue.path.length === 0) return 'the body must be a JSON object';
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return parts.join('; ');
}

/**
 * Query strings → validated values. A repeated parameter is an error rather than "first wins":
 * an ambiguous request gets a clear 400.
 */
export function parseQuery<S extends z.ZodType>(url: string, schema: S): z.infer<S> {
  const params = new URL(url).searchParams;
  const raw: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key in raw)
      throw new ApiError('BAD_REQUEST', `query parameter ${JSON.stringify(key.slice(0, 40))} is repeated`);
    raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ApiError('BAD_REQUEST', describeIssues(parsed.error));
  return parsed.data;
}
