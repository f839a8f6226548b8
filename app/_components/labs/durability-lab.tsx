'use client';

import { useId, useState } from 'react';
import type {
  DurabilityLabTypes,
  DurabilityTopicKind,
  DurabilityTopicView,
  OptionCatalogView,
  RestartOutcomeView,
} from '@/lib/labs/durability/contract';
import { RESTART_SETUPS, type RestartSetup } from '@/lib/labs/durability/commands';
import { DURABILITY_LIMITS } from '@/lib/labs/durability/limits';
import { StandInLabNote } from '../shell/stand-in-lab-note';
import {
  fieldNumber,
  LabButton,
  LabForm,
  LabCheck,
  CommandList,
  LabChoice,
  LabNumberField,
  LabSlot,
} from './lab-controls';
import { LabFrame, type LabPlacement } from './lab-frame';
import { useLab } from './use-lab';

const U64_MAX = '18446744073709551615';

export function DurabilityLab(placement: LabPlacement) {
  const lab = useLab<DurabilityLabTypes>('durability');
  const [target, setTarget] = useState<DurabilityTopicKind>('default');
  const [count, setCount] = useState('5');
  const [oneBatch, setOneBatch] = useState(false);

  const state = lab.state;
  const busy = lab.pending !== undefined;
  const reachable = state?.iggy.reachable === true;
  const catalog = state?.catalog ?? null;
  const persisted = state?.topics.find((t) => t.kind === 'persisted');
  const persistedExists = persisted?.exists === true;
  const canPersist = catalog === null ? state?.catalogError !== null : catalog.durabilityListed;
  const sendTarget: DurabilityTopicKind = target === 'persisted' && !persistedExists ? 'default' : target;

  return (
    <LabFrame name="durability" {...placement} lab={lab}>
      <StandInLabNote
        differs={
          <>
            a crash here drops the unsaved journal by a rule that models what the real server was seen to
            lose; the lesson is what a real crash of Iggy does.
          </>
        }
      />
      <LabSlot loading={lab.loading} loadingText="Asking Iggy which topic options it has…">
        {!reachable ? (
          <p className="lab-note">
            The lab topics and the server’s options cannot be read while Iggy is unreachable. If you just ran
            a crash or restart command below, start the server again: the lab notices when it is back and says
            what Iggy kept.
          </p>
        ) : (
          <div className="lab-dur-topics" role="group" aria-label="Lab topics">
            {state!.topics.map((topic) => (
              <TopicCard key={topic.kind} topic={topic} stream={state!.stream} catalog={catalog} />
            ))}
          </div>
        )}
      </LabSlot>

      <LabForm
        label="Send messages"
        onSubmit={() => {
          void lab.act({
            action: 'send',
            topic: sendTarget,
            count: fieldNumber(count),
            oneBatch,
          });
        }}
      >
        <LabChoice
          legend="Send to"
          value={sendTarget}
          onValue={setTarget}
          options={[
            { value: 'default', label: 'durability (default)' },
            { value: 'persisted', label: 'durability-persisted', disabled: !persistedExists },
          ]}
        />
        <div className="flex flex-wrap items-end gap-3">
          <LabNumberField
            label="Messages"
            className="lab-input w-24"
            min={1}
            max={DURABILITY_LIMITS.sendCountMax}
            value={count}
            onValue={setCount}
          />
          <LabCheck checked={oneBatch} onChecked={setOneBatch}>
            All in one send (one batch)
          </LabCheck>
          <LabButton type="submit" primary disabled={busy} busy={lab.pending === 'send'}>
            Send
          </LabButton>
        </div>
        <p className="lab-hint">
          Up to {DURABILITY_LIMITS.sendCountMax} messages. The first send creates topic{' '}
          <code>durability</code> with{' '}
          <code>messages_required_to_save={DURABILITY_LIMITS.messagesRequiredToSave}</code>, so a flush
          happens within a few sends (Iggy’s default is 1,024).
        </p>
      </LabForm>

      <div className="flex flex-wrap items-center gap-3">
        {persistedExists ? null : canPersist ? (
          <LabButton
            disabled={busy}
            busy={lab.pending === 'createPersisted'}
            onClick={() => void lab.act({ action: 'createPersisted' })}
          >
            Create persisted topic
          </LabButton>
        ) : catalog ? (
          <p className="lab-note min-w-0 flex-1 basis-64" data-testid="no-durability">
            <strong>No persisted topic on this server.</strong> Its topic options do not include{' '}
            <code>durability</code>
            {catalog.flavor === 'edge' ? (
              <>
                {' '}
                (it lists <code>enforce_fsync</code>: an edge build, like 0.9.0-edge.5)
              </>
            ) : null}
            , so no topic here can make a send wait for the disk. The released Iggy 0.9.0 has the option.
          </p>
        ) : null}
        <LabButton
          disabled={busy}
          busy={lab.pending === 'refresh'}
          onClick={() => void lab.act({ action: 'refresh' })}
        >
          Ask Iggy again
        </LabButton>
      </div>

      <LastRestart restart={state?.lastRestart ?? null} awaiting={state?.awaitingReturn === true} />

      <RestartCommands />

      <Catalog catalog={catalog} error={state?.catalogError ?? null} version={state?.serverVersion ?? null} />
    </LabFrame>
  );
}

function TopicCard({
  topic,
  stream,
  catalog,
}: {
  topic: DurabilityTopicView;
  stream: string;
  catalog: OptionCatalogView | null;
}) {
  const titleId = useId();
  const memory = topic.inMemory;
  return (
    <section className="lab-dur-card" aria-labelledby={titleId} data-topic={topic.kind}>
      <p id={titleId} className="font-semibold">
        <code>
          {stream}/{topic.name}
        </code>
      </p>
      {!topic.exists ? (
        <p className="lab-hint">
          {topic.kind === 'default'
            ? 'Not created yet: the first Send creates it.'
            : catalog?.durabilityListed === false
              ? 'Not available: this server has no durability option.'
              : 'Not created yet: “Create persisted topic” creates it with durability=persisted.'}
        </p>
      ) : (
        <>
          <p className="text-sm text-muted">Flush settings as Iggy reports them for this topic:</p>
          <dl className="lab-dur-settings" aria-label={`Flush settings of ${topic.name}`}>
            {topic.settings.map((setting) => (
              <div key={setting.key}>
                <dt>
                  <code>{setting.key}</code>
                </dt>
                <dd>
                  <span className="font-mono">{showValue(setting.key, setting.value)}</span>{' '}
                  <span className="lab-dur-source" data-source={setting.source}>
                    {setting.source === 'explicit' ? 'set at creation' : 'server default'}
                  </span>
                </dd>
              </div>
            ))}
          </dl>
          {topic.partition ? (
            <p className="text-sm text-muted">
              Partition 0: {topic.partition.messagesCount} message
              {topic.partition.messagesCount === '1' ? '' : 's'}
              {topic.partition.messagesCount === '0'
                ? ''
                : `, newest offset ${topic.partition.currentOffset}`}
            </p>
          ) : null}
          {memory ? (
            <div className="lab-dur-memory" data-count={memory.count}>
              <p>
                <span className="lab-dur-number">{memory.count}</span> acknowledged message
                {memory.count === '1' ? '' : 's'} only in memory{' '}
                <span className="lab-dur-source" data-source="computed">
                  {memory.basis === 'partition-count' ? 'estimated' : 'computed'}
                </span>
              </p>
              {memory.count !== '0' && memory.offsets ? (
                <p className="text-sm">
                  {memory.offsets.from === memory.offsets.to
                    ? `Offset ${memory.offsets.from}`
                    : `Offsets ${memory.offsets.from}–${memory.offsets.to}`}
                  : a crash now would lose {memory.count === '1' ? 'it' : 'them'}; a graceful stop writes{' '}
                  {memory.count === '1' ? 'it' : 'them'}.
                </p>
              ) : (
                <p className="text-sm">A crash now would lose no acknowledged message of this topic.</p>
              )}
              <p className="lab-hint">{memory.how}</p>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}

function showValue(key: string, value: string): string {
  if (value === U64_MAX) return `${value} (none)`;
  if (key === 'size_of_messages_required_to_save' && /^\d+$/.test(value)) {
    const bytes = Number(value);
    if (bytes >= 1_048_576 && bytes % 1_048_576 === 0) return `${value} (${bytes / 1_048_576} MiB)`;
  }
  return value;
}

function LastRestart({ restart, awaiting }: { restart: RestartOutcomeView | null; awaiting: boolean }) {
  return (
    <div className="grid gap-1">
      <p className="lab-label">The last restart the lab saw</p>
      {/* Polled, not an action result: announced politely when it changes (no role=status, which is the
          frame's answer to the latest action). */}
      <div aria-live="polite" aria-atomic="true" data-testid="last-restart">
        {awaiting ? (
          <p className="lab-note" data-tone="down">
            The lab lost its connection to Iggy. Once the server is back it compares each partition with what
            it saw before and tells you what survived.
          </p>
        ) : restart === null ? (
          <p className="lab-note">
            None yet. Send a few messages, then crash or restart Iggy with the commands below: the lab will
            report whether the partition came back whole.
          </p>
        ) : (
          <div className="lab-note" data-tone={restart.outcome === 'loss' ? 'error' : 'ok'}>
            <p className="font-semibold">
              {restart.outcome === 'loss'
                ? `Reset: ${restart.lost.map((l) => `${l.topic} lost ${l.exact ? '' : 'at least '}${l.lostFrom === l.lostTo ? `offset ${l.lostFrom}` : `offsets ${l.lostFrom}–${l.lostTo}`}`).join('; ')}`
                : 'No loss: every acknowledged message came back'}
            </p>
            <p className="mt-1 text-sm">{restart.explanation}</p>
            <p className="lab-hint mt-1">Noticed at {restart.noticedAt.slice(11, 19)} UTC.</p>
          </div>
        )}
      </div>
    </div>
  );
}

function RestartCommands() {
  const [setupId, setSetupId] = useState<RestartSetup['id']>('docker');
  const setup = RESTART_SETUPS.find((s) => s.id === setupId)!;
  return (
    <div className="lab-controls">
      <LabChoice
        legend="Crash or restart Iggy yourself: your setup"
        value={setupId}
        onValue={setSetupId}
        options={RESTART_SETUPS.map((option) => ({
          value: option.id,
          label: option.id === 'docker' ? 'Docker' : 'IGGY_SERVER_BIN',
        }))}
      />
      <p className="lab-hint">
        {setup.title}. The app cannot stop the server for you: it does not own the server’s process.
      </p>
      <div className="lab-dur-commands">
        <CommandList title="Crash (SIGKILL: the journal is lost)" commands={setup.crash} />
        <CommandList
          title="Graceful restart (SIGTERM: the journal is written first)"
          commands={setup.graceful}
        />
      </div>
      <p className="lab-hint">{setup.note}</p>
    </div>
  );
}

function Catalog({
  catalog,
  error,
  version,
}: {
  catalog: OptionCatalogView | null;
  error: string | null;
  version: string | null;
}) {
  if (error) return <p className="lab-note">Topic options: {error}.</p>;
  if (!catalog) return null;
  return (
    <details className="lab-dur-catalog" open>
      <summary>
        Topic options this server has ({catalog.options.length}, from DescribeOptions
        {version ? `, server ${version}` : ''}):{' '}
        {catalog.flavor === 'release'
          ? 'it lists durability — the released 0.9.0 line'
          : catalog.flavor === 'edge'
            ? 'it lists enforce_fsync, no durability — an edge build'
            : 'neither durability nor enforce_fsync'}
      </summary>
      <div className="lab-frames-scroll mt-2" role="region" aria-label="Topic option catalog" tabIndex={0}>
        <table className="lab-frames">
          <caption className="sr-only">Topic options with kind, default and the server’s description</caption>
          <thead>
            <tr>
              <th scope="col">Option</th>
              <th scope="col">Kind</th>
              <th scope="col">Default</th>
              <th scope="col">Server’s description</th>
            </tr>
          </thead>
          <tbody>
            {catalog.options.map((option) => (
              <tr key={option.key}>
                <td className="font-mono">{option.key}</td>
                <td>{option.kind}</td>
                <td className="font-mono">
                  {option.defaultValue === null ? '—' : showValue(option.key, option.defaultValue)}
                </td>
                <td>{option.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
