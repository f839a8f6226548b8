// @vitest-environment happy-dom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DemoStatus } from '@/lib/api/contract';
import type { ClusterNodeStatus, ClusterStatus, FailoverEvent } from '@/lib/demo/types';
import { failoversOf, parseFailoverEvent, resetsOf } from '@/app/_components/api/parse';
import { ClusterCard } from '@/app/_components/dashboard/cluster-card';
import {
  clusterOf,
  failoverSummary,
  formatTimeOfDay,
  quorumOf,
} from '@/app/_components/dashboard/cluster-view';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** Times are built in local time so the HH:MM:SS the page prints is the same on any machine. */
const at = (h: number, m: number, s: number, ms = 0) => new Date(2026, 11, 6, h, m, s, ms).toISOString();

function node(name: string, overrides: Partial<ClusterNodeStatus> = {}): ClusterNodeStatus {
  const index = Number(name.slice(-1));
  return {
    name,
    address: `127.0.0.1:${18090 + index}`,
    role: 'follower',
    reportedStatus: 'healthy',
    reachable: true,
    usedBy: [],
    ...overrides,
  };
}

function failover(overrides: Partial<FailoverEvent> = {}): FailoverEvent {
  return {
    id: 1,
    lostPrimary: { name: 'node-0', address: '127.0.0.1:18090' },
    lostAt: at(14, 2, 11),
    newPrimary: { name: 'node-1', address: '127.0.0.1:18091' },
    recoveredAt: at(14, 2, 16, 300),
    noPrimaryMs: 5_300,
    unknownOutcomeSends: 2,
    afterSeq: 50,
    ...overrides,
  };
}

function status(cluster?: Partial<ClusterStatus>): DemoStatus {
  return {
    runId: 'run-1',
    iggy: { connected: true, state: 'connected', address: '127.0.0.1:18090', standIn: false },
    producer: { running: true, sent: 50, ratePerSec: 10 },
    consumer: { running: true, received: 50 },
    stream: 'demo-stream',
    topic: 'demo-topic',
    consumerName: 'demo-consumer',
    throughput: { intervalMs: 1000, points: [] },
    resets: [],
    ...(cluster
      ? {
          cluster: {
            name: 'demo-cluster',
            nodes: [
              node('node-0', { role: 'leader', usedBy: ['producer', 'consumer'] }),
              node('node-1', { reachable: null }),
              node('node-2', { reachable: false }),
            ],
            primary: 'node-0',
            failovers: [],
            ...cluster,
          },
        }
      : {}),
  };
}

const nodeItem = (name: string) => {
  const item = screen.getByRole('region', { name: 'Cluster' }).querySelector(`[data-node="${name}"]`);
  if (!(item instanceof HTMLElement)) throw new Error(`no list item for ${name}`);
  return item;
};

describe('<ClusterCard>', () => {
  it('lists every node with its role, its reachability in words and the loops that use it', () => {
    render(<ClusterCard status={status({})} />);
    const region = screen.getByRole('region', { name: 'Cluster' });
    expect(within(region).getByText('demo-cluster')).toBeTruthy();
    // The caption names the quorum for three nodes and links to the concepts page.
    expect(region.textContent).toContain('once 2 of 3 have it');
    expect(
      within(region).getByRole('link', { name: 'Learn about replication and clusters' }).getAttribute('href'),
    ).toBe('/docs/iggy-concepts#replication-and-clusters');

    const items = within(within(region).getByRole('list', { name: 'Nodes' })).getAllByRole('listitem');
    expect(items.map((li) => [li.dataset.node, li.dataset.role])).toEqual([
      ['node-0', 'leader'],
      ['node-1', 'follower'],
      ['node-2', 'follower'],
    ]);

    const leader = nodeItem('node-0');
    expect(leader.textContent).toContain('127.0.0.1:18090');
    expect(within(leader).getByText('leader')).toBeTruthy();
    expect(within(leader).getByText('reachable')).toBeTruthy();
    expect(leader.textContent).toContain('used by producer and consumer');

    expect(within(nodeItem('node-1')).getByText('not checked yet')).toBeTruthy();
    expect(nodeItem('node-1').textContent).toContain('not used by the app');
    const dead = nodeItem('node-2');
    expect(within(dead).getByText('unreachable')).toBeTruthy();
    expect(dead.dataset.reachable).toBe('false');
    // The metadata's status is configuration, not health: the card says so when they disagree.
    expect(dead.textContent).toContain('still lists it as healthy');
    expect(screen.queryByTestId('no-primary')).toBeNull();
    expect(screen.queryByTestId('failover-list')).toBeNull();
  });

  it('renders nothing for a single node or an older status without a cluster', () => {
    const { container, rerender } = render(<ClusterCard status={status()} />);
    expect(container.innerHTML).toBe('');
    rerender(<ClusterCard status={undefined} />);
    expect(container.innerHTML).toBe('');
    // A roster of one is not a cluster; a malformed node is dropped rather than rendered half.
    rerender(<ClusterCard status={status({ nodes: [node('node-0', { role: 'leader' })] })} />);
    expect(container.innerHTML).toBe('');
    rerender(
      <ClusterCard
        status={status({
          nodes: [node('node-0', { role: 'leader' }), { name: 'node-1', role: 'boss' } as never],
        })}
      />,
    );
    expect(container.innerHTML).toBe('');
  });

  it('lists the recent failovers newest first, in words', () => {
    const older = failover({ id: 1, unknownOutcomeSends: 0 });
    const newer = failover({
      id: 2,
      lostPrimary: { name: 'node-1', address: '127.0.0.1:18091' },
      lostAt: at(14, 10, 0),
      newPrimary: { name: 'node-2', address: '127.0.0.1:18092' },
      recoveredAt: at(14, 10, 5, 250),
      noPrimaryMs: 5_250,
      unknownOutcomeSends: 2,
      afterSeq: 90,
    });
    render(<ClusterCard status={status({ failovers: [older, newer], primary: 'node-2' })} />);
    const list = screen.getByTestId('failover-list');
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'node-1 lost 14:10:00, no primary for 5.3 s, node-2 took over, 2 sends with unknown outcome',
      'node-0 lost 14:02:11, no primary for 5.3 s, node-1 took over',
    ]);
    expect(screen.getByRole('region', { name: 'Cluster' }).textContent).toContain(
      'it may or may not be stored; the producer did not resend it',
    );
    expect(screen.queryByTestId('no-primary')).toBeNull();
  });

  it('while no node has taken over, shows a live "no primary since …" state', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(at(14, 2, 13)));
    const electing = failover({ newPrimary: undefined, recoveredAt: undefined, noPrimaryMs: undefined });
    const { rerender } = render(
      <ClusterCard
        status={status({
          failovers: [electing],
          primary: undefined,
          nodes: [
            node('node-0', { role: 'leader', reachable: false }),
            node('node-1', { usedBy: ['producer', 'consumer'] }),
            node('node-2'),
          ],
        })}
      />,
    );
    const state = screen.getByRole('status');
    expect(state.textContent).toContain('No primary since 14:02:11');
    expect(state.textContent).toContain('node-0 stopped answering');
    act(() => vi.advanceTimersByTime(10));
    expect(state.textContent).toContain('2.0 s');
    act(() => vi.advanceTimersByTime(1_000));
    expect(state.textContent).toContain('3.0 s');
    expect(screen.getByTestId('failover-list').textContent).toContain(
      'node-0 lost 14:02:11, no primary for 3.0 s so far, electing…',
    );

    // The same failover, reported again with the new primary: the live state ends and the timer stops.
    rerender(<ClusterCard status={status({ failovers: [failover()], primary: 'node-1' })} />);
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.getByTestId('failover-list').textContent).toContain('node-1 took over');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('cluster helpers', () => {
  it('parse an older status without a cluster, and a malformed one, as "no cluster"', () => {
    const older = { ...status() } as Partial<DemoStatus>;
    delete older.resets;
    expect(clusterOf(older as DemoStatus)).toBeNull();
    expect(failoversOf(older as DemoStatus)).toEqual([]);
    expect(resetsOf(older as DemoStatus)).toEqual([]);
    expect(failoversOf(undefined)).toEqual([]);
    expect(failoversOf({ cluster: { failovers: 'nope' } } as never)).toEqual([]);
    expect(clusterOf({ cluster: { nodes: 'nope' } } as never)).toBeNull();
  });

  it('parse failovers field by field, dropping what the page cannot place', () => {
    expect(parseFailoverEvent(failover())).toEqual(failover());
    const electing = failover({ newPrimary: undefined, recoveredAt: undefined, noPrimaryMs: undefined });
    expect(parseFailoverEvent(JSON.parse(JSON.stringify(electing)))).toEqual(electing);
    expect(parseFailoverEvent({ ...failover(), afterSeq: '3' })).toBeNull();
    expect(parseFailoverEvent({ ...failover(), lostPrimary: { address: 'x' } })).toBeNull();
    expect(parseFailoverEvent({ ...failover(), unknownOutcomeSends: -1 })?.unknownOutcomeSends).toBe(0);
    expect(
      failoversOf(status({ failovers: [failover(), { id: 'x' } as never, failover({ id: 2 })] })).map(
        (f) => f.id,
      ),
    ).toEqual([1, 2]);
  });

  it('keep only known roles, statuses and loops from the roster', () => {
    const cluster = clusterOf(
      status({
        nodes: [
          node('node-0', { role: 'leader', usedBy: ['producer', 'producer', 'admin'] as never }),
          { ...node('node-1'), reportedStatus: 'on fire', reachable: 'yes' } as never,
        ],
      }),
    );
    expect(cluster?.nodes.map((n) => [n.usedBy, n.reportedStatus, n.reachable])).toEqual([
      [['producer'], 'healthy', true],
      [[], 'unknown', null],
    ]);
  });

  it('word a failover and the quorum', () => {
    expect(failoverSummary(failover())).toBe(
      'node-0 lost 14:02:11, no primary for 5.3 s, node-1 took over, 2 sends with unknown outcome',
    );
    // Without the reported figure the gap comes from the two times.
    expect(failoverSummary(failover({ noPrimaryMs: undefined, unknownOutcomeSends: 1 }))).toBe(
      'node-0 lost 14:02:11, no primary for 5.3 s, node-1 took over, 1 send with unknown outcome',
    );
    expect(formatTimeOfDay('not a date')).toBe('not a date');
    expect([1, 2, 3, 4, 5].map(quorumOf)).toEqual([1, 2, 2, 3, 3]);
  });
});
