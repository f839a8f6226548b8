import type { ExplorerLagSeries } from '@/lib/explorer/contract';
import { niceCeiling } from '../dashboard/throughput-chart';
import { formatBigDecimal } from '../format';

const WIDTH = 360;
const HEIGHT = 80;

/** Lag over the window, a line per sample (gaps where a sample failed). Hand-drawn SVG. */
export function LagChart({ series, nowMs }: { series: ExplorerLagSeries; nowMs: number }) {
  const points = series.points;
  const values = points.map((p) => (p.lag === null ? null : Number(p.lag)));
  const top = niceCeiling(Math.max(0, ...values.map((v) => v ?? 0)));
  const x = (atMs: number) => WIDTH - ((nowMs - atMs) / series.windowMs) * WIDTH;
  const y = (v: number) => HEIGHT - (v / top) * (HEIGHT - 4);
  let path = '';
  let pen = false;
  points.forEach((p, i) => {
    const v = values[i];
    if (v === null || v === undefined) {
      pen = false;
      return;
    }
    path += `${pen ? 'L' : 'M'}${Math.max(0, x(p.atMs)).toFixed(1)},${y(v).toFixed(1)} `;
    pen = true;
  });
  const last = points.at(-1);
  const label = last
    ? `Lag of ${series.kind} ${series.name} over the last ${Math.round(series.windowMs / 60_000)} minutes: now ${last.lag === null ? 'unknown' : formatBigDecimal(last.lag)} messages, peak ${formatBigDecimal(String(top))} scale, ${points.length} samples.`
    : `Lag of ${series.kind} ${series.name}: no sample yet.`;
  return (
    <figure className="grid gap-1">
      <figcaption className="flex justify-between text-xs text-muted">
        <span>
          Lag, last {Math.round(series.windowMs / 60_000)} min ({points.length} samples, every{' '}
          {series.intervalMs / 1000} s)
        </span>
        <span className="font-mono text-fg">
          {last?.lag === null || !last ? '—' : formatBigDecimal(last.lag)}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-20 w-full" role="img" aria-label={label}>
        <line x1="0" x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} stroke="var(--border)" />
        <text x="2" y="10" fontSize="9" fill="var(--text-muted)">
          {formatBigDecimal(String(top))}
        </text>
        <path d={path} fill="none" stroke="var(--accent)" strokeWidth="1.5" />
      </svg>
    </figure>
  );
}
