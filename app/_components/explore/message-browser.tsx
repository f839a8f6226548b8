'use client';

import { useEffect, useId, useState } from 'react';
import type { ExplorerMessage, ExplorerMessages } from '@/lib/explorer/contract';
import { formatBigDecimal } from '../format';
import { apiUrl, microsToUtcInput, utcInputToMicros } from './format';
import { MessageCard } from './message-card';
import { useExplore } from './use-explore';
import { ViewCost, ViewError } from './view-cost';

export type Seek = { seek: 'offset' | 'timestamp'; value: string } | { seek: 'first' | 'last' };

const COUNTS = [10, 20, 50, 100];
const TAIL_REFRESH_MS = 1_000;

export interface BrowserTarget {
  stream: string;
  topic: string;
  partition: number;
}

/** One partition's messages: seek, page, tail, export. Reads never store a consumer offset. */
export function MessageBrowser({
  target,
  initial,
  onSendAgain,
}: {
  target: BrowserTarget;
  initial: Seek;
  onSendAgain: (message: ExplorerMessage) => void;
}) {
  const [position, setPosition] = useState<Seek>(initial);
  const [count, setCount] = useState(20);
  const [tail, setTail] = useState(false);
  const [offsetInput, setOffsetInput] = useState(initial.seek === 'offset' ? initial.value : '');
  const [timeInput, setTimeInput] = useState(
    initial.seek === 'timestamp' ? microsToUtcInput(initial.value) : '',
  );
  const [inputError, setInputError] = useState<string | undefined>(undefined);
  const ids = { offset: useId(), time: useId(), count: useId() };
  const effective: Seek = tail ? { seek: 'last' } : position;
  const url = apiUrl('messages', {
    stream: target.stream,
    topic: target.topic,
    partition: String(target.partition),
    seek: effective.seek,
    value: 'value' in effective ? effective.value : undefined,
    count: String(count),
  });
  const { data, error, isLoading } = useExplore<ExplorerMessages>(url, tail ? TAIL_REFRESH_MS : 0, {
    revalidateOnFocus: tail,
  });

  // The address bar follows the position, so a page of messages can be linked.
  useEffect(() => {
    const params = new URLSearchParams();
    if (position.seek === 'offset') params.set('offset', position.value);
    if (position.seek === 'timestamp') params.set('timestamp', position.value);
    const search = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${search ? `?${search}` : ''}`);
  }, [position]);

  const messages = data?.messages ?? [];
  const first = messages[0]?.offset;
  const last = messages.at(-1)?.offset;
  const go = (next: Seek) => {
    setTail(false);
    setInputError(undefined);
    setPosition(next);
  };

  const seekOffset = (event: React.FormEvent) => {
    event.preventDefault();
    if (!/^\d{1,20}$/.test(offsetInput.trim()))
      return setInputError('An offset is a whole number, 0 or more.');
    go({ seek: 'offset', value: offsetInput.trim() });
  };
  const seekTime = (event: React.FormEvent) => {
    event.preventDefault();
    const micros = utcInputToMicros(timeInput);
    if (micros === undefined) return setInputError('Pick a date and time (UTC).');
    go({ seek: 'timestamp', value: micros });
  };
  const exportLines = () => {
    const text = messages.map((m) => JSON.stringify(m)).join('\n') + '\n';
    const href = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
    const a = document.createElement('a');
    a.href = href;
    a.download = `${target.stream}-${target.topic}-${target.partition}-${first ?? 'empty'}-${last ?? 'empty'}.jsonl`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
  };

  return (
    <section aria-labelledby="browser-title" className="grid gap-3">
      <h2 id="browser-title" className="text-xl font-semibold tracking-tight">
        Messages
      </h2>
      <div className="flex flex-wrap items-end gap-3">
        <form onSubmit={seekOffset} className="flex items-end gap-2">
          <div className="lab-field">
            <label htmlFor={ids.offset} className="lab-label">
              Offset
            </label>
            <input
              id={ids.offset}
              className="lab-input w-32 font-mono"
              inputMode="numeric"
              value={offsetInput}
              onChange={(e) => setOffsetInput(e.target.value)}
            />
          </div>
          <button type="submit" className="btn btn-sm">
            Seek offset
          </button>
        </form>
        <form onSubmit={seekTime} className="flex items-end gap-2">
          <div className="lab-field">
            <label htmlFor={ids.time} className="lab-label">
              Time (UTC)
            </label>
            <input
              id={ids.time}
              type="datetime-local"
              step="0.001"
              className="lab-input"
              value={timeInput}
              onChange={(e) => setTimeInput(e.target.value)}
            />
          </div>
          <button type="submit" className="btn btn-sm">
            Seek time
          </button>
        </form>
        <div className="lab-field">
          <label htmlFor={ids.count} className="lab-label">
            Per page
          </label>
          <select
            id={ids.count}
            className="lab-input"
            value={count}
            onChange={(e) => setCount(Number(e.target.value))}
          >
            {COUNTS.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
      </div>
      {inputError ? (
        <p className="lab-note" data-tone="error" role="alert">
          {inputError}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2" role="group" aria-label="Move through the partition">
        <button type="button" className="btn btn-sm" onClick={() => go({ seek: 'first' })}>
          First
        </button>
        <button
          type="button"
          className="btn btn-sm"
          disabled={first === undefined || first === '0'}
          onClick={() => {
            const from = BigInt(first!) - BigInt(count);
            go({ seek: 'offset', value: (from < 0n ? 0n : from).toString() });
          }}
        >
          ← Older
        </button>
        <button
          type="button"
          className="btn btn-sm"
          disabled={last === undefined}
          onClick={() => go({ seek: 'offset', value: (BigInt(last!) + 1n).toString() })}
        >
          Newer →
        </button>
        <button type="button" className="btn btn-sm" onClick={() => go({ seek: 'last' })}>
          Last
        </button>
        <button
          type="button"
          className="btn btn-sm"
          aria-pressed={tail}
          // Stopping the tail keeps the page it showed, instead of jumping back to the position before it.
          onClick={() => (tail ? go({ seek: 'offset', value: first ?? '0' }) : setTail(true))}
        >
          {tail ? 'Stop live tail' : 'Live tail'}
        </button>
        <button type="button" className="btn btn-sm" disabled={messages.length === 0} onClick={exportLines}>
          Export JSON lines
        </button>
      </div>
      <p className="text-sm text-muted" role="status" aria-live="polite">
        {isLoading && !data
          ? 'Polling…'
          : data
            ? messages.length === 0
              ? `No messages at this position. The partition holds ${formatBigDecimal(data.partitionMessagesCount)} messages${data.partitionMessagesCount === '0' ? '' : `, newest offset ${formatBigDecimal(data.currentOffset)}`}.`
              : `Offsets ${formatBigDecimal(first)} to ${formatBigDecimal(last)} (${messages.length} loaded) of partition ${data.partitionId}; newest offset ${formatBigDecimal(data.currentOffset)}.${tail ? ' Following new messages.' : ''}${data.polledCount < data.requestedCount ? ` Asked for ${data.polledCount}, not ${data.requestedCount}: the messages are big.` : ''}`
            : ''}
      </p>
      {error ? <ViewError error={error} what="the messages" /> : null}
      <ol className="grid gap-2" aria-label="Loaded messages">
        {messages.map((m) => (
          <li key={m.offset}>
            <MessageCard message={m} onSendAgain={onSendAgain} />
          </li>
        ))}
      </ol>
      <ViewCost cost={data} what="this page of messages" />
    </section>
  );
}
