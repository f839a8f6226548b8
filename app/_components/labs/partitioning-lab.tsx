'use client';

import { useId, useState } from 'react';
import type { LabPartitioning, PartitioningLabState, SendOutcome } from '@/lib/labs/contract';
import { LAB_LIMITS } from '@/lib/labs/limits';
import { LabFrame } from './lab-frame';
import { useLab } from './use-lab';

type Mode = LabPartitioning['kind'];
const MODES: { mode: Mode; label: string }[] = [
  { mode: 'balanced', label: 'Balanced' },
  { mode: 'partitionId', label: 'Partition id' },
  { mode: 'messagesKey', label: 'Messages key' },
];
const KEY_COLOURS = 8;

export function PartitioningLab({
  headingLevel = 2,
  context = 'page',
}: {
  headingLevel?: number;
  context?: 'docs' | 'page';
}) {
  const lab = useLab<PartitioningLabState>('/api/labs/partitioning', '/api/labs/partitioning');
  // Until the reader picks a count, the picker shows the topic's own.
  const [pickedPartitions, setPartitions] = useState<number | undefined>(undefined);
  const [mode, setMode] = useState<Mode>('messagesKey');
  const [partitionId, setPartitionId] = useState(0);
  const [key, setKey] = useState('user-1');
  const [count, setCount] = useState('4');
  const [oneBatch, setOneBatch] = useState(false);
  const ids = { partitions: useId(), mode: useId(), partitionId: useId(), key: useId(), count: useId() };

  const state = lab.state;
  const topicPartitions = state?.topicInfo?.partitionsCount;
  const partitions = pickedPartitions ?? topicPartitions ?? 3;
  const busy = lab.pending !== undefined;
  const lastSend = lab.result?.action === 'send' ? (lab.result.outcome as SendOutcome) : undefined;
  const fresh = new Set(lastSend?.messages.map((m) => m.seq) ?? []);
  const keyIndex = (k: string | undefined) => (k === undefined ? -1 : (state?.keys.indexOf(k) ?? -1));

  const partitioning = (): LabPartitioning =>
    mode === 'balanced'
      ? { kind: 'balanced' }
      : mode === 'partitionId'
        ? { kind: 'partitionId', partitionId }
        : { kind: 'messagesKey', key };

  return (
    <LabFrame
      name="partitioning"
      headingLevel={headingLevel}
      context={context}
      iggy={state?.iggy}
      stateError={lab.stateError}
      pending={lab.pending}
      result={lab.result}
      failure={lab.failure}
      onReset={() => void lab.act({ action: 'reset' })}
    >
      <form
        className="lab-controls"
        aria-label="Set up the topic"
        onSubmit={(event) => {
          event.preventDefault();
          void lab.act({ action: 'setup', partitions });
        }}
      >
        <div className="flex flex-wrap items-end gap-3">
          <div className="lab-field">
            <label className="lab-label" htmlFor={ids.partitions}>
              Partitions
            </label>
            <select
              id={ids.partitions}
              className="lab-input w-24"
              value={partitions}
              onChange={(event) => setPartitions(Number(event.target.value))}
            >
              {Array.from({ length: LAB_LIMITS.partitionsMax }, (_, i) => i + 1).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn" disabled={busy} aria-busy={lab.pending === 'setup'}>
            {topicPartitions === undefined ? 'Create topic' : 'Recreate topic'}
          </button>
          <p className="lab-hint min-w-0 flex-1 basis-48">
            {topicPartitions === undefined
              ? 'No topic yet: a first send creates it with 3 partitions.'
              : `Topic ${state?.stream}/${state?.topic} has ${topicPartitions} partition${topicPartitions === 1 ? '' : 's'}. Changing the count means recreating it (messages are lost).`}
          </p>
        </div>
      </form>

      <form
        className="lab-controls"
        aria-label="Send messages"
        onSubmit={(event) => {
          event.preventDefault();
          void lab.act({
            action: 'send',
            partitioning: partitioning(),
            count: count.trim() === '' ? 0 : Number(count),
            oneBatch,
          });
        }}
      >
        <fieldset className="lab-field">
          <legend className="lab-label">Partitioning</legend>
          <div className="segmented mt-1">
            {MODES.map((option) => (
              <label key={option.mode}>
                <input
                  type="radio"
                  name={`${ids.mode}-mode`}
                  value={option.mode}
                  checked={mode === option.mode}
                  onChange={() => setMode(option.mode)}
                />
                {option.label}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="grid gap-3 sm:grid-cols-[minmax(0,14rem)_7rem_auto] sm:items-end">
          {mode === 'messagesKey' ? (
            <div className="lab-field">
              <label className="lab-label" htmlFor={ids.key}>
                Messages key
              </label>
              <input
                id={ids.key}
                className="lab-input font-mono"
                value={key}
                maxLength={LAB_LIMITS.keyMaxChars}
                onChange={(event) => setKey(event.target.value)}
                autoComplete="off"
                spellCheck={false}
              />
            </div>
          ) : mode === 'partitionId' ? (
            <div className="lab-field">
              <label className="lab-label" htmlFor={ids.partitionId}>
                Partition id
              </label>
              <select
                id={ids.partitionId}
                className="lab-input"
                value={partitionId}
                onChange={(event) => setPartitionId(Number(event.target.value))}
              >
                {Array.from({ length: LAB_LIMITS.partitionsMax }, (_, i) => i).map((id) => (
                  <option key={id} value={id}>
                    {id}
                    {topicPartitions !== undefined && id >= topicPartitions ? ' (not in this topic)' : ''}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <p className="lab-hint sm:self-center">
              Iggy picks the partition: the next one in turn, per send.
            </p>
          )}
          <div className="lab-field">
            <label className="lab-label" htmlFor={ids.count}>
              Messages
            </label>
            <input
              id={ids.count}
              className="lab-input"
              type="number"
              min={1}
              max={LAB_LIMITS.sendCountMax}
              value={count}
              onChange={(event) => setCount(event.target.value)}
            />
          </div>
          <label className="lab-check">
            <input
              type="checkbox"
              checked={oneBatch}
              onChange={(event) => setOneBatch(event.target.checked)}
            />
            All in one send (one batch)
          </label>
        </div>
        <div>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={busy}
            aria-busy={lab.pending === 'send'}
          >
            Send
          </button>
        </div>
      </form>

      <div className="lab-slot">
        {lab.loading ? (
          <p className="lab-note" aria-live="polite">
            Loading the partitions…
          </p>
        ) : (
          <Lanes state={state} fresh={fresh} keyIndex={keyIndex} />
        )}
      </div>
    </LabFrame>
  );
}

function Lanes({
  state,
  fresh,
  keyIndex,
}: {
  state: PartitioningLabState | undefined;
  fresh: Set<number>;
  keyIndex: (key: string | undefined) => number;
}) {
  if (state?.iggy.reachable === false)
    return <p className="lab-note">The partitions cannot be read while Iggy is unreachable.</p>;
  if (!state || state.lanes.length === 0)
    return (
      <p className="lab-note">
        No partitions to draw yet. Create the topic or send a few messages: each lane will fill with the
        messages Iggy confirms for that partition.
      </p>
    );
  const counts = new Map(state.topicInfo?.partitions.map((p) => [p.id, p.messagesCount]) ?? []);
  return (
    <div className="grid gap-3">
      <div className="lab-lanes" role="group" aria-label="Partitions of the lab topic">
        {state.lanes.map((lane) => (
          <div key={lane.partitionId} className="lab-lane">
            <p className="lab-lane-head" id={`lane-${lane.partitionId}`}>
              Partition {lane.partitionId}
              <span>{counts.get(lane.partitionId) ?? lane.messages.length} on the server</span>
            </p>
            {lane.messages.length === 0 ? (
              <p className="lab-hint">empty</p>
            ) : (
              <ol aria-label={`Partition ${lane.partitionId}: messages in offset order`}>
                {lane.dropped > 0 ? <li className="lab-hint self-center">+{lane.dropped} older</li> : null}
                {lane.messages.map((message) => {
                  const index = keyIndex(message.key);
                  return (
                    <li
                      key={message.seq}
                      className={`lab-chip ${index >= 0 ? `lab-key-${index % KEY_COLOURS}` : ''}`}
                      data-fresh={fresh.has(message.seq)}
                      title={`message #${message.seq} · offset ${message.offset}${message.key ? ` · key ${message.key}` : ` · ${message.partitioning}`}`}
                    >
                      <span aria-hidden="true">#{message.seq}</span>
                      <span className="sr-only">
                        Message {message.seq} at offset {message.offset}
                        {message.key
                          ? `, key ${message.key}`
                          : `, ${message.partitioning === 'balanced' ? 'Balanced' : 'partition id'}`}
                      </span>
                    </li>
                  );
                })}
              </ol>
            )}
          </div>
        ))}
      </div>
      {state.keys.length > 0 ? (
        <p className="lab-legend">
          <span className="lab-label">Keys:</span>
          {state.keys.map((k, i) => (
            <span key={k}>
              <span className={`lab-swatch lab-key-${i % KEY_COLOURS}`} aria-hidden="true" />
              <code>{k}</code>
            </span>
          ))}
          <span>
            <span className="lab-swatch lab-swatch-plain" aria-hidden="true" />
            no key
          </span>
        </p>
      ) : null}
      <div className="lab-note">
        <p className="font-semibold">What is ordered and what is not</p>
        <p className="mt-1 text-sm text-muted">
          Within one lane the numbers only rise: a partition keeps messages in the order it appended them, and
          a consumer reads them back in that order (offsets 0, 1, 2…). Across lanes there is no order: #5 on
          one partition and #4 on another may be read either way round. That is why a key matters: all
          messages of one key share a lane, so they stay in order relative to each other.
        </p>
      </div>
    </div>
  );
}
