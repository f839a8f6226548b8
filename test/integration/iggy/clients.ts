/** Client factory for the integration suites: every client made here is closed after each test. */
import { afterEach } from 'vitest';
import { IggyClient, type IggyClientOptions } from '@/lib/iggy';

const open = new Set<IggyClient>();

afterEach(async () => {
  await Promise.all([...open].map((c) => c.close()));
  open.clear();
});

export function makeClient(url: string, options: Partial<IggyClientOptions> = {}): IggyClient {
  const client = IggyClient.fromUrl(url, { requestTimeoutMs: 5_000, connectTimeoutMs: 3_000, ...options });
  open.add(client);
  return client;
}

export async function connectedClient(
  url: string,
  options: Partial<IggyClientOptions> = {},
): Promise<IggyClient> {
  const client = makeClient(url, options);
  await client.connect();
  return client;
}

/** Resolves when `predicate` holds, polling every 20 ms; rejects after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The rejection of a promise that must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected the promise to reject');
}
