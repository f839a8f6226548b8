// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DemoStatus, WireFrameSummary } from '@/lib/api/contract';
import { ApiRequestError } from '@/app/_components/api/client';
import { DemoDataProvider, REFRESH_INTERVAL_MS } from '@/app/_components/api/swr-config';
import { useStatus, useWriteStatus } from '@/app/_components/api/use-demo-data';
import { ProducerCard } from '@/app/_components/dashboard/producer-card';
import { ToastProvider } from '@/app/_components/toast/toast-provider';
import { useWireFrames } from '@/app/_components/wire/use-wire-frames';
// Loaded up front, so the hook's own dynamic import of it settles within the test's ticks.
import '@/app/_components/wire/wire-frames';
import { jsonResponse } from './helpers';

// The dashboard's polled resources on SWR: what the page promises (one request for every reader, a poll once a
// second, recovery within one interval, no polling while hidden, a local write beating an older answer).

const INTERVAL = REFRESH_INTERVAL_MS;

interface Call {
  url: string;
  method: string;
  body: unknown;
  answer(response: Response): void;
  fail(error: unknown): void;
}

/** A fetch whose answers the test hands out one by one. */
function scriptedFetch() {
  const calls: Call[] = [];
  const fetchMock = vi.fn(
    (input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((resolve, reject) =>
        calls.push({
          url: String(input),
          method: init?.method ?? 'GET',
          body: init?.body ? JSON.parse(String(init.body)) : undefined,
          answer: resolve,
          fail: reject,
        }),
      ),
  );
  vi.stubGlobal('fetch', fetchMock);
  const to = (url: string) => calls.filter((c) => c.url === url && c.method === 'GET');
  return { calls, to };
}

function status(sent: number, running = false): DemoStatus {
  return {
    runId: 'run-1',
    iggy: { connected: true, state: 'connected', address: '127.0.0.1:8090', standIn: false },
    producer: { running, sent, ratePerSec: 1 },
    consumer: { running: false, received: 0 },
    stream: 'demo-stream',
    topic: 'demo-topic',
    consumerName: 'demo-consumer',
    throughput: { intervalMs: 1000, points: [] },
    resets: [],
  } as DemoStatus;
}

/** Lets fetch answers and timers run: SWR resolves through promises and schedules through setTimeout. */
const tick = (ms = 0) => act(() => vi.advanceTimersByTimeAsync(ms));

function StatusReader({ name }: { name: string }) {
  const { data, error } = useStatus();
  return (
    <p data-testid={name}>
      {data ? `sent ${data.producer.sent}${data.producer.running ? ' running' : ''}` : 'none'}
      {error ? ` error ${error.code} ${error instanceof ApiRequestError}` : ''}
    </p>
  );
}

const text = (name: string) => screen.getByTestId(name).textContent;

function wrap(children: ReactNode) {
  return render(
    <DemoDataProvider>
      <ToastProvider>{children}</ToastProvider>
    </DemoDataProvider>,
  );
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('useStatus (SWR)', () => {
  it('asks once for every reader, polls once an interval after each answer, and stops when none is left', async () => {
    const { to } = scriptedFetch();
    const view = wrap(
      <>
        <StatusReader name="a" />
        <StatusReader name="b" />
      </>,
    );
    await tick();
    expect(to('/api/status')).toHaveLength(1);

    to('/api/status')[0]!.answer(jsonResponse(status(1)));
    await tick();
    expect(text('a')).toBe('sent 1');
    expect(text('b')).toBe('sent 1');

    await tick(INTERVAL - 10);
    expect(to('/api/status')).toHaveLength(1);
    await tick(10);
    expect(to('/api/status')).toHaveLength(2); // both readers' polls share one request
    to('/api/status')[1]!.answer(jsonResponse(status(2)));
    await tick();
    expect(text('b')).toBe('sent 2');

    view.unmount();
    await tick(INTERVAL * 5);
    expect(to('/api/status')).toHaveLength(2); // nobody reads it any more: no more polling
  });

  it('keeps the last data through an error and notices recovery within one interval', async () => {
    const { to } = scriptedFetch();
    wrap(<StatusReader name="a" />);
    await tick();
    to('/api/status')[0]!.answer(jsonResponse(status(1)));
    await tick(INTERVAL);
    to('/api/status')[1]!.fail(new TypeError('Failed to fetch'));
    await tick();
    // A typed error, and the last good answer is still there.
    expect(text('a')).toBe('sent 1 error NETWORK true');

    await tick(INTERVAL);
    expect(to('/api/status')).toHaveLength(3); // retried at the polling pace, not SWR's growing backoff
    to('/api/status')[2]!.answer(
      jsonResponse({ error: { code: 'IGGY_UNAVAILABLE', message: 'not reachable' } }, 503),
    );
    await tick();
    expect(text('a')).toBe('sent 1 error IGGY_UNAVAILABLE true');

    await tick(INTERVAL);
    expect(to('/api/status')).toHaveLength(4);
    to('/api/status')[3]!.answer(jsonResponse(status(5)));
    await tick();
    expect(text('a')).toBe('sent 5');
    // And polling goes on as before.
    await tick(INTERVAL);
    expect(to('/api/status')).toHaveLength(5);
  });

  it('an answer that is not JSON becomes a typed error, not an exception', async () => {
    const { to } = scriptedFetch();
    wrap(<StatusReader name="a" />);
    await tick();
    to('/api/status')[0]!.answer(new Response('<html>', { status: 200 }));
    await tick();
    expect(text('a')).toBe('none error INVALID_RESPONSE true');
  });

  it('does not poll while the tab is hidden and refreshes at once when it is shown', async () => {
    const { to } = scriptedFetch();
    wrap(<StatusReader name="a" />);
    await tick();
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    to('/api/status')[0]!.answer(jsonResponse(status(1)));
    await tick(INTERVAL * 5);
    expect(to('/api/status')).toHaveLength(1);

    visibility.mockReturnValue('visible');
    await act(async () => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await tick(); // SWR hands focus events on through a zero-delay timer
    expect(to('/api/status')).toHaveLength(2);
  });
});

describe('local writes into the status cache', () => {
  it('a status event written while a poll is on its way wins over that poll’s older answer', async () => {
    const { to } = scriptedFetch();
    // A server-sent status event, as the timeline's feed hands it on.
    function Writer() {
      const write = useWriteStatus();
      return (
        <button type="button" onClick={() => write(status(9))}>
          status event
        </button>
      );
    }
    wrap(
      <>
        <StatusReader name="a" />
        <Writer />
      </>,
    );
    await tick();
    to('/api/status')[0]!.answer(jsonResponse(status(1)));
    await tick(INTERVAL);
    expect(to('/api/status')).toHaveLength(2); // this poll left before the write below

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'status event' })));
    expect(text('a')).toBe('sent 9');
    to('/api/status')[1]!.answer(jsonResponse(status(2)));
    await tick();
    expect(text('a')).toBe('sent 9');

    // A poll that leaves after the write is fresh, and shows.
    await tick(INTERVAL);
    to('/api/status')[2]!.answer(jsonResponse(status(10)));
    await tick();
    expect(text('a')).toBe('sent 10');
  });

  it('after Start producer, the POST’s answer wins over a status poll that left before it', async () => {
    const { calls, to } = scriptedFetch();
    function Panel() {
      const { data } = useStatus();
      return <ProducerCard producer={data?.producer} stream="s" topic="t" />;
    }
    wrap(
      <>
        <StatusReader name="a" />
        <Panel />
      </>,
    );
    await tick();
    to('/api/status')[0]!.answer(jsonResponse(status(1)));
    await tick(INTERVAL);
    const stale = to('/api/status')[1]!; // on its way while the producer starts

    fireEvent.click(screen.getByRole('button', { name: 'Start producer' }));
    await tick();
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post).toMatchObject({ url: '/api/producer', body: { action: 'start', ratePerSec: 1 } });
    post.answer(jsonResponse({ producer: { running: true, sent: 1, ratePerSec: 1 } }));
    await tick();
    expect(text('a')).toBe('sent 1 running');
    expect(screen.getByRole('button', { name: 'Stop producer' })).toBeTruthy();

    stale.answer(jsonResponse(status(1, false)));
    await tick();
    expect(text('a')).toBe('sent 1 running');

    // The action asks for a fresh status right after its write; that answer counts.
    const fresh = to('/api/status').at(-1)!;
    expect(fresh).not.toBe(stale);
    fresh.answer(jsonResponse(status(3, true)));
    await tick();
    expect(text('a')).toBe('sent 3 running');
  });
});

function frame(seq: number): WireFrameSummary {
  return {
    seq,
    atIso: '2026-11-26T12:00:00.000Z',
    connection: 'producer',
    direction: 'sent',
    kind: 'request',
    commandName: 'ping',
    request: '1',
    sizeBytes: 256,
    bodyBytes: 0,
    headerHex: '',
    bodyPreviewHex: '',
  } as WireFrameSummary;
}

describe('useWireFrames (SWR)', () => {
  it('polls only while open, keeps the frames through a close, and asks only for newer ones', async () => {
    const { calls } = scriptedFetch();
    function Frames({ open }: { open: boolean }) {
      const { frames } = useWireFrames(open);
      return <p data-testid="frames">{frames.map((f) => f.seq).join(',')}</p>;
    }
    const tree = (open: boolean) => (
      <DemoDataProvider>
        <Frames open={open} />
      </DemoDataProvider>
    );
    const view = render(tree(false));
    await tick(INTERVAL * 3);
    expect(calls).toHaveLength(0);

    view.rerender(tree(true));
    await tick();
    expect(calls.map((c) => c.url)).toEqual(['/api/frames']);
    calls[0]!.answer(jsonResponse({ frames: [frame(1), frame(2)], latestSeq: 2 }));
    await tick();
    expect(text('frames')).toBe('1,2');

    await tick(INTERVAL);
    expect(calls[1]!.url).toBe('/api/frames?after=2');
    calls[1]!.answer(jsonResponse({ frames: [frame(3)], latestSeq: 3 }));
    await tick();
    expect(text('frames')).toBe('1,2,3');

    view.rerender(tree(false));
    await tick(INTERVAL * 3);
    expect(calls).toHaveLength(2); // closed: no more polls

    // Reopened: what was held shows at once, and the first poll asks only for what came after it.
    view.rerender(tree(true));
    expect(text('frames')).toBe('1,2,3');
    await tick(50); // with data to show, SWR asks on the next animation frame
    expect(calls.map((c) => c.url)).toEqual(['/api/frames', '/api/frames?after=2', '/api/frames?after=3']);
  });
});
