import { memo } from 'react';
import { formatBigDecimal } from '../format';
import { formatClock, formatLatency } from '../format-detail';
import type { TimelineEntry } from './timeline-store';

function prettyPayload(entry: TimelineEntry): string {
  const { payload, payloadText } = entry.message;
  if (entry.view.structured) {
    try {
      return JSON.stringify(payload, null, 2);
    } catch {
      // fall back to the raw text below
    }
  }
  return (
    payloadText ?? (typeof payload === 'string' ? payload : (JSON.stringify(payload) ?? String(payload)))
  );
}

function summaryText(entry: TimelineEntry): string {
  if (entry.view.text !== undefined) return entry.view.text;
  const { payload, payloadText } = entry.message;
  if (typeof payload === 'string') return payload;
  return payloadText ?? JSON.stringify(payload) ?? '';
}

/**
 * One message. Payload fields are rendered as React text nodes only, so a payload holding HTML or script
 * shows up as the characters it contains.
 */
export const TimelineRow = memo(function TimelineRow({
  entry,
  expanded,
  fresh,
  onToggle,
}: {
  entry: TimelineEntry;
  expanded: boolean;
  fresh: boolean;
  onToggle(key: string): void;
}) {
  const { message, view } = entry;
  // seq is unique in the timeline; (partition, offset) repeats after a partition is reset.
  const detailsId = `msg-${entry.seq}`;
  const latency = entry.screenLatencyMs;
  return (
    <article className="timeline-row relative border-b border-border px-3 py-2.5 sm:px-4" data-fresh={fresh}>
      <div className="relative flex items-start gap-3">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-0.5 text-xs">
            <span
              className="font-mono font-semibold text-accent tabular-nums"
              data-testid="message-offset"
              data-offset={message.offset}
              data-partition={message.partitionId}
              data-seq={entry.seq}
            >
              <span className="sr-only">Offset </span>#{formatBigDecimal(message.offset)}
            </span>
            <span className="font-mono text-faint" title={`Partition ${message.partitionId}`}>
              <span aria-hidden="true">p</span>
              <span className="sr-only">partition </span>
              {message.partitionId}
            </span>
            <span className="font-mono text-muted">
              id{' '}
              <span className="text-fg" data-testid="message-id">
                {view.id ?? '—'}
              </span>
            </span>
            <span className="font-mono text-muted tabular-nums" title={view.ts ?? 'no ts field'}>
              <span className="sr-only">ts </span>
              {view.ts ? formatClock(view.ts) : '—'}
            </span>
            <span
              className="ml-auto rounded bg-surface-2 px-1.5 py-0.5 font-mono text-[0.6875rem] text-muted tabular-nums"
              title={
                entry.source === 'history'
                  ? 'Loaded from history when the page opened'
                  : `From the payload ts to this screen (includes the consumer's poll interval)${
                      entry.deliveryLatencyMs !== null
                        ? `; consumer → screen ${formatLatency(entry.deliveryLatencyMs)}`
                        : ''
                    }`
              }
            >
              {entry.source === 'history' ? 'history' : `ts→screen ${formatLatency(latency)}`}
            </span>
          </div>
          <p className="mt-1 truncate text-sm" data-testid="message-text">
            {summaryText(entry)}
          </p>
        </div>
        <button
          type="button"
          className="icon-button -mr-1 size-7 shrink-0"
          aria-expanded={expanded}
          aria-controls={expanded ? detailsId : undefined}
          aria-label={`${expanded ? 'Hide' : 'Show'} JSON for offset ${message.offset}`}
          onClick={() => onToggle(entry.key)}
        >
          <svg
            width="14"
            height="14"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            aria-hidden="true"
            className={`transition-transform ${expanded ? 'rotate-180' : ''}`}
          >
            <path d="M6 9l6 6 6-6" />
          </svg>
        </button>
      </div>
      {expanded ? (
        <div id={detailsId} className="relative mt-2 flex flex-col gap-2">
          <pre className="max-h-72 overflow-auto rounded-lg border border-border bg-surface-2 p-3 font-mono text-xs leading-relaxed whitespace-pre-wrap break-words">
            {prettyPayload(entry)}
          </pre>
          <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-[0.6875rem] sm:grid-cols-2">
            <Meta label="message id (u128)" value={message.id || '—'} />
            <Meta label="server timestamp" value={message.timestamp || '—'} />
            {message.receivedAt ? <Meta label="consumer received" value={message.receivedAt} /> : null}
            {entry.deliveryLatencyMs !== null ? (
              <Meta label="consumer → screen" value={formatLatency(entry.deliveryLatencyMs)} />
            ) : null}
            {message.sizeBytes !== undefined ? (
              <Meta label="payload size" value={`${message.sizeBytes} bytes`} />
            ) : null}
          </dl>
        </div>
      ) : null}
    </article>
  );
});

function Meta({ label, value }: { label: string; value: string }) {
  return (
    <div className="flex min-w-0 gap-2">
      <dt className="shrink-0 text-faint">{label}</dt>
      <dd className="truncate font-mono text-muted" title={value}>
        {value}
      </dd>
    </div>
  );
}
