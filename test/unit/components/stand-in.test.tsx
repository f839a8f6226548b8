// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DemoStatus } from '@/lib/api/contract';
import { isStandInVersion } from '@/lib/demo/stand-in';
import { DemoDataProvider } from '@/app/_components/api/swr-config';
import { ConnectionBadge } from '@/app/_components/shell/connection-badge';
import { connectionView, iggyAway } from '@/app/_components/shell/connection-view';
import { StandInLabNote } from '@/app/_components/shell/stand-in-lab-note';
import { StandInNotice } from '@/app/_components/shell/stand-in-notice';
import { jsonResponse } from './helpers';

function status(standIn: boolean, serverVersion = standIn ? '0.9.0+stand-in' : '0.9.0'): DemoStatus {
  return {
    runId: 'run-1',
    iggy: {
      connected: true,
      state: 'connected',
      address: '127.0.0.1:8090',
      serverVersion,
      standIn,
      roundTripMs: 1,
    },
    producer: { running: false, sent: 0, ratePerSec: 1 },
    consumer: { running: false, received: 0 },
    stream: 'demo-stream',
    topic: 'demo-topic',
    consumerName: 'demo-consumer',
    throughput: { intervalMs: 1000, points: [] },
    resets: [],
  };
}

function serve(answer: DemoStatus) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => jsonResponse(answer)),
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('isStandInVersion', () => {
  it('recognises the +stand-in build tag and nothing else', () => {
    expect(isStandInVersion('0.9.0+stand-in')).toBe(true);
    expect(isStandInVersion('0.9.0+build.7.stand-in')).toBe(true);
    expect(isStandInVersion('0.9.0')).toBe(false);
    expect(isStandInVersion('0.9.0-edge.5')).toBe(false);
    // A pre-release label is not a build tag: only what follows "+" counts.
    expect(isStandInVersion('0.9.0-stand-in')).toBe(false);
    expect(isStandInVersion('0.9.0+stand-inx')).toBe(false);
    expect(isStandInVersion(undefined)).toBe(false);
  });
});

describe('connectionView on the stand-in', () => {
  it('labels the badge "Stand-in", never plain "Connected"', () => {
    expect(connectionView(status(true), false)).toEqual({
      tone: 'stand-in',
      label: 'Stand-in',
      detail: 'not Iggy · Iggy 0.9.0+stand-in · 1 ms',
      address: '127.0.0.1:8090',
    });
    expect(connectionView(status(false), false)).toMatchObject({ tone: 'ok', label: 'Connected' });
  });

  it('never makes the dashboard say Iggy is away: the stand-in is connected', () => {
    expect(iggyAway(connectionView(status(true), false))).toBe(false);
    expect(iggyAway(connectionView(status(false), false))).toBe(false);
    const away = {
      ...status(true),
      iggy: { ...status(true).iggy, connected: false, state: 'unreachable' as const },
    };
    expect(iggyAway(connectionView(away, false))).toBe(true);
  });
});

describe('StandInNotice', () => {
  it('says on the page that the server is a stand-in, with the command for the real one', async () => {
    serve(status(true));
    render(
      <DemoDataProvider>
        <ConnectionBadge />
        <StandInNotice />
      </DemoDataProvider>,
    );
    const notice = await screen.findByRole('complementary', { name: 'Stand-in server' });
    expect(notice.textContent).toContain('a stand-in for trying the app, not Iggy');
    expect(notice.textContent).toContain('docker compose -f server/docker-compose.yml up -d');
    expect(notice.textContent).toContain('IGGY_SERVER_BIN=/path/to/iggy-server npm run demo');
    expect(screen.getByRole('status', { name: 'Iggy connection: Stand-in' })).toBeTruthy();
  });

  it('is absent against a real server', async () => {
    serve(status(false));
    render(
      <DemoDataProvider>
        <ConnectionBadge />
        <StandInNotice />
      </DemoDataProvider>,
    );
    await screen.findByRole('status', { name: 'Iggy connection: Connected' });
    expect(screen.queryByRole('complementary', { name: 'Stand-in server' })).toBeNull();
  });
});

describe('StandInLabNote', () => {
  it('names what differs while the app talks to the stand-in', async () => {
    serve(status(true));
    render(
      <DemoDataProvider>
        <StandInLabNote differs="Its crash drops the journal by a rule written from Iggy's behaviour." />
      </DemoDataProvider>,
    );
    const note = await screen.findByRole('note');
    expect(note.textContent).toContain('On the stand-in, not Iggy:');
    expect(note.textContent).toContain(
      "Its crash drops the journal by a rule written from Iggy's behaviour.",
    );
  });

  it('renders nothing against a real server, and follows an explicit standIn prop', async () => {
    serve(status(false));
    const { rerender } = render(
      <DemoDataProvider>
        <ConnectionBadge />
        <StandInLabNote differs="x" />
      </DemoDataProvider>,
    );
    await screen.findByRole('status', { name: 'Iggy connection: Connected' });
    expect(screen.queryByRole('note')).toBeNull();
    rerender(
      <DemoDataProvider>
        <ConnectionBadge />
        <StandInLabNote differs="x" standIn />
      </DemoDataProvider>,
    );
    expect(screen.getByRole('note')).toBeTruthy();
  });
});
