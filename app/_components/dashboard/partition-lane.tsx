import type { ConsumerPartitionOffset, PartitionReset, TopologyPartition } from '@/lib/api/contract';
import { formatBigDecimal, formatBytes, formatClock } from '../format';
import { lostRangeText } from '../timeline/reset-divider';
import { LearnLink } from '../ui/learn-link';
import { laneOffsets, laneWindow } from '../offsets';

/**
 * One partition as a lane of the newest offsets: the consumed part, then the lag as the gap between the
 * consumer's stored-offset marker and the head (current offset) marker.
 */
export function PartitionLane({
  partition,
  consumerOffset,
  reset,
}: {
  partition: TopologyPartition;
  /** The consumer's stored offset and lag for this partition, from the server. */
  consumerOffset: ConsumerPartitionOffset | undefined;
  /** The newest reset of this partition in this run, if any: its offsets restarted. */
  reset?: PartitionReset | undefined;
}) {
  const lag = laneOffsets(partition, consumerOffset);
  const window = laneWindow(lag);
  const lagging = lag.lag !== null && lag.lag > 0n;
  const lagText = lag.lag === null ? 'unknown' : lag.lag.toString();
  const cells = window !== null && window.span <= 64 ? window.span : null;
  const pct = (fraction: number) => `${(fraction * 100).toFixed(3)}%`;
  const summary = `Partition ${partition.id}: current offset ${
    lag.currentOffset === null ? 'none (empty)' : lag.currentOffset.toString()
  }, stored offset ${lag.storedOffset === null ? 'none' : lag.storedOffset.toString()}, lag ${lagText}${
    reset ? `; lost ${lostRangeText(reset)} in a reset` : ''
  }`;

  return (
    <li className="flex flex-col gap-2" data-partition={partition.id} aria-label={summary}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5 text-xs">
        <span className="font-medium text-fg">
          Partition <span className="font-mono">{partition.id}</span>
        </span>
        <span className="text-muted tabular-nums">
          {formatBigDecimal(partition.messagesCount)} messages · {partition.segmentsCount}{' '}
          {partition.segmentsCount === 1 ? 'segment' : 'segments'} · {formatBytes(partition.sizeBytes)}
        </span>
      </div>

      {reset ? (
        <p
          className="flex flex-wrap items-baseline gap-x-2 rounded-md border border-lag-fill/60 bg-lag-soft px-2 py-1 text-xs"
          data-testid={`reset-mark-${partition.id}`}
        >
          <span className="font-semibold text-lag">
            Reset: lost {reset.exact ? '' : 'at least '}
            {lostRangeText(reset)}
          </span>
          <span className="font-mono text-faint tabular-nums">noticed {formatClock(reset.noticedAt)}</span>
          <span className="ml-auto">
            <LearnLink section="what-a-crash-loses" topic="what a crash loses" />
          </span>
        </p>
      ) : null}

      <div className="relative pt-5 pb-5" aria-hidden="true">
        <div className="relative h-5 overflow-hidden rounded-md border border-border bg-surface-2">
          {window ? (
            <>
              <div
                className="absolute inset-y-0 left-0 bg-accent-fill/75 transition-[width] duration-500 ease-out"
                style={{ width: pct(window.lagFrom) }}
              />
              <div
                className="absolute inset-y-0 bg-lag-fill/35 transition-[left] duration-500 ease-out"
                style={{
                  left: pct(window.lagFrom),
                  right: 0,
                  backgroundImage:
                    'repeating-linear-gradient(135deg, transparent 0 5px, color-mix(in oklab, var(--lag-fill) 55%, transparent) 5px 7px)',
                }}
              />
              {cells !== null ? (
                <div
                  className="absolute inset-0"
                  style={{
                    backgroundImage: `repeating-linear-gradient(90deg, transparent 0 calc(100% / ${cells} - 1px), var(--surface) calc(100% / ${cells} - 1px) calc(100% / ${cells}))`,
                  }}
                />
              ) : null}
            </>
          ) : null}
        </div>

        {window ? (
          <>
            {/* Head marker: re-keyed on each new offset so the pulse replays. */}
            <span
              key={window.end.toString()}
              className="lane-pulse absolute top-4 right-0 bottom-4 w-[3px] translate-x-1/2 rounded-full bg-accent"
            />
            <span className="absolute top-0 right-0 font-mono text-[0.6875rem] leading-4 text-accent tabular-nums">
              head {formatBigDecimal(window.end)}
            </span>
            {window.storedAt !== null ? (
              <>
                <span
                  className="absolute top-4 bottom-4 w-[3px] -translate-x-1/2 rounded-full bg-fg transition-[left] duration-500 ease-out"
                  style={{ left: pct(window.storedAt) }}
                />
                <span
                  className="absolute bottom-0 font-mono text-[0.6875rem] leading-4 whitespace-nowrap text-fg tabular-nums transition-[left] duration-500 ease-out"
                  style={{
                    left: pct(window.storedAt),
                    transform: `translateX(${window.storedAt > 0.7 ? '-100%' : window.storedAt < 0.3 ? '0' : '-50%'})`,
                  }}
                >
                  consumer {formatBigDecimal(lag.storedOffset)}
                </span>
              </>
            ) : null}
            <span className="absolute top-0 left-0 font-mono text-[0.6875rem] leading-4 text-faint tabular-nums">
              {window.start > 0n ? `… ${formatBigDecimal(window.start)}` : formatBigDecimal(window.start)}
            </span>
          </>
        ) : (
          <span className="absolute inset-x-0 top-5 grid h-5 place-items-center text-[0.6875rem] text-faint">
            empty
          </span>
        )}
      </div>

      <dl className="grid grid-cols-3 gap-2 text-xs">
        <div>
          <dt className="text-faint">Current offset</dt>
          <dd className="font-mono text-sm tabular-nums" data-testid={`current-offset-${partition.id}`}>
            {lag.currentOffset === null ? '—' : formatBigDecimal(lag.currentOffset)}
          </dd>
        </div>
        <div>
          <dt className="text-faint">Stored offset</dt>
          <dd className="font-mono text-sm tabular-nums" data-testid={`stored-offset-${partition.id}`}>
            {lag.storedOffset === null ? '—' : formatBigDecimal(lag.storedOffset)}
          </dd>
        </div>
        <div>
          <dt className="text-faint">Lag</dt>
          <dd
            className={`font-mono text-sm tabular-nums ${lagging ? 'font-semibold text-lag' : ''}`}
            data-testid={`lag-${partition.id}`}
          >
            {lag.lag === null ? '—' : formatBigDecimal(lag.lag)}
          </dd>
        </div>
      </dl>
    </li>
  );
}
