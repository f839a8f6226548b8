'use client';

import { useEffect, useId, useState } from 'react';
import type { DemoStatus } from '@/lib/api/contract';
import type { ClusterNodeStatus, FailoverEvent } from '@/lib/demo/types';
import { PanelHeader } from '../ui/panel';
import {
  clusterOf,
  failoverSummary,
  formatSeconds,
  formatTimeOfDay,
  openFailover,
  quorumOf,
} from './cluster-view';

/** Failovers listed on the card, newest first; the timeline keeps every one the page saw. */
const SHOWN_FAILOVERS = 3;
const TICK_MS = 500;

/**
 * The nodes of an Iggy cluster as this app sees them: each node's role from the cluster metadata, whether the
 * app can reach it, which loop talks to it, and the recent changes of primary. Renders nothing for a single
 * node (the status then has no `cluster`).
 */
export function ClusterCard({ status }: { status: DemoStatus | undefined }) {
  const headingId = useId();
  const cluster = clusterOf(status);
  const open = cluster ? openFailover(cluster.failovers) : undefined;
  const now = useNow(open !== undefined);
  if (!cluster) return null;

  const count = cluster.nodes.length;
  const recent = cluster.failovers.slice(-SHOWN_FAILOVERS).reverse();

  return (
    <section className="card gap-4 p-4" aria-labelledby={headingId} data-testid="cluster-card">
      <PanelHeader
        id={headingId}
        title="Cluster"
        caption={`${count} nodes hold every message; the leader (Iggy's primary) acknowledges a write once ${quorumOf(count)} of ${count} have it.`}
        learn={{ section: 'replication-and-clusters', topic: 'replication and clusters' }}
        aside={cluster.name ? <span className="chip font-mono">{cluster.name}</span> : undefined}
      />

      {open ? <NoPrimary failover={open} nowMs={now} /> : null}

      <ul aria-label="Nodes" className="flex flex-col divide-y divide-border rounded-lg border border-border">
        {cluster.nodes.map((node) => (
          <NodeRow key={node.name} node={node} />
        ))}
      </ul>

      {recent.length > 0 ? (
        <section aria-labelledby={`${headingId}-changes`} className="flex flex-col gap-1.5">
          <h3 id={`${headingId}-changes`} className="text-sm font-semibold">
            Leader changes
          </h3>
          <ol className="flex flex-col gap-1 text-xs text-muted" data-testid="failover-list">
            {recent.map((failover) => (
              <li
                key={failover.id}
                data-failover-id={failover.id}
                className="tabular-nums"
                data-state={failover.recoveredAt === undefined ? 'electing' : 'recovered'}
              >
                {failoverSummary(failover, failover === open && now !== null ? now : undefined)}
              </li>
            ))}
          </ol>
          {recent.some((f) => f.unknownOutcomeSends > 0) ? (
            <p className="text-xs text-faint">
              A send with unknown outcome lost its reply with the connection: it may or may not be stored; the
              producer did not resend it.
            </p>
          ) : null}
        </section>
      ) : null}
    </section>
  );
}

function NodeRow({ node }: { node: ClusterNodeStatus }) {
  const leader = node.role === 'leader';
  return (
    <li
      className="flex flex-col gap-1 px-3 py-2"
      data-node={node.name}
      data-role={node.role}
      data-reachable={node.reachable === null ? 'unknown' : String(node.reachable)}
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <span className="font-mono text-sm font-semibold">{node.name}</span>
        <span className={leader ? 'chip border-accent/60 text-accent' : 'chip'}>{node.role}</span>
        <Reachability reachable={node.reachable} />
      </div>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5 text-xs">
        <span className="font-mono break-all text-muted">{node.address}</span>
        <span className="text-muted">
          {node.usedBy.length > 0 ? `used by ${node.usedBy.join(' and ')}` : 'not used by the app'}
        </span>
      </div>
      {node.reachable === false && node.reportedStatus === 'healthy' ? (
        // The metadata's status comes from configuration, not from a health check.
        <p className="text-[0.6875rem] text-faint">The cluster metadata still lists it as healthy.</p>
      ) : null}
    </li>
  );
}

function Reachability({ reachable }: { reachable: boolean | null }) {
  const text = reachable === null ? 'not checked yet' : reachable ? 'reachable' : 'unreachable';
  const dot = reachable === null ? 'bg-faint' : reachable ? 'bg-ok' : 'bg-danger';
  return (
    <span
      className={`ml-auto inline-flex items-center gap-1.5 text-xs ${reachable === false ? 'font-medium text-danger' : 'text-muted'}`}
    >
      <span aria-hidden="true" className={`size-1.5 rounded-full ${dot}`} />
      {text}
    </span>
  );
}

function NoPrimary({ failover, nowMs }: { failover: FailoverEvent; nowMs: number | null }) {
  const sinceMs = nowMs === null ? Number.NaN : nowMs - Date.parse(failover.lostAt);
  return (
    <p
      role="status"
      data-testid="no-primary"
      className="rounded-lg border border-border-strong bg-surface-2 px-3 py-2 text-[0.8125rem]"
    >
      <span className="font-semibold text-warn">
        No primary since {formatTimeOfDay(failover.lostAt)}
        {Number.isFinite(sinceMs) ? (
          // Left out of the announcement: a live region would read it out on every tick.
          <span aria-hidden="true" className="font-mono font-normal tabular-nums">
            {' '}
            · {formatSeconds(sinceMs)}
          </span>
        ) : null}
      </span>
      <span className="block text-xs text-muted">
        {failover.lostPrimary.name} stopped answering; the other nodes are electing a new primary. Writes wait
        until one takes over.
      </span>
    </p>
  );
}

/** The current time, ticking only while `active` (a failover in progress); null until the first tick. */
function useNow(active: boolean): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (!active) return;
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, TICK_MS);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [active]);
  return active ? now : null;
}
