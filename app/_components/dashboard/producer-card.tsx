'use client';

import { useId, useState } from 'react';
import type { ProducerStatus } from '@/lib/api/contract';
import { formatBigDecimal, formatCount, formatRate } from '../format';
import { PlayIcon, StopIcon } from '../ui/icons';
import { ErrorNote, Facts, PanelHeader, RunningChip, Stat } from '../ui/panel';
import { useAction } from './use-action';
import { SegmentedChoice } from '../ui/segmented-choice';

export const PRODUCER_RATES = [1, 10, 100, 1_000] as const;
const DEFAULT_RATE = 1;

export function ProducerCard({
  producer,
  stream,
  topic,
  disabled,
}: {
  producer: ProducerStatus | undefined;
  stream: string;
  topic: string;
  /** True while the app itself is unreachable: there is nobody to send the request to. */
  disabled?: boolean;
}) {
  const headingId = useId();
  const { run, pending } = useAction('/api/producer', 'Could not change the producer');
  const [chosenRate, setChosenRate] = useState<number | null>(null);
  const [requestedRate, setRequestedRate] = useState<number | null>(null);
  const running = producer?.running ?? false;
  const serverRate =
    producer && (PRODUCER_RATES as readonly number[]).includes(producer.ratePerSec)
      ? producer.ratePerSec
      : null;
  // While running, the server's rate is the truth (shown optimistically while a change is in flight);
  // while stopped, the reader's pick is kept for the next start.
  // A rate set elsewhere (the CLI allows 0.1..1000) that is not one of the buttons selects no button.
  const rate = running
    ? (requestedRate ?? serverRate ?? (producer ? null : DEFAULT_RATE))
    : (chosenRate ?? serverRate ?? DEFAULT_RATE);

  const changeRate = async (next: number) => {
    setChosenRate(next);
    if (!running) return;
    setRequestedRate(next);
    await run({ action: 'rate', ratePerSec: next });
    setRequestedRate(null);
  };

  return (
    <section className="card gap-4 p-4" aria-labelledby={headingId}>
      <PanelHeader
        id={headingId}
        title="Producer"
        caption={`Appends JSON messages to ${stream} / ${topic} over TCP.`}
        learn={{ section: 'topics', topic: 'topics' }}
        aside={
          <RunningChip
            running={running}
            label={
              running
                ? `Sending ${formatRate(requestedRate ?? producer?.ratePerSec ?? rate ?? DEFAULT_RATE)}`
                : undefined
            }
          />
        }
      />

      <SegmentedChoice
        caption="Rate · messages per second"
        groupLabel="Producer rate"
        options={PRODUCER_RATES}
        value={rate}
        disabled={disabled || pending}
        onChange={(value) => void changeRate(value)}
        optionText={formatCount}
        optionLabel={(value) => `${formatCount(value)} per second`}
      />

      <button
        type="button"
        className={running ? 'btn' : 'btn btn-primary'}
        disabled={disabled || pending}
        aria-busy={pending}
        onClick={() =>
          void run(running ? { action: 'stop' } : { action: 'start', ratePerSec: rate ?? DEFAULT_RATE })
        }
      >
        {running ? <StopIcon /> : <PlayIcon />}
        {running ? 'Stop producer' : 'Start producer'}
      </button>

      <dl className="grid grid-cols-2 gap-3">
        <Stat label="Sent" tone={running ? 'accent' : undefined}>
          {formatCount(producer?.sent ?? 0)}
        </Stat>
        <Stat label="Next id">{producer?.nextId ? formatBigDecimal(producer.nextId) : '—'}</Stat>
      </dl>

      <div>
        <p className="stat-label mb-1.5">Each message</p>
        <pre className="rounded-lg border border-border bg-surface-2 px-3 py-2 font-mono text-xs leading-relaxed whitespace-pre-wrap break-words text-muted">
          <span className="text-faint">{'{'}</span>
          {'\n  '}
          <span className="text-accent">&quot;id&quot;</span>: {producer?.nextId ?? 'N'},{'\n  '}
          <span className="text-accent">&quot;text&quot;</span>: &quot;hello from producer&quot;,{'\n  '}
          <span className="text-accent">&quot;ts&quot;</span>: &quot;&lt;ISO-8601&gt;&quot;{'\n'}
          <span className="text-faint">{'}'}</span>
        </pre>
      </div>

      {producer?.lastError ? (
        <ErrorNote
          title={
            producer.lastError.code === 'DURABILITY_UNSUPPORTED'
              ? 'This server does not support durability'
              : 'Last send error'
          }
          error={producer.lastError}
        />
      ) : null}

      <Facts
        items={[
          { term: 'Command', detail: <code className="font-mono">SendMessages</code> },
          { term: 'Partitioning', detail: 'partition id, round-robin' },
          { term: 'Connection', detail: 'own TCP socket' },
        ]}
      />
    </section>
  );
}
