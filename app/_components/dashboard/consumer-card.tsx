'use client';

import { useId, useState } from 'react';
import type { ConsumerStatus } from '@/lib/api/contract';
import { formatBigDecimal, formatCount } from '../format';
import { PlayIcon, StopIcon } from '../ui/icons';
import { ErrorNote, Facts, PanelHeader, RunningChip, Stat } from '../ui/panel';
import { useAction } from './use-action';
import { SegmentedChoice } from '../ui/segmented-choice';

/** The poll intervals the card offers (the API takes any whole number from 50 to 2000). */
export const POLL_INTERVALS_MS = [50, 100, 250, 500, 1_000, 2_000] as const;
const DEFAULT_POLL_INTERVAL_MS = 500;

function formatInterval(ms: number): string {
  return ms >= 1_000 ? `${ms / 1_000} s` : `${ms} ms`;
}

export function ConsumerCard({
  consumer,
  consumerName,
  topic,
  lag,
  disabled,
}: {
  consumer: ConsumerStatus | undefined;
  consumerName: string;
  topic: string;
  /**
   * The server's lag across partitions as the topology reports it (decimal string), preferred over the status
   * field when known so this card and the partition lanes show the same number. Never computed here.
   */
  lag: string | null;
  disabled?: boolean;
}) {
  const headingId = useId();
  const { run, pending } = useAction('/api/consumer', 'Could not change the consumer');
  const running = consumer?.running ?? false;
  const lagText = lag ?? consumer?.lag ?? null;
  const lagging = lagText !== null && lagText !== '0';
  const [requestedInterval, setRequestedInterval] = useState<number | null>(null);
  // The server's interval is the truth, shown optimistically while a change is in flight. One set elsewhere
  // (CONSUMER_POLL_MS may be any whole number from 50 to 2000) that is not a button selects no button.
  const interval = requestedInterval ?? consumer?.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;

  const changeInterval = async (next: number) => {
    setRequestedInterval(next);
    await run({ action: 'setPollInterval', pollIntervalMs: next });
    setRequestedInterval(null);
  };

  return (
    <section className="card gap-4 p-4" aria-labelledby={headingId}>
      <PanelHeader
        id={headingId}
        title="Consumer"
        caption={`Polls ${topic} as “${consumerName}” and stores its offset in Iggy.`}
        learn={{
          section: 'consumer-offsets-and-consumer-groups',
          topic: 'consumer offsets and consumer groups',
        }}
        aside={<RunningChip running={running} label={running ? 'Polling' : undefined} />}
      />

      <button
        type="button"
        className={running ? 'btn' : 'btn btn-primary'}
        disabled={disabled || pending}
        aria-busy={pending}
        onClick={() => void run({ action: running ? 'stop' : 'start' })}
      >
        {running ? <StopIcon /> : <PlayIcon />}
        {running ? 'Stop consumer' : 'Start consumer'}
      </button>

      <SegmentedChoice
        caption="Poll interval · wait after an empty poll"
        groupLabel="Consumer poll interval"
        options={POLL_INTERVALS_MS}
        value={interval}
        disabled={disabled || pending}
        onChange={(value) => void changeInterval(value)}
        optionText={formatInterval}
        optionLabel={(value) => `Poll every ${formatInterval(value)}`}
      />

      <dl className="grid grid-cols-2 gap-3">
        <Stat label="Received" tone={running ? 'accent' : undefined}>
          {formatCount(consumer?.received ?? 0)}
        </Stat>
        <Stat label="Lag" tone={lagging ? 'lag' : undefined}>
          <span data-testid="consumer-lag">{lagText === null ? '—' : formatBigDecimal(lagText)}</span>
        </Stat>
        <Stat label="Stored offset">{formatBigDecimal(consumer?.storedOffset ?? null)}</Stat>
        <Stat label="Last offset">{formatBigDecimal(consumer?.lastOffset ?? null)}</Stat>
      </dl>

      <p className="rounded-lg border border-border bg-surface-2 px-3 py-2 text-xs leading-relaxed text-muted">
        Each poll asks for <code className="font-mono text-fg">PollingStrategy.next()</code>: the messages
        after the stored offset. Stop it, let lag build up, start it again — it resumes exactly where it left
        off.
      </p>

      {consumer?.lastError ? <ErrorNote title="Last poll error" error={consumer.lastError} /> : null}

      <Facts
        items={[
          { term: 'Command', detail: <code className="font-mono">PollMessages</code> },
          { term: 'Consumer kind', detail: 'single, not a group' },
          { term: 'Offset', detail: 'auto-commit, on server' },
        ]}
      />
    </section>
  );
}
