import type { FailoverEvent } from '@/lib/demo/types';
import { formatSeconds, formatTimeOfDay, noPrimaryMsOf, unknownSendsText } from '../dashboard/cluster-view';
import { LearnLink } from '../ui/learn-link';

/** "Primary node-0 lost at 14:02:11; node-1 took over after 5.3 s without a primary". */
export function failoverLabel(failover: FailoverEvent): string {
  const lost = `Primary ${failover.lostPrimary.name} lost at ${formatTimeOfDay(failover.lostAt)}`;
  const gap = noPrimaryMsOf(failover);
  if (gap === null) return `${lost}; electing a new primary`;
  const who = failover.newPrimary?.name ?? 'a new primary';
  return `${lost}; ${who} took over after ${formatSeconds(gap)} without a primary`;
}

/**
 * The point in the timeline where the cluster lost its primary: messages above it went through the node that
 * took over. Acknowledged messages are not lost in a failover (a quorum held each one); what the app cannot know
 * is whether the sends cut off with the connection were stored. Updated in place when the new primary is found.
 */
export function FailoverDivider({ failover }: { failover: FailoverEvent }) {
  const gap = noPrimaryMsOf(failover);
  const unknown = failover.unknownOutcomeSends;
  return (
    // A named group, not role="separator": a separator's content is presentational, and this one holds a link.
    <div
      role="group"
      aria-label={failoverLabel(failover)}
      className="border-y border-accent/40 bg-accent-soft px-3 py-2 text-xs sm:px-4"
      data-testid="failover-divider"
      data-failover-id={failover.id}
      data-after-seq={failover.afterSeq}
      data-state={gap === null ? 'electing' : 'recovered'}
    >
      <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
        <span className="font-semibold text-accent">
          Primary <span className="font-mono">{failover.lostPrimary.name}</span> lost
        </span>
        <span className="text-muted tabular-nums">
          {gap === null ? (
            'no primary · electing…'
          ) : (
            <>
              no primary for {formatSeconds(gap)} ·{' '}
              <span className="font-mono text-fg">{failover.newPrimary?.name ?? 'a new primary'}</span> took
              over
            </>
          )}
        </span>
        <span className="ml-auto flex items-baseline gap-2">
          <span className="font-mono text-faint tabular-nums" title={failover.lostAt}>
            lost {formatTimeOfDay(failover.lostAt)}
          </span>
          <LearnLink section="replication-and-clusters" topic="replication and clusters" />
        </span>
      </div>
      <p className="mt-0.5 text-muted">
        {unknown > 0
          ? `${unknownSendsText(unknown)}: they may or may not be stored; not resent. Acknowledged messages are all kept.`
          : 'No send was left with an unknown outcome; acknowledged messages are all kept.'}
      </p>
    </div>
  );
}
