// What the cluster card and the failover divider say, worked out from the status without React: the roster
// checked field by field (a malformed node is dropped, not rendered half), and the words for a failover.
import type { DemoStatus } from '@/lib/api/contract';
import type { ClusterNodeStatus, ClusterStatus, FailoverEvent } from '@/lib/demo/types';
import { failoversOf } from '../api/parse';

const ROLES: readonly string[] = ['leader', 'follower'];
const REPORTED: readonly string[] = [
  'healthy',
  'starting',
  'stopping',
  'unreachable',
  'maintenance',
  'unknown',
];
const LOOPS: readonly string[] = ['producer', 'consumer'];

function parseNode(value: unknown): ClusterNodeStatus | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.name !== 'string' || v.name === '' || typeof v.address !== 'string') return null;
  if (typeof v.role !== 'string' || !ROLES.includes(v.role)) return null;
  return {
    name: v.name,
    address: v.address,
    role: v.role as ClusterNodeStatus['role'],
    reportedStatus: (typeof v.reportedStatus === 'string' && REPORTED.includes(v.reportedStatus)
      ? v.reportedStatus
      : 'unknown') as ClusterNodeStatus['reportedStatus'],
    reachable: typeof v.reachable === 'boolean' ? v.reachable : null,
    usedBy: Array.isArray(v.usedBy)
      ? (v.usedBy.filter(
          (loop, i, all) => typeof loop === 'string' && LOOPS.includes(loop) && all.indexOf(loop) === i,
        ) as ClusterNodeStatus['usedBy'])
      : [],
  };
}

/**
 * The cluster of a status, or null when there is none to show: a single node, or an older app that does not
 * report one. A roster of one node is not a cluster either (the server answers its metadata with itself alone).
 */
export function clusterOf(status: DemoStatus | null | undefined): ClusterStatus | null {
  const cluster = (status as { cluster?: unknown } | null | undefined)?.cluster;
  if (typeof cluster !== 'object' || cluster === null) return null;
  const c = cluster as Record<string, unknown>;
  const nodes = Array.isArray(c.nodes)
    ? c.nodes.map(parseNode).filter((n): n is ClusterNodeStatus => n !== null)
    : [];
  if (nodes.length < 2) return null;
  return {
    name: typeof c.name === 'string' ? c.name : '',
    nodes,
    ...(typeof c.primary === 'string' && c.primary !== '' ? { primary: c.primary } : {}),
    failovers: failoversOf(status),
  };
}

/** Nodes whose acknowledgement makes a write committed: a majority. */
export function quorumOf(nodeCount: number): number {
  return Math.floor(nodeCount / 2) + 1;
}

/** The failover still without a new primary, if the newest one is. */
export function openFailover(failovers: readonly FailoverEvent[]): FailoverEvent | undefined {
  const newest = failovers.at(-1);
  return newest && newest.recoveredAt === undefined ? newest : undefined;
}

/** HH:MM:SS in local time (a failover is a matter of seconds), or the raw text when it is not a date. */
export function formatTimeOfDay(iso: string | undefined): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "5.3 s", "2 min 4 s". */
export function formatSeconds(ms: number): string {
  const safe = Number.isFinite(ms) ? Math.max(0, ms) : 0;
  if (safe < 60_000) return `${(safe / 1_000).toFixed(1)} s`;
  const seconds = Math.floor(safe / 1_000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** How long there was no primary: the reported figure, else from the two times, else null (still electing). */
export function noPrimaryMsOf(failover: FailoverEvent): number | null {
  if (failover.noPrimaryMs !== undefined) return failover.noPrimaryMs;
  if (failover.recoveredAt === undefined) return null;
  const ms = Date.parse(failover.recoveredAt) - Date.parse(failover.lostAt);
  return Number.isFinite(ms) ? ms : null;
}

export function unknownSendsText(count: number): string {
  return `${count} ${count === 1 ? 'send' : 'sends'} with unknown outcome`;
}

/**
 * One line for a failover: "node-0 lost 14:02:11, no primary for 5.3 s, node-1 took over, 2 sends with unknown
 * outcome". While electing, `nowMs` gives the time without a primary so far.
 */
export function failoverSummary(failover: FailoverEvent, nowMs?: number): string {
  const parts = [`${failover.lostPrimary.name} lost ${formatTimeOfDay(failover.lostAt)}`];
  const gap = noPrimaryMsOf(failover);
  if (gap !== null) {
    parts.push(`no primary for ${formatSeconds(gap)}`);
    parts.push(failover.newPrimary ? `${failover.newPrimary.name} took over` : 'a new primary took over');
  } else {
    const sinceMs = nowMs === undefined ? Number.NaN : nowMs - Date.parse(failover.lostAt);
    parts.push(
      Number.isFinite(sinceMs) ? `no primary for ${formatSeconds(sinceMs)} so far, electing…` : 'electing…',
    );
  }
  if (failover.unknownOutcomeSends > 0) parts.push(unknownSendsText(failover.unknownOutcomeSends));
  return parts.join(', ');
}
