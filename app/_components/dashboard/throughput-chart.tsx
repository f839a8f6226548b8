import type { ThroughputPoint } from '@/lib/api/contract';
import { formatCount } from '../format';

const WIDTH = 360;
const HEIGHT = 72;

/** A ceiling for the y axis in 1-2-5 steps, so the scale does not wobble with every second. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

/** Messages per second over the last minutes: bars for produced, a line for consumed. Hand-drawn SVG. */
export function ThroughputChart({
  points,
  windowSeconds = 180,
}: {
  points: readonly ThroughputPoint[];
  windowSeconds?: number;
}) {
  const recent = points.slice(-windowSeconds);
  const peak = recent.reduce((max, p) => Math.max(max, p.produced, p.consumed), 0);
  const top = niceCeiling(peak);
  const slot = WIDTH / windowSeconds;
  const offset = windowSeconds - recent.length; // right-align: the newest second is at the right edge
  const y = (value: number) => HEIGHT - (value / top) * (HEIGHT - 4);
  const last = recent.at(-1);
  const line = recent
    .map(
      (p, i) => `${i === 0 ? 'M' : 'L'}${((offset + i + 0.5) * slot).toFixed(1)},${y(p.consumed).toFixed(1)}`,
    )
    .join(' ');
  const label = last
    ? `Messages per second over the last ${Math.round(recent.length / 60) || 1} min: now ${formatCount(last.produced)} produced and ${formatCount(last.consumed)} consumed per second; peak ${formatCount(peak)}.`
    : 'Messages per second: no data yet.';

  return (
    <figure className="flex flex-col gap-1.5">
      <figcaption className="flex items-baseline justify-between gap-2 text-xs">
        <span className="font-medium whitespace-nowrap">
          Messages/s <span className="font-normal text-muted">· 3 min</span>
        </span>
        <span className="flex flex-wrap items-center justify-end gap-x-3 text-muted">
          <span className="inline-flex items-center gap-1">
            <span aria-hidden="true" className="inline-block size-2 rounded-sm bg-accent-fill" /> produced
            <span className="font-mono tabular-nums text-fg">{formatCount(last?.produced ?? 0)}</span>
          </span>
          <span className="inline-flex items-center gap-1">
            <span aria-hidden="true" className="inline-block h-0.5 w-3 rounded bg-fg" /> consumed
            <span className="font-mono tabular-nums text-fg">{formatCount(last?.consumed ?? 0)}</span>
          </span>
        </span>
      </figcaption>
      <div className="relative">
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          preserveAspectRatio="none"
          className="h-[72px] w-full overflow-visible"
          role="img"
          aria-label={label}
        >
          <line
            x1="0"
            x2={WIDTH}
            y1={HEIGHT - 0.5}
            y2={HEIGHT - 0.5}
            className="stroke-border"
            strokeWidth="1"
            vectorEffect="non-scaling-stroke"
          />
          <line
            x1="0"
            x2={WIDTH}
            y1={4}
            y2={4}
            className="stroke-border"
            strokeWidth="1"
            strokeDasharray="3 3"
            vectorEffect="non-scaling-stroke"
          />
          {recent.map((p, i) =>
            p.produced > 0 ? (
              <rect
                key={p.t}
                x={(offset + i) * slot + slot * 0.15}
                width={slot * 0.7}
                y={y(p.produced)}
                height={HEIGHT - y(p.produced)}
                className="fill-accent-fill/70"
              />
            ) : null,
          )}
          {recent.length > 1 ? (
            <path
              d={line}
              fill="none"
              className="stroke-fg"
              strokeWidth="1.5"
              vectorEffect="non-scaling-stroke"
              strokeLinejoin="round"
            />
          ) : null}
        </svg>
        <span className="pointer-events-none absolute top-0 left-1 -translate-y-1/2 bg-surface px-1 font-mono text-[0.625rem] text-faint tabular-nums">
          {formatCount(top)}/s
        </span>
      </div>
      <div className="flex justify-between font-mono text-[0.625rem] text-faint" aria-hidden="true">
        <span>−3 min</span>
        <span>now</span>
      </div>
    </figure>
  );
}
