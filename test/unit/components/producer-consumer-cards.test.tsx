// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConsumerStatus, ProducerStatus } from '@/lib/api/contract';
import { DemoDataProvider } from '@/app/_components/api/swr-config';
import { ConsumerCard } from '@/app/_components/dashboard/consumer-card';
import { ProducerCard } from '@/app/_components/dashboard/producer-card';
import { ToastProvider } from '@/app/_components/toast/toast-provider';
import { jsonResponse } from './helpers';

function wrapper({ children }: { children: ReactNode }) {
  return (
    <DemoDataProvider>
      <ToastProvider>{children}</ToastProvider>
    </DemoDataProvider>
  );
}

/** A fetch whose POST answers the test releases by hand, so the in-flight state can be observed. */
function deferredFetch() {
  const posts: { url: string; body: unknown; resolve(response: Response): void }[] = [];
  const fetchMock = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    if (init?.method === 'POST') {
      return new Promise<Response>((resolve) =>
        posts.push({ url, body: JSON.parse(String(init.body)), resolve }),
      );
    }
    return Promise.resolve(jsonResponse({}, 404));
  });
  vi.stubGlobal('fetch', fetchMock);
  return posts;
}

const stopped: ProducerStatus = { running: false, sent: 0, ratePerSec: 1 };

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('ProducerCard', () => {
  it('starts the producer at the chosen rate, disabling the button while the request is in flight', async () => {
    const posts = deferredFetch();
    render(<ProducerCard producer={stopped} stream="demo-stream" topic="demo-topic" />, { wrapper });

    const group = screen.getByRole('radiogroup', { name: 'Producer rate' });
    expect(
      within(group)
        .getAllByRole('radio')
        .map((r) => (r as HTMLInputElement).value),
    ).toEqual(['1', '10', '100', '1000']);
    expect((within(group).getByRole('radio', { name: '1 per second' }) as HTMLInputElement).checked).toBe(
      true,
    );
    fireEvent.click(within(group).getByRole('radio', { name: '100 per second' }));
    expect(posts).toHaveLength(0); // a stopped producer only remembers the rate

    const start = screen.getByRole('button', { name: 'Start producer' });
    fireEvent.click(start);
    await waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]).toMatchObject({ url: '/api/producer', body: { action: 'start', ratePerSec: 100 } });
    expect((start as HTMLButtonElement).disabled).toBe(true);
    expect(start.getAttribute('aria-busy')).toBe('true');

    fireEvent.click(start);
    expect(posts).toHaveLength(1);

    await act(async () =>
      posts[0]!.resolve(jsonResponse({ producer: { ...stopped, running: true, ratePerSec: 100 } })),
    );
    await waitFor(() => expect((start as HTMLButtonElement).disabled).toBe(false));
    expect(start.getAttribute('aria-busy')).toBe('false');
  });

  it('shows the stop button and changes the rate of a running producer in place', async () => {
    const posts = deferredFetch();
    render(<ProducerCard producer={{ running: true, sent: 12, ratePerSec: 10 }} stream="s" topic="t" />, {
      wrapper,
    });
    expect(screen.getByRole('button', { name: 'Stop producer' })).toBeTruthy();
    expect((screen.getByRole('radio', { name: '10 per second' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: '1,000 per second' }));
    await waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]!.body).toEqual({ action: 'rate', ratePerSec: 1000 });
    // The pick shows at once while the request is in flight, instead of snapping back to the old rate.
    expect((screen.getByRole('radio', { name: '1,000 per second' }) as HTMLInputElement).checked).toBe(true);
    await act(async () =>
      posts[0]!.resolve(jsonResponse({ producer: { running: true, sent: 12, ratePerSec: 1000 } })),
    );
  });

  it('selects no rate button for a rate set elsewhere, and says the real rate', () => {
    deferredFetch();
    render(<ProducerCard producer={{ running: true, sent: 3, ratePerSec: 0.5 }} stream="s" topic="t" />, {
      wrapper,
    });
    expect(screen.getAllByRole('radio').filter((r) => (r as HTMLInputElement).checked)).toHaveLength(0);
    expect(screen.getByText('Sending 0.5/s')).toBeTruthy();
  });

  it('turns an API error into a readable, dismissible alert', async () => {
    const posts = deferredFetch();
    render(<ProducerCard producer={stopped} stream="s" topic="t" />, { wrapper });
    fireEvent.click(screen.getByRole('button', { name: 'Start producer' }));
    await waitFor(() => expect(posts).toHaveLength(1));
    await act(async () =>
      posts[0]!.resolve(
        jsonResponse(
          { error: { code: 'IGGY_UNAVAILABLE', message: 'Iggy is not reachable at 127.0.0.1:8090' } },
          503,
        ),
      ),
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not change the producer');
    expect(alert.textContent).toContain('Iggy is not reachable at 127.0.0.1:8090 (IGGY_UNAVAILABLE)');
    fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss notification' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says so when the app cannot be reached at all', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))),
    );
    render(<ProducerCard producer={stopped} stream="s" topic="t" />, { wrapper });
    fireEvent.click(screen.getByRole('button', { name: 'Start producer' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Could not reach the app server');
  });

  it('shows the last send error the runtime reported', () => {
    render(
      <ProducerCard
        producer={{
          ...stopped,
          lastError: { code: 'IGGY_ERROR', message: 'topic full', at: '2026-11-26T12:00:00.000Z' },
        }}
        stream="s"
        topic="t"
      />,
      { wrapper },
    );
    expect(screen.getByText('topic full')).toBeTruthy();
  });
});

describe('ConsumerCard', () => {
  const consumer: ConsumerStatus = {
    running: false,
    received: 1234,
    storedOffset: '18446744073709551614',
    lastOffset: '18446744073709551614',
  };

  it('starts and stops the consumer', async () => {
    const posts = deferredFetch();
    const { rerender } = render(
      <ConsumerCard consumer={consumer} consumerName="demo-consumer" topic="demo-topic" lag="0" />,
      { wrapper },
    );
    fireEvent.click(screen.getByRole('button', { name: 'Start consumer' }));
    await waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]).toMatchObject({ url: '/api/consumer', body: { action: 'start' } });
    await act(async () => posts[0]!.resolve(jsonResponse({ consumer: { ...consumer, running: true } })));

    rerender(
      <ConsumerCard
        consumer={{ ...consumer, running: true }}
        consumerName="demo-consumer"
        topic="demo-topic"
        lag="0"
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Stop consumer' }));
    await waitFor(() => expect(posts).toHaveLength(2));
    expect(posts[1]!.body).toEqual({ action: 'stop' });
    await act(async () => posts[1]!.resolve(jsonResponse({ consumer })));
  });

  it('changes the poll interval from its segmented buttons, selecting what the server reports', async () => {
    const posts = deferredFetch();
    const { rerender } = render(
      <ConsumerCard
        consumer={{ ...consumer, pollIntervalMs: 500 }}
        consumerName="demo-consumer"
        topic="demo-topic"
        lag="0"
      />,
      { wrapper },
    );
    const group = screen.getByRole('radiogroup', { name: 'Consumer poll interval' });
    expect(
      within(group)
        .getAllByRole('radio')
        .map((r) => r.getAttribute('aria-label')),
    ).toEqual([
      'Poll every 50 ms',
      'Poll every 100 ms',
      'Poll every 250 ms',
      'Poll every 500 ms',
      'Poll every 1 s',
      'Poll every 2 s',
    ]);
    const radio = (name: string) => within(group).getByRole('radio', { name }) as HTMLInputElement;
    expect(radio('Poll every 500 ms').checked).toBe(true);

    fireEvent.click(radio('Poll every 50 ms'));
    await waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]).toMatchObject({
      url: '/api/consumer',
      body: { action: 'setPollInterval', pollIntervalMs: 50 },
    });
    // Shown at once, and the buttons wait while the request is in flight.
    expect(radio('Poll every 50 ms').checked).toBe(true);
    expect(radio('Poll every 2 s').disabled).toBe(true);
    await act(async () => posts[0]!.resolve(jsonResponse({ consumer: { ...consumer, pollIntervalMs: 50 } })));
    rerender(
      <ConsumerCard
        consumer={{ ...consumer, pollIntervalMs: 50 }}
        consumerName="demo-consumer"
        topic="demo-topic"
        lag="0"
      />,
    );
    expect(radio('Poll every 50 ms').checked).toBe(true);
    expect(radio('Poll every 2 s').disabled).toBe(false);

    // A value set by CONSUMER_POLL_MS that is not a button selects none.
    rerender(
      <ConsumerCard
        consumer={{ ...consumer, pollIntervalMs: 300 }}
        consumerName="demo-consumer"
        topic="demo-topic"
        lag="0"
      />,
    );
    expect(
      within(group)
        .getAllByRole('radio')
        .some((r) => (r as HTMLInputElement).checked),
    ).toBe(false);
  });

  it('shows received count, a u64 stored offset without rounding, and the lag', () => {
    deferredFetch();
    render(<ConsumerCard consumer={consumer} consumerName="demo-consumer" topic="demo-topic" lag="42" />, {
      wrapper,
    });
    expect(screen.getByText('1,234')).toBeTruthy();
    expect(screen.getAllByText('18,446,744,073,709,551,614').length).toBeGreaterThan(0);
    expect(screen.getByTestId('consumer-lag').textContent).toContain('42');
  });
});
