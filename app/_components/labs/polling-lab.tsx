'use client';

import { useId, useMemo, useState } from 'react';
import type { LabPollingStrategy, PollingLabState, PollingLabTypes } from '@/lib/labs/polling/contract';
import { isConsumerName, POLLING_LIMITS } from '@/lib/labs/polling/limits';
import {
  fieldNumber,
  type LabChoiceOption,
  LabButton,
  LabForm,
  LabCheck,
  LabChoice,
  LabInputField,
  LabNumberField,
  LabSlot,
  LabTextField,
} from './lab-controls';
import { LabFrame, type LabPlacement } from './lab-frame';
import { useLab } from './use-lab';

type Kind = LabPollingStrategy['kind'];
const KINDS: LabChoiceOption<Kind>[] = [
  { value: 'offset', label: 'Offset(n)', title: 'from offset n' },
  { value: 'first', label: 'First', title: 'from the oldest message' },
  { value: 'last', label: 'Last', title: 'the newest count messages' },
  { value: 'next', label: 'Next', title: 'after the consumer’s stored offset' },
  { value: 'timestamp', label: 'Timestamp(t)', title: 'from the first message stamped at or after t' },
];
/** How far past the newest message the slider reaches, so "newer than every message" can be picked. */
const SLIDER_TAIL_MS = 250;

function timeOf(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString().slice(11, 23);
}

export function PollingLab(placement: LabPlacement) {
  const [consumer, setConsumer] = useState('lab-reader');
  const consumerValid = isConsumerName(consumer);
  const lab = useLab<PollingLabTypes>('polling', {
    query: consumerValid ? `consumer=${encodeURIComponent(consumer)}` : undefined,
  });
  const [kind, setKind] = useState<Kind>('last');
  const [offset, setOffset] = useState('5');
  const [count, setCount] = useState('3');
  const [autoCommit, setAutoCommit] = useState(false);
  const [sliderMs, setSliderMs] = useState(0);
  const consumerId = useId();

  const state = lab.state;
  const messages = useMemo(() => state?.messages ?? [], [state]);
  const firstMicros = messages.length > 0 ? Number(messages[0]!.timestampMicros) : 0;
  const lastMicros = messages.length > 0 ? Number(messages.at(-1)!.timestampMicros) : 0;
  const spanMs = Math.max(1, Math.ceil((lastMicros - firstMicros) / 1000) + SLIDER_TAIL_MS);
  const chosenMicros = firstMicros + Math.min(sliderMs, spanMs) * 1000;
  const predicted = messages.find((m) => Number(m.timestampMicros) >= chosenMicros);

  const lastPoll = lab.result?.action === 'poll' ? lab.result.outcome : undefined;
  const returned = new Set(lastPoll?.offsets ?? []);
  const stored = state?.storedOffset?.consumer === consumer ? state.storedOffset.offset : null;
  const filled = state?.partition !== null && state?.partition !== undefined;
  const busy = lab.pending !== undefined;
  const filling = state?.fill.running === true || lab.pending === 'fill';

  const strategy = (): LabPollingStrategy => {
    switch (kind) {
      case 'offset':
        return { kind, value: offset.trim() };
      case 'timestamp':
        return { kind, value: String(Math.round(chosenMicros)) };
      default:
        return { kind };
    }
  };

  return (
    <LabFrame name="polling" {...placement} lab={lab}>
      <div className="flex flex-wrap items-center gap-3">
        <LabButton
          primary
          disabled={busy || filling}
          busy={filling}
          onClick={() => void lab.act({ action: 'fill' })}
        >
          {filling ? 'Filling…' : filled ? 'Refill with 20 messages' : 'Fill with 20 messages'}
        </LabButton>
        {filling ? (
          <label className="flex items-center gap-2 text-sm text-muted">
            Sent
            <progress
              max={state?.fill.total ?? POLLING_LIMITS.pollingMessages}
              value={state?.fill.sent ?? 0}
            />
            <span className="font-mono">
              {state?.fill.sent ?? 0}/{state?.fill.total ?? POLLING_LIMITS.pollingMessages}
            </span>
          </label>
        ) : (
          <p className="lab-hint">
            One send per message, ~0.1 s apart, so each gets its own server timestamp. Topic{' '}
            <code>
              {state?.stream ?? 'demo-labs'}/{state?.topic ?? 'polling'}
            </code>
            , partition 0.
          </p>
        )}
      </div>

      <LabSlot loading={lab.loading} loadingText="Loading the partition…">
        <PartitionDrawing
          messages={messages}
          returned={returned}
          stored={stored}
          storedBefore={lastPoll && lastPoll.consumer === consumer ? lastPoll.storedBefore : undefined}
          consumer={consumer}
          empty={!filled}
          unreachable={state?.iggy.reachable === false}
        />
      </LabSlot>

      <LabForm
        label="Poll the partition"
        onSubmit={() => {
          void lab.act({
            action: 'poll',
            strategy: strategy(),
            count: fieldNumber(count),
            consumer,
            autoCommit,
          });
        }}
      >
        <LabChoice
          legend="Polling strategy"
          className="!grid-flow-row grid-cols-2 sm:!grid-flow-col sm:grid-cols-none"
          value={kind}
          onValue={setKind}
          options={KINDS}
        />

        {kind === 'offset' ? (
          <LabInputField
            label="Start offset n"
            className="lab-input w-32"
            inputMode="numeric"
            value={offset}
            onValue={setOffset}
          >
            <span className="lab-hint">Try one past the newest (20 or more) to see an empty poll.</span>
          </LabInputField>
        ) : null}

        {kind === 'timestamp' ? (
          <LabInputField
            label="Timestamp t (server time, UTC)"
            type="range"
            className="lab-range"
            min={0}
            max={spanMs}
            step={1}
            value={Math.min(sliderMs, spanMs)}
            disabled={!filled}
            aria-valuetext={
              filled
                ? `${timeOf(chosenMicros)}, ${predicted ? `first message at or after it: offset ${predicted.offset}` : 'newer than every message'}`
                : 'fill the partition first'
            }
            onValue={(value) => setSliderMs(Number(value))}
          >
            <span className="lab-hint font-mono">
              {filled
                ? `t = ${timeOf(chosenMicros)} (+${(Math.min(sliderMs, spanMs) / 1000).toFixed(3)} s) → ${predicted ? `expect offset ${predicted.offset} first` : 'newer than every message'}`
                : 'Fill the partition to get timestamps to choose from.'}
            </span>
          </LabInputField>
        ) : null}

        <div className="grid gap-3 sm:grid-cols-[8rem_minmax(0,14rem)_auto] sm:items-end">
          <LabNumberField
            label="Count"
            min={0}
            max={POLLING_LIMITS.pollCountMax}
            value={count}
            onValue={setCount}
          />
          <LabTextField
            label="Consumer name"
            id={consumerId}
            className="lab-input font-mono"
            value={consumer}
            maxLength={POLLING_LIMITS.consumerNameMaxChars}
            aria-invalid={!consumerValid}
            aria-describedby={consumerValid ? undefined : `${consumerId}-error`}
            onValue={setConsumer}
          >
            {consumerValid ? null : (
              <span id={`${consumerId}-error`} className="lab-hint text-danger">
                Letters, digits, “.”, “_” and “-”, starting with a letter or digit.
              </span>
            )}
          </LabTextField>
          <LabCheck checked={autoCommit} onChecked={setAutoCommit}>
            Auto-commit
          </LabCheck>
        </div>

        <div className="flex flex-wrap items-center gap-2">
          <LabButton type="submit" primary disabled={busy || filling} busy={lab.pending === 'poll'}>
            Poll
          </LabButton>
          <LabButton
            disabled={busy || filling || !consumerValid}
            onClick={() => void lab.act({ action: 'deleteOffset', consumer })}
          >
            Delete stored offset
          </LabButton>
          <span className="lab-hint">
            Stored offset of <code>{consumerValid ? consumer : '…'}</code>:{' '}
            <span className="font-mono text-fg">{stored ?? 'none'}</span>
          </span>
        </div>
      </LabForm>
    </LabFrame>
  );
}

function PartitionDrawing({
  messages,
  returned,
  stored,
  storedBefore,
  consumer,
  empty,
  unreachable,
}: {
  messages: PollingLabState['messages'];
  returned: Set<string>;
  stored: string | null;
  storedBefore: string | null | undefined;
  consumer: string;
  empty: boolean;
  unreachable: boolean;
}) {
  if (unreachable) return <p className="lab-note">The partition cannot be read while Iggy is unreachable.</p>;
  if (empty)
    return (
      <p className="lab-note">
        The partition is empty: no topic yet. <strong>Fill</strong> it with 20 numbered messages to start
        polling.
      </p>
    );
  const first = messages.length > 0 ? Number(messages[0]!.timestampMicros) : 0;
  return (
    <div className="grid gap-3">
      <ol className="lab-partition" aria-label={`Partition 0: ${messages.length} messages`}>
        {messages.map((message) => {
          const isReturned = returned.has(message.offset);
          const isStored = stored === message.offset;
          const wasStored =
            storedBefore !== undefined && storedBefore !== stored && storedBefore === message.offset;
          const notes = [
            isReturned ? 'returned by the last poll' : '',
            isStored ? `stored offset of ${consumer}` : '',
            wasStored ? 'stored offset before the last poll' : '',
          ].filter(Boolean);
          return (
            <li
              key={message.offset}
              className="lab-cell"
              data-returned={isReturned}
              data-stored={isStored}
              data-before={wasStored}
              title={`offset ${message.offset} · ${message.text} · +${((Number(message.timestampMicros) - first) / 1e6).toFixed(3)} s`}
            >
              <span aria-hidden="true">{message.offset}</span>
              <span className="sr-only">
                Offset {message.offset}
                {notes.length > 0 ? `: ${notes.join(', ')}` : ''}
              </span>
            </li>
          );
        })}
      </ol>
      <p className="lab-legend" aria-hidden="true">
        <span>
          <span
            className="lab-swatch"
            style={{ background: 'var(--accent-soft)', borderColor: 'var(--accent)' }}
          />
          returned by the last poll
        </span>
        <span>
          <span
            className="lab-swatch"
            style={{ background: 'var(--lag-fill)', borderColor: 'var(--lag-fill)' }}
          />
          stored offset now
        </span>
        <span>
          <span className="lab-swatch lab-swatch-plain" style={{ borderRadius: 999 }} />
          stored offset before
        </span>
      </p>
    </div>
  );
}
