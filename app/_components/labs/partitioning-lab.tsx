'use client';

import { useState } from 'react';
import type {
  LabPartitioning,
  PartitioningLabState,
  PartitioningLabTypes,
} from '@/lib/labs/partitioning/contract';
import { PARTITIONING_LIMITS } from '@/lib/labs/partitioning/limits';
import {
  fieldNumber,
  type LabChoiceOption,
  LabButton,
  LabForm,
  LabCheck,
  LabChoice,
  LabNumberField,
  LabNumberSelect,
  LabPartitionsSelect,
  LabSlot,
  LabTextField,
} from './lab-controls';
import { LabFrame, type LabPlacement } from './lab-frame';
import { useLab } from './use-lab';

type Mode = LabPartitioning['kind'];
const MODES: LabChoiceOption<Mode>[] = [
  { value: 'balanced', label: 'Balanced' },
  { value: 'partitionId', label: 'Partition id' },
  { value: 'messagesKey', label: 'Messages key' },
];
const KEY_COLOURS = 8;

export function PartitioningLab(placement: LabPlacement) {
  const lab = useLab<PartitioningLabTypes>('partitioning');
  // Until the reader picks a count, the picker shows the topic's own.
  const [pickedPartitions, setPartitions] = useState<number | undefined>(undefined);
  const [mode, setMode] = useState<Mode>('messagesKey');
  const [partitionId, setPartitionId] = useState(0);
  const [key, setKey] = useState('user-1');
  const [count, setCount] = useState('4');
  const [oneBatch, setOneBatch] = useState(false);

  const state = lab.state;
  const topicPartitions = state?.topicInfo?.partitionsCount;
  const partitions = pickedPartitions ?? topicPartitions ?? 3;
  const busy = lab.pending !== undefined;
  const lastSend = lab.result?.action === 'send' ? lab.result.outcome : undefined;
  const fresh = new Set(lastSend?.messages.map((m) => m.seq) ?? []);
  const keyIndex = (k: string | undefined) => (k === undefined ? -1 : (state?.keys.indexOf(k) ?? -1));

  const partitioning = (): LabPartitioning =>
    mode === 'balanced'
      ? { kind: 'balanced' }
      : mode === 'partitionId'
        ? { kind: 'partitionId', partitionId }
        : { kind: 'messagesKey', key };

  return (
    <LabFrame name="partitioning" {...placement} lab={lab}>
      <LabForm
        label="Set up the topic"
        onSubmit={() => {
          void lab.act({ action: 'setup', partitions });
        }}
      >
        <div className="flex flex-wrap items-end gap-3">
          <LabPartitionsSelect
            value={partitions}
            onValue={setPartitions}
            max={PARTITIONING_LIMITS.partitionsMax}
          />
          <LabButton type="submit" disabled={busy} busy={lab.pending === 'setup'}>
            {topicPartitions === undefined ? 'Create topic' : 'Recreate topic'}
          </LabButton>
          <p className="lab-hint min-w-0 flex-1 basis-48">
            {topicPartitions === undefined
              ? 'No topic yet: a first send creates it with 3 partitions.'
              : `Topic ${state?.stream}/${state?.topic} has ${topicPartitions} partition${topicPartitions === 1 ? '' : 's'}. Changing the count means recreating it (messages are lost).`}
          </p>
        </div>
      </LabForm>

      <LabForm
        label="Send messages"
        onSubmit={() => {
          void lab.act({
            action: 'send',
            partitioning: partitioning(),
            count: fieldNumber(count),
            oneBatch,
          });
        }}
      >
        <LabChoice legend="Partitioning" value={mode} onValue={setMode} options={MODES} />
        <div className="grid gap-3 sm:grid-cols-[minmax(0,14rem)_7rem_auto] sm:items-end">
          {mode === 'messagesKey' ? (
            <LabTextField
              label="Messages key"
              className="lab-input font-mono"
              value={key}
              maxLength={PARTITIONING_LIMITS.keyMaxChars}
              onValue={setKey}
            />
          ) : mode === 'partitionId' ? (
            <LabNumberSelect
              label="Partition id"
              value={partitionId}
              onValue={setPartitionId}
              options={Array.from({ length: PARTITIONING_LIMITS.partitionsMax }, (_, id) => ({
                value: id,
                label: `${id}${topicPartitions !== undefined && id >= topicPartitions ? ' (not in this topic)' : ''}`,
              }))}
            />
          ) : (
            <p className="lab-hint sm:self-center">
              Iggy picks the partition: the next one in turn, per send.
            </p>
          )}
          <LabNumberField
            label="Messages"
            min={1}
            max={PARTITIONING_LIMITS.sendCountMax}
            value={count}
            onValue={setCount}
          />
          <LabCheck checked={oneBatch} onChecked={setOneBatch}>
            All in one send (one batch)
          </LabCheck>
        </div>
        <div>
          <LabButton type="submit" primary disabled={busy} busy={lab.pending === 'send'}>
            Send
          </LabButton>
        </div>
      </LabForm>

      <LabSlot loading={lab.loading} loadingText="Loading the partitions…">
        <Lanes state={state} fresh={fresh} keyIndex={keyIndex} />
      </LabSlot>
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
