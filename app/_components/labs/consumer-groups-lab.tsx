'use client';

import { useId, useState } from 'react';
import type {
  ConsumerGroupsLabState,
  ConsumerGroupsLabTypes,
  MemberView,
  MembershipEvent,
  PartitionView,
  ProducerPartitioning,
} from '@/lib/labs/consumer-groups/contract';
import {
  CONSUMER_GROUPS_LIMITS as LIMITS,
  MEMBER_LABELS,
  PRODUCER_KEYS,
} from '@/lib/labs/consumer-groups/limits';
import {
  fieldNumber,
  type LabChoiceOption,
  LabButton,
  LabForm,
  LabChoice,
  LabNumberField,
  LabPartitionsSelect,
  LabSlot,
} from './lab-controls';
import { LabFrame, type LabPlacement } from './lab-frame';
import { useLab } from './use-lab';
import { useHydrated } from '../ui/use-hydrated';

const colourOf = (label: string | null) =>
  label === null ? '' : `lab-key-${MEMBER_LABELS.indexOf(label as (typeof MEMBER_LABELS)[number])}`;

const PARTITIONING_CHOICES: LabChoiceOption<ProducerPartitioning>[] = [
  { value: 'balanced', label: 'Balanced' },
  { value: 'key', label: 'By key' },
];

const EVENT_WORDS: Record<MembershipEvent['kind'], string> = {
  added: 'joined',
  removed: 'left',
  disconnected: 'was disconnected',
  lost: 'was lost',
  topic: 'topic recreated',
};

export function ConsumerGroupsLab(placement: LabPlacement) {
  const lab = useLab<ConsumerGroupsLabTypes>('consumer-groups');
  const state = lab.state;
  const [pickedPartitions, setPartitions] = useState<number | undefined>(undefined);
  // Until the reader changes them, the producer fields show what the producer runs with.
  const [pickedRate, setRate] = useState<string | undefined>(undefined);
  const [pickedPartitioning, setPartitioning] = useState<ProducerPartitioning | undefined>(undefined);
  const producerStatusId = useId();

  const topicPartitions = state?.topicInfo?.partitionsCount;
  const partitions = pickedPartitions ?? topicPartitions ?? LIMITS.defaultPartitions;
  const busy = lab.pending !== undefined;
  const down = state?.iggy.reachable === false;
  const members = state?.members ?? [];
  const producer = state?.producer;
  const rate = pickedRate ?? String(producer?.rate ?? LIMITS.defaultRate);
  const partitioning = pickedPartitioning ?? producer?.partitioning ?? 'balanced';
  const rateNumber = fieldNumber(rate);
  const rateValid =
    Number.isInteger(rateNumber) && rateNumber >= LIMITS.rateMin && rateNumber <= LIMITS.rateMax;

  return (
    <LabFrame name="consumer-groups" {...placement} lab={lab}>
      <div role="status" aria-live="polite">
        {state?.notice ? (
          <p className="lab-note" data-tone="down">
            {state.notice}
          </p>
        ) : null}
      </div>

      <div className="cg-controls">
        <LabForm
          label="Topic"
          onSubmit={() => {
            void lab.act({ action: 'setup', partitions });
          }}
        >
          <p className="lab-label">Topic</p>
          <div className="flex flex-wrap items-end gap-3">
            <LabPartitionsSelect value={partitions} onValue={setPartitions} max={LIMITS.partitionsMax} />
            <LabButton type="submit" disabled={busy} busy={lab.pending === 'setup'}>
              {topicPartitions === undefined ? 'Create topic' : 'Recreate topic'}
            </LabButton>
          </div>
          <p className="lab-hint">
            {topicPartitions === undefined
              ? `No topic yet. Adding a member or starting the producer creates it with ${LIMITS.defaultPartitions} partitions.`
              : `${state?.stream}/${state?.topic}: ${topicPartitions} partition${topicPartitions === 1 ? '' : 's'}, group ${state?.group}. Recreating it removes the members and every message.`}
          </p>
        </LabForm>

        <LabForm
          label="Producer"
          onSubmit={() => {
            void lab.act({ action: 'startProducer', rate: rateNumber, partitioning });
          }}
        >
          <p className="lab-label">Producer</p>
          <div className="flex flex-wrap items-end gap-3">
            <LabNumberField
              label="Messages per second"
              className="lab-input w-24"
              min={LIMITS.rateMin}
              max={LIMITS.rateMax}
              value={rate}
              aria-invalid={!rateValid}
              aria-describedby={producerStatusId}
              onValue={setRate}
            />
            <LabChoice
              legend="Partitioning"
              optionClassName="px-3"
              value={partitioning}
              onValue={setPartitioning}
              options={PARTITIONING_CHOICES}
            />
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <LabButton type="submit" primary disabled={busy} busy={lab.pending === 'startProducer'}>
              {producer?.running ? 'Update producer' : 'Start producer'}
            </LabButton>
            <LabButton
              disabled={busy || !producer?.running}
              onClick={() => void lab.act({ action: 'stopProducer' })}
            >
              Stop producer
            </LabButton>
          </div>
          <p className="lab-hint" id={producerStatusId}>
            {producer?.running
              ? `Producing ${producer.rate}/s, ${producer.partitioning === 'key' ? `keys ${PRODUCER_KEYS.join(', ')}` : 'Balanced'} · ${producer.sent} sent`
              : producer && producer.sent > 0
                ? `Stopped after ${producer.sent} messages.`
                : `${LIMITS.rateMin}–${LIMITS.rateMax} messages per second; each carries its number n.`}
            {producer?.lastError ? ` Last error: ${producer.lastError}` : ''}
          </p>
        </LabForm>
      </div>

      <LabSlot loading={lab.loading} loadingText="Loading the group…">
        {down ? (
          <p className="lab-note">
            The group cannot be read while Iggy is unreachable. Members and producer stop when Iggy goes away;
            add them again once it is back.
          </p>
        ) : !state || state.topicInfo === null ? (
          <p className="lab-note">
            No topic and no members yet. Create the topic (or just add a member), add two or three members and
            start the producer: each partition is then read by exactly one member.
          </p>
        ) : (
          <PartitionStrip partitions={state.partitions} serverGroup={state.serverGroup} />
        )}
      </LabSlot>

      <div className="grid gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <LabButton
            primary
            disabled={busy || members.length >= LIMITS.membersMax || down}
            busy={lab.pending === 'addMember'}
            onClick={() => void lab.act({ action: 'addMember' })}
          >
            Add member
          </LabButton>
          <p className="lab-hint">
            {members.length} of {LIMITS.membersMax} members. Each is a group consumer on its own TCP
            connection in the app server; it commits after handling each batch of up to 5 messages.
          </p>
        </div>
        {members.length > 0 ? (
          <ul className="cg-members" aria-label="Members of the group">
            {members.map((member) => (
              <MemberCard
                key={member.label}
                member={member}
                busy={busy}
                onRemove={() => void lab.act({ action: 'removeMember', member: member.label })}
                onDisconnect={() => void lab.act({ action: 'disconnectMember', member: member.label })}
              />
            ))}
          </ul>
        ) : null}
      </div>

      {state && state.topicInfo !== null ? <DeliveryPanel state={state} /> : null}
    </LabFrame>
  );
}

/** The partitions in id order, coloured by the member polling each; a cell that changed owner flashes. */
function PartitionStrip({
  partitions,
  serverGroup,
}: {
  partitions: PartitionView[];
  serverGroup: ConsumerGroupsLabState['serverGroup'];
}) {
  const ownersKey = partitions.map((p) => p.owner ?? '-').join('');
  // Adjusting state while rendering (React's pattern for "what changed since last time"), no effect needed.
  const [seen, setSeen] = useState<{ key: string; moved: Set<number> }>({ key: ownersKey, moved: new Set() });
  if (seen.key !== ownersKey) {
    const before = seen.key.split('');
    const moved = new Set(
      partitions.filter((p, i) => before[i] !== undefined && before[i] !== (p.owner ?? '-')).map((p) => p.id),
    );
    setSeen({ key: ownersKey, moved });
  }
  return (
    <div className="grid gap-2">
      <ol className="cg-strip" aria-label="Partitions and the member that reads each">
        {partitions.map((p) => (
          <li
            // A new key on a new owner restarts the handoff animation.
            key={`${p.id}-${p.owner ?? 'none'}`}
            className={`cg-cell ${colourOf(p.owner)}`}
            data-owner={p.owner ?? 'none'}
            data-moved={seen.moved.has(p.id)}
          >
            <span className="cg-cell-id" aria-hidden="true">
              P{p.id}
            </span>
            <span className="cg-cell-owner" aria-hidden="true">
              {p.owner ?? '—'}
            </span>
            <span className="cg-cell-lag" aria-hidden="true" data-lagging={p.lag !== '0'}>
              lag {p.lag}
            </span>
            <span className="sr-only">
              Partition {p.id}: {p.owner ? `read by member ${p.owner}` : 'read by nobody'}, lag {p.lag}
              {p.currentOffset === null
                ? ', empty'
                : `, newest offset ${p.currentOffset}, group offset ${p.storedOffset ?? 'none'}`}
            </span>
          </li>
        ))}
      </ol>
      <p className="lab-hint">
        Lag = messages the group has not committed on that partition (newest offset − the group&apos;s stored
        offset).{' '}
        {serverGroup
          ? `Iggy lists ${serverGroup.membersCount} member${serverGroup.membersCount === 1 ? '' : 's'} in the group.`
          : 'The group does not exist yet: the first member creates it.'}
      </p>
    </div>
  );
}

function MemberCard({
  member,
  busy,
  onRemove,
  onDisconnect,
}: {
  member: MemberView;
  busy: boolean;
  onRemove: () => void;
  onDisconnect: () => void;
}) {
  const leaving = member.status === 'leaving';
  const hydrated = useHydrated();
  return (
    <li className={`cg-member ${colourOf(member.label)}`} aria-label={`Member ${member.label}`}>
      <p className="cg-member-head">
        <span className="cg-badge" aria-hidden="true">
          {member.label}
        </span>
        <span>
          <strong>Member {member.label}</strong>
          <span className="text-faint">
            {member.memberId !== null ? ` · server member id ${member.memberId}` : ''}
            {leaving ? ' · leaving…' : member.status === 'joining' ? ' · joining…' : ''}
          </span>
        </span>
      </p>
      <dl className="cg-facts">
        <div>
          <dt>Partitions</dt>
          <dd>
            {member.partitions.length === 0
              ? 'none'
              : [...member.partitions].sort((a, b) => a - b).join(', ')}
          </dd>
        </div>
        <div>
          <dt>Generation</dt>
          <dd>{member.generation ?? '—'}</dd>
        </div>
        <div>
          <dt>Received</dt>
          <dd>{member.received}</dd>
        </div>
        <div>
          <dt>Redelivered</dt>
          <dd data-bad={member.redelivered > 0}>{member.redelivered}</dd>
        </div>
      </dl>
      {member.lastMessages.length > 0 ? (
        <ol className="cg-last" aria-label={`Member ${member.label}: last messages received`}>
          {member.lastMessages.map((m) => (
            <li key={`${m.partitionId}-${m.offset}-${m.n}`} data-redelivered={m.redelivered}>
              {m.n !== null ? `#${m.n}` : 'msg'}{' '}
              <span className="text-faint">
                p{m.partitionId}@{m.offset}
              </span>
              {m.redelivered ? <span className="sr-only"> (delivered again)</span> : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="lab-hint">Nothing received yet.</p>
      )}
      {member.lastError ? <p className="lab-hint">Last error: {member.lastError}</p> : null}
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className="btn btn-sm"
          disabled={busy || leaving || !hydrated}
          onClick={onRemove}
          aria-label={`Remove member ${member.label}`}
        >
          Remove
        </button>
        <button
          type="button"
          className="btn btn-sm"
          disabled={busy || leaving || !hydrated}
          onClick={onDisconnect}
          aria-label={`Disconnect member ${member.label}`}
          title="Drop its TCP connection without leaving the group, as a crash would"
        >
          Disconnect
        </button>
      </div>
    </li>
  );
}

function DeliveryPanel({ state }: { state: ConsumerGroupsLabState }) {
  const { delivery, events } = state;
  const redeliveries = events.filter((e) => e.redelivered > 0);
  const clean = delivery.duplicatesWithoutRebalance === 0;
  return (
    <section className="lab-note grid gap-2" aria-label="Delivery check">
      <p className="font-semibold">Delivery check</p>
      <p className="text-sm" data-testid="delivery-verdict">
        {delivery.received === 0
          ? 'Nothing received yet. Start the producer: every message should reach exactly one member.'
          : clean
            ? `Every message was received once while membership did not change: ${delivery.distinct} distinct messages, ${delivery.received} deliveries in all.`
            : `${delivery.duplicatesWithoutRebalance} message${delivery.duplicatesWithoutRebalance === 1 ? ' was' : 's were'} received twice without a membership change: that should not happen.`}
      </p>
      {redeliveries.length > 0 ? (
        <ul className="grid gap-1 text-sm" aria-label="Redeliveries after membership changes">
          {redeliveries.map((e) => (
            <li key={e.seq}>
              <strong>
                Change #{e.seq} (member {e.member ?? '?'} {EVENT_WORDS[e.kind]}):
              </strong>{' '}
              {describeRedelivery(e)}
            </li>
          ))}
        </ul>
      ) : delivery.received > 0 ? (
        <p className="text-sm text-muted">
          No redeliveries so far. Disconnect a member while the producer runs to see one: it drops with a
          batch in hand that it has not committed.
        </p>
      ) : null}
      {events.length > 0 ? (
        <p className="lab-hint">
          Membership changes (newest first):{' '}
          {events
            .map((e) => `#${e.seq} ${e.member ?? ''} ${EVENT_WORDS[e.kind]}`.replace('  ', ' '))
            .join(' · ')}
          . Checked over the last {delivery.capacity} message numbers.
        </p>
      ) : null}
    </section>
  );
}

function describeRedelivery(e: MembershipEvent): string {
  const one = e.redelivered === 1;
  const more = e.redelivered > e.samples.length ? ', …' : '';
  const samples = e.samples.length > 0 ? ` (${e.samples.map((n) => `#${n}`).join(', ')}${more})` : '';
  return (
    `${e.redelivered} message${one ? '' : 's'} delivered again${samples}. ` +
    `${one ? 'It had' : 'They had'} been received but not committed when the partition moved, so the new owner ` +
    "resumed from the group's stored offset: at-least-once delivery, by design."
  );
}
