import type { PartitionReset } from '@/lib/api/contract';
import { formatBigDecimal } from '../format';
import { formatClock } from '../format-detail';
import { LearnLink } from '../ui/learn-link';

/** "offsets 0–113" or "offset 7". */
export function lostRangeText(reset: Pick<PartitionReset, 'lostFrom' | 'lostTo'>): string {
  return reset.lostFrom === reset.lostTo
    ? `offset ${formatBigDecimal(reset.lostFrom)}`
    : `offsets ${formatBigDecimal(reset.lostFrom)}–${formatBigDecimal(reset.lostTo)}`;
}

/**
 * The point in the timeline where a partition lost acknowledged messages: the offsets below restart, while the
 * producer's JSON ids keep counting. Text only (no payload data is rendered here).
 */
export function ResetDivider({ reset }: { reset: PartitionReset }) {
  const count = BigInt(reset.lostCount);
  return (
    // A group, not a separator: a separator's content is presentational, and this one holds a Learn link.
    <div
      role="group"
      aria-label={`Iggy lost ${lostRangeText(reset)} of partition ${reset.partitionId}`}
      className="border-y border-lag-fill/60 bg-lag-soft px-3 py-2 text-xs sm:px-4"
      data-testid="reset-divider"
      data-partition={reset.partitionId}
      data-lost-from={reset.lostFrom}
      data-lost-to={reset.lostTo}
      data-after-seq={reset.afterSeq}
    >
      <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
        <span className="font-semibold text-lag">
          Iggy lost {reset.exact ? '' : 'at least '}
          {lostRangeText(reset)} of partition {reset.partitionId}
        </span>
        <span className="text-muted">
          ({formatBigDecimal(reset.lostCount)} acknowledged {count === 1n ? 'message' : 'messages'}) ·{' '}
          {reset.cause || 'the server reported fewer offsets than before'}
        </span>
        <span className="ml-auto flex items-baseline gap-2">
          <span className="font-mono text-faint tabular-nums" title={reset.noticedAt}>
            noticed {formatClock(reset.noticedAt)}
          </span>
          <LearnLink section="what-a-crash-loses" topic="what a crash loses" />
        </span>
      </div>
      <p className="mt-0.5 text-muted">
        Offsets below start again; the producer&apos;s JSON ids keep counting, so no message was skipped.
      </p>
    </div>
  );
}
