// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from '@/app/_components/api/client';
import { PolledResource } from '@/app/_components/api/polled-resource';

const INTERVAL = 1_000;

/** A fetcher whose answers the test hands out one by one. */
function scriptedFetcher<T>() {
  const pending: { resolve(value: T): void; reject(error: unknown): void }[] = [];
  const fetcher = vi.fn(() => new Promise<T>((resolve, reject) => pending.push({ resolve, reject })));
  return { fetcher, pending };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('PolledResource', () => {
  it('fetches when the first reader subscribes, one request for every reader, and polls after each answer', async () => {
    const { fetcher, pending } = scriptedFetcher<number>();
    const resource = new PolledResource(fetcher, INTERVAL);
    const seen: (number | undefined)[] = [];
    const stopA = resource.subscribe(() => seen.push(resource.getSnapshot().data));
    const stopB = resource.subscribe(() => {});
    expect(fetcher).toHaveBeenCalledTimes(1);

    pending[0]!.resolve(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(resource.getSnapshot()).toEqual({ data: 1, error: undefined });
    expect(seen).toEqual([1]);

    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(fetcher).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetcher).toHaveBeenCalledTimes(2);

    stopA();
    stopB();
    pending[1]!.resolve(2);
    await vi.advanceTimersByTimeAsync(INTERVAL * 5);
    expect(fetcher).toHaveBeenCalledTimes(2); // nobody reads it any more: no more polling
  });

  it('keeps the last data through an error and keeps polling at the same pace, so recovery shows', async () => {
    const { fetcher, pending } = scriptedFetcher<string>();
    const resource = new PolledResource(fetcher, INTERVAL);
    resource.subscribe(() => {});
    pending[0]!.resolve('ok');
    await vi.advanceTimersByTimeAsync(INTERVAL);
    pending[1]!.reject(new ApiRequestError('NETWORK', 'down', 0));
    await vi.advanceTimersByTimeAsync(0);
    expect(resource.getSnapshot().data).toBe('ok');
    expect(resource.getSnapshot().error?.code).toBe('NETWORK');

    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(fetcher).toHaveBeenCalledTimes(3);
    pending[2]!.resolve('back');
    await vi.advanceTimersByTimeAsync(0);
    expect(resource.getSnapshot()).toEqual({ data: 'back', error: undefined });
  });

  it('an unexpected failure becomes a typed error, not an exception', async () => {
    const { fetcher, pending } = scriptedFetcher<string>();
    const resource = new PolledResource(fetcher, INTERVAL);
    resource.subscribe(() => {});
    pending[0]!.reject(new TypeError('boom'));
    await vi.advanceTimersByTimeAsync(0);
    expect(resource.getSnapshot().error).toBeInstanceOf(ApiRequestError);
  });

  it('a local write wins over the answer to a request already on its way', async () => {
    const { fetcher, pending } = scriptedFetcher<number>();
    const resource = new PolledResource(fetcher, INTERVAL);
    resource.subscribe(() => {});
    resource.set(7);
    pending[0]!.resolve(1); // stale: it left before the write
    await vi.advanceTimersByTimeAsync(0);
    expect(resource.getSnapshot().data).toBe(7);
    resource.set((n) => (n ?? 0) + 1);
    expect(resource.getSnapshot().data).toBe(8);
  });

  it('revalidate during a request asks once more right after it, not twice at once', async () => {
    const { fetcher, pending } = scriptedFetcher<number>();
    const resource = new PolledResource(fetcher, INTERVAL);
    resource.subscribe(() => {});
    void resource.revalidate();
    void resource.revalidate();
    expect(fetcher).toHaveBeenCalledTimes(1);
    pending[0]!.resolve(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetcher).toHaveBeenCalledTimes(2);
    pending[1]!.resolve(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(resource.getSnapshot().data).toBe(2);
  });

  it('does not poll while the tab is hidden and refreshes at once when it is shown', async () => {
    const { fetcher, pending } = scriptedFetcher<number>();
    const resource = new PolledResource(fetcher, INTERVAL);
    resource.subscribe(() => {});
    const hidden = vi.spyOn(document, 'hidden', 'get').mockReturnValue(true);
    pending[0]!.resolve(1);
    await vi.advanceTimersByTimeAsync(INTERVAL * 5);
    expect(fetcher).toHaveBeenCalledTimes(1);

    hidden.mockReturnValue(false);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(fetcher).toHaveBeenCalledTimes(2);
    hidden.mockRestore();
  });
});
