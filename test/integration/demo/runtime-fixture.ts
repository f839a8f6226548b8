import { uniqueName, type IggyTarget } from '@/test/support/harness';
import { loadDemoConfig, type DemoConfig } from '@/lib/demo/config';
import { DemoRuntime } from '@/lib/demo/runtime';
import type { DemoMessage } from '@/lib/demo/types';

/** A config of its own per test (unique stream/topic/consumer names), so tests run in parallel and on a shared real server. */
export function testConfig(target: IggyTarget, overrides: Record<string, string> = {}): DemoConfig {
  return loadDemoConfig({
    IGGY_URL: target.url,
    IGGY_STREAM: uniqueName('demo-stream'),
    IGGY_TOPIC: uniqueName('demo-topic'),
    IGGY_CONSUMER: uniqueName('demo-consumer'),
    ...overrides,
  });
}

export interface TestRuntime {
  runtime: DemoRuntime;
  /** Every message event in arrival order (not bounded like the timeline buffer). */
  received: DemoMessage[];
}

export function startRuntime(
  config: DemoConfig,
  options: { pollIntervalMs?: number; failoverDeadlineMs?: number } = {},
): TestRuntime {
  const runtime = new DemoRuntime(config, {
    consumerPollIntervalMs: options.pollIntervalMs ?? 100,
    clientOptions: {
      connectTimeoutMs: 2000,
      requestTimeoutMs: 3000,
      reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
      ...(options.failoverDeadlineMs === undefined
        ? {}
        : { cluster: { failoverDeadlineMs: options.failoverDeadlineMs } }),
    },
  });
  const received: DemoMessage[] = [];
  runtime.subscribe((event) => {
    if (event.type === 'message') received.push(event.message);
  });
  runtime.start();
  return { runtime, received };
}

/** Polls `check` until it returns true; fails with `what` after timeoutMs. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const payloadId = (message: DemoMessage): number => (message.payload as { id: number }).id;

export function expectConsecutive(values: bigint[] | number[], first?: bigint | number): string | null {
  for (let i = 1; i < values.length; i += 1) {
    const prev = BigInt(values[i - 1]!);
    const cur = BigInt(values[i]!);
    if (cur !== prev + 1n) return `value ${cur} follows ${prev} at index ${i}`;
  }
  if (first !== undefined && values.length > 0 && BigInt(values[0]!) !== BigInt(first))
    return `starts at ${values[0]}, expected ${first}`;
  return null;
}
