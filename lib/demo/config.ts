import { z } from 'zod';
import { parseIggyUrl, type Durability, type IggyUrl } from '@/lib/iggy';
import { MAX_RATE_PER_SEC, MIN_RATE_PER_SEC } from './limits';

/** Everything the demo reads from the environment, validated once at start. */
export interface DemoConfig {
  /** Parsed connection target; holds the password, so it never leaves the server. */
  iggy: IggyUrl;
  /** host:port, safe to show anywhere. */
  address: string;
  streamName: string;
  topicName: string;
  consumerName: string;
  producerRatePerSec: number;
  partitionsCount: number;
  /**
   * Asked for at topic creation (released Iggy 0.9.0 topic option `durability`); undefined = send no option and
   * get the server's default (`replicated`: acknowledged before it is on disk).
   */
  topicDurability?: Durability;
}

export const DEFAULT_IGGY_URL = 'iggy://iggy:iggy@127.0.0.1:8090';
export { MIN_RATE_PER_SEC, MAX_RATE_PER_SEC };
export const MAX_PARTITIONS = 64;

/** Thrown when an environment variable is missing its mark; the message lists every problem, never a password. */
const DEMO_CONFIG_ERROR_BRAND: unique symbol = Symbol.for('iggy-demo.DemoConfigError');

export class DemoConfigError extends Error {
  readonly [DEMO_CONFIG_ERROR_BRAND] = true;
  readonly code = 'CONFIG_INVALID';

  /** `instanceof` that also recognises instances from another bundle's copy of this module. */
  static is(error: unknown): error is DemoConfigError {
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as { [DEMO_CONFIG_ERROR_BRAND]?: unknown })[DEMO_CONFIG_ERROR_BRAND] === true
    );
  }

  constructor(readonly problems: string[]) {
    super(`Invalid demo configuration: ${problems.join('; ')}`);
    this.name = 'DemoConfigError';
  }
}

const utf8Length = (value: string) => Buffer.byteLength(value, 'utf8');

// Iggy names are 1..255 UTF-8 bytes on the wire; control characters would only confuse logs and the UI.
const nameSchema = (variable: string, fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((v) => utf8Length(v) >= 1 && utf8Length(v) <= 255, `${variable} must be 1 to 255 UTF-8 bytes`)
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), `${variable} must not contain control characters`);

const numberFromEnv = (variable: string, fallback: number) =>
  z
    .string()
    .trim()
    .default(String(fallback))
    .transform((v, ctx) => {
      // Number('') is 0 and Number(' 1e3 ') is 1000: insist on a plain decimal so typos fail loudly.
      if (!/^\d+(\.\d+)?$/.test(v)) {
        ctx.addIssue({
          code: 'custom',
          message: `${variable} must be a plain decimal number, got ${JSON.stringify(v.slice(0, 32))}`,
        });
        return z.NEVER;
      }
      return Number(v);
    });

const envSchema = z.object({
  IGGY_URL: z.string().trim().default(DEFAULT_IGGY_URL),
  IGGY_STREAM: nameSchema('IGGY_STREAM', 'demo-stream'),
  IGGY_TOPIC: nameSchema('IGGY_TOPIC', 'demo-topic'),
  IGGY_CONSUMER: nameSchema('IGGY_CONSUMER', 'demo-consumer'),
  PRODUCER_RATE: numberFromEnv('PRODUCER_RATE', 1).refine(
    (v) => v >= MIN_RATE_PER_SEC && v <= MAX_RATE_PER_SEC,
    `PRODUCER_RATE must be between ${MIN_RATE_PER_SEC} and ${MAX_RATE_PER_SEC} messages per second`,
  ),
  IGGY_PARTITIONS: numberFromEnv('IGGY_PARTITIONS', 1).refine(
    (v) => Number.isInteger(v) && v >= 1 && v <= MAX_PARTITIONS,
    `IGGY_PARTITIONS must be a whole number from 1 to ${MAX_PARTITIONS}`,
  ),
  IGGY_TOPIC_DURABILITY: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .refine(
      (v) => v === undefined || v === 'replicated' || v === 'persisted',
      "IGGY_TOPIC_DURABILITY must be 'replicated' or 'persisted' (or unset for the server's default)",
    )
    .transform((v) => v as Durability | undefined),
});

type EnvInput = Record<string, string | undefined>;

/** Empty strings count as unset, so `IGGY_STREAM=` in a .env file means "use the default". */
function withoutEmpty(env: EnvInput): EnvInput {
  const out: EnvInput = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') out[key] = value;
  }
  return out;
}

/**
 * Reads the demo settings. Pass an object instead of process.env in tests so that parallel tests
 * never share or mutate global state.
 */
export function loadDemoConfig(env: EnvInput = process.env): DemoConfig {
  const parsed = envSchema.safeParse(withoutEmpty(env));
  const problems: string[] = [];
  let iggy: IggyUrl | undefined;
  const rawUrl = parsed.success ? parsed.data.IGGY_URL : (withoutEmpty(env).IGGY_URL ?? DEFAULT_IGGY_URL);
  try {
    iggy = parseIggyUrl(rawUrl);
  } catch (error) {
    // parseIggyUrl promises not to echo the password; keep only its message, never the input.
    problems.push(`IGGY_URL: ${error instanceof Error ? error.message : 'not a valid iggy:// URL'}`);
  }
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(issue.message);
  }
  if (problems.length > 0 || !parsed.success || !iggy) throw new DemoConfigError(problems);
  return {
    iggy,
    address: iggy.address,
    streamName: parsed.data.IGGY_STREAM,
    topicName: parsed.data.IGGY_TOPIC,
    consumerName: parsed.data.IGGY_CONSUMER,
    producerRatePerSec: parsed.data.PRODUCER_RATE,
    partitionsCount: parsed.data.IGGY_PARTITIONS,
    ...(parsed.data.IGGY_TOPIC_DURABILITY ? { topicDurability: parsed.data.IGGY_TOPIC_DURABILITY } : {}),
  };
}
