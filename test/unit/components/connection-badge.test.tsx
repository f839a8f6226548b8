// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DemoStatus } from '@/lib/api/contract';
import {
  IggyUnreachable,
  START_IGGY_COMMAND,
  unreachableKind,
} from '@/app/_components/dashboard/iggy-unreachable';
import { DemoDataProvider } from '@/app/_components/api/swr-config';
import { ConnectionBadge } from '@/app/_components/shell/connection-badge';
import { connectionView } from '@/app/_components/shell/connection-view';
import { ToastProvider, useToast } from '@/app/_components/toast/toast-provider';
import { jsonResponse } from './helpers';

/** A status as it may arrive over the wire: an older server may omit `state` or an error's `at`. */
type ArrivingIggyStatus = Omit<DemoStatus['iggy'], 'state' | 'error' | 'standIn'> &
  Partial<Pick<DemoStatus['iggy'], 'state' | 'standIn'>> & {
    error?: { code: string; message: string; at?: string };
  };

function status(iggy: ArrivingIggyStatus): DemoStatus {
  return {
    runId: 'run-1',
    iggy: iggy as DemoStatus['iggy'],
    producer: { running: false, sent: 0, ratePerSec: 1 },
    consumer: { running: false, received: 0 },
    stream: 'demo-stream',
    topic: 'demo-topic',
    consumerName: 'demo-consumer',
    throughput: { intervalMs: 1000, points: [] },
    resets: [],
  };
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('connectionView', () => {
  it('connected: server version and round trip', () => {
    expect(
      connectionView(
        status({
          connected: true,
          state: 'connected',
          address: '127.0.0.1:8090',
          serverVersion: '0.9.0',
          roundTripMs: 1.6,
        }),
        false,
      ),
    ).toEqual({ tone: 'ok', label: 'Connected', detail: 'Iggy 0.9.0 · 2 ms', address: '127.0.0.1:8090' });
  });
  it('reconnecting and connecting are "busy"', () => {
    expect(
      connectionView(status({ connected: false, state: 'reconnecting', address: 'a:1' }), undefined),
    ).toMatchObject({
      tone: 'busy',
      label: 'Reconnecting…',
    });
    expect(
      connectionView(status({ connected: false, state: 'connecting', address: 'a:1' }), undefined).label,
    ).toBe('Connecting…');
  });
  it('unreachable carries the reason', () => {
    expect(
      connectionView(
        status({
          connected: false,
          state: 'unreachable',
          address: 'a:1',
          error: { code: 'IGGY_UNAVAILABLE', message: 'ECONNREFUSED' },
        }),
        false,
      ),
    ).toMatchObject({ tone: 'down', label: 'Unreachable', detail: 'ECONNREFUSED', address: 'a:1' });
  });
  it('falls back to the connected flag when an older server omits state', () => {
    expect(connectionView(status({ connected: false, address: 'a:1' }), undefined).tone).toBe('down');
    expect(connectionView(status({ connected: true, address: 'a:1' }), undefined).tone).toBe('ok');
  });
  it('distinguishes "app offline" from "Iggy unreachable" and "not known yet"', () => {
    expect(connectionView(undefined, { code: 'NETWORK', message: 'x' })).toMatchObject({
      tone: 'down',
      label: 'App offline',
    });
    expect(connectionView(undefined, { code: 'INTERNAL', message: 'config broken' })).toMatchObject({
      label: 'App error',
      detail: 'config broken',
    });
    // A failed poll wins over the last good answer the polled status still holds.
    const stale = status({ connected: true, state: 'connected', address: 'a:1' });
    expect(connectionView(stale, { code: 'TIMEOUT', message: 'x' }).label).toBe('App offline');
    expect(connectionView(undefined, undefined)).toMatchObject({ tone: 'unknown', label: 'Checking…' });
  });
});

describe('ConnectionBadge', () => {
  it('reads /api/status and names its state for screen readers', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        jsonResponse(
          status({
            connected: true,
            state: 'connected',
            address: '127.0.0.1:8090',
            serverVersion: '0.9.0',
            roundTripMs: 3,
          }),
        ),
      ),
    );
    render(
      <DemoDataProvider>
        <ConnectionBadge />
      </DemoDataProvider>,
    );
    const badge = await screen.findByRole('status', { name: 'Iggy connection: Connected' });
    // The facts sit beside the live region, so the round trip changing every second is not announced.
    expect(badge.textContent).toBe('Connected');
    expect(badge.parentElement?.textContent).toContain('Iggy 0.9.0 · 3 ms');
  });
});

describe('IggyUnreachable', () => {
  it('names the address, the exact start command, a copy button and the troubleshooting page', () => {
    render(<IggyUnreachable address="127.0.0.1:8090" reconnecting={false} reason="connect ECONNREFUSED" />);
    expect(screen.getByRole('heading').textContent).toBe(
      'Iggy is not reachable at 127.0.0.1:8090 — start it with:',
    );
    expect(screen.getByText(START_IGGY_COMMAND)).toBeTruthy();
    expect(START_IGGY_COMMAND).toBe('docker compose -f server/docker-compose.yml up -d');
    expect(screen.getByRole('button', { name: 'Copy the command that starts Iggy' })).toBeTruthy();
    expect(screen.getByRole('link', { name: /troubleshooting/i }).getAttribute('href')).toBe(
      '/docs/troubleshooting',
    );
  });
});

describe('unreachableKind', () => {
  it('tells a down server from a version mismatch and a refused login', () => {
    expect(unreachableKind(undefined)).toBe('down');
    expect(unreachableKind('IGGY_UNAVAILABLE')).toBe('down');
    expect(unreachableKind('INCOMPATIBLE_PROTOCOL_VERSION')).toBe('version');
    expect(unreachableKind('INVALID_CREDENTIALS')).toBe('login');
    expect(unreachableKind('UNAUTHENTICATED')).toBe('login');
  });

  it('says so in the heading for a too-new server', () => {
    render(
      <IggyUnreachable
        address="127.0.0.1:8090"
        reconnecting={false}
        errorCode="INCOMPATIBLE_PROTOCOL_VERSION"
        reason="the Iggy server rejected this client's protocol version"
      />,
    );
    expect(screen.getByRole('heading').textContent).toContain('speaks another protocol version');
    expect(screen.getByText(START_IGGY_COMMAND)).toBeTruthy();
  });
});

describe('toasts', () => {
  function Pusher() {
    const toast = useToast();
    return (
      <button type="button" onClick={() => toast.push({ kind: 'info', title: 'Producer started' })}>
        push
      </button>
    );
  }
  it('dismiss themselves after a few seconds', async () => {
    // The card's code is split off and loads with the first toast; have the module ready, as a browser would soon.
    await import('@/app/_components/toast/toast-card');
    vi.useFakeTimers();
    render(
      <ToastProvider>
        <Pusher />
      </ToastProvider>,
    );
    await act(async () => screen.getByRole('button', { name: 'push' }).click());
    expect(screen.getByRole('status').textContent).toContain('Producer started');
    act(() => vi.advanceTimersByTime(10_000));
    expect(screen.queryByRole('status')).toBeNull();
  });
});

describe('status polling', () => {
  it('keeps polling after a failed request, so the badge recovers by itself', async () => {
    let calls = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        calls += 1;
        if (calls === 1) return jsonResponse({ error: { code: 'INTERNAL', message: 'restarting' } }, 500);
        return jsonResponse(status({ connected: true, state: 'connected', address: 'a:1' }));
      }),
    );
    render(
      <DemoDataProvider>
        <ConnectionBadge />
      </DemoDataProvider>,
    );
    expect(await screen.findByRole('status', { name: 'Iggy connection: App error' })).toBeTruthy();
    expect(
      await screen.findByRole('status', { name: 'Iggy connection: Connected' }, { timeout: 3_000 }),
    ).toBeTruthy();
  });
});
