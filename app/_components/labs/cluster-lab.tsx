'use client';

import { useState } from 'react';
import type {
  ClusterLabState,
  ClusterLabTypes,
  ClusterNodeView,
  CompareReadOutcome,
  LedgerCheckOutcome,
  WriteFollowerOutcome,
} from '@/lib/labs/cluster/contract';
import { DRILL_SETUPS, nodeIndexOf, type DrillSetup } from '@/lib/labs/cluster/commands';
import { CLUSTER_LIMITS } from '@/lib/labs/cluster/limits';
import { StandInLabNote } from '../shell/stand-in-lab-note';
import {
  CommandList,
  fieldNumber,
  LabButton,
  LabChoice,
  LabForm,
  LabNumberField,
  LabSlot,
} from './lab-controls';
import { LabFrame, type LabPlacement } from './lab-frame';
import { useLab } from './use-lab';

export function ClusterLab(placement: LabPlacement) {
  const lab = useLab<ClusterLabTypes>('cluster');
  const [count, setCount] = useState('5');
  const state = lab.state;
  const busy = lab.pending !== undefined;
  const nodes = state?.roster?.nodes ?? [];
  const single = state?.roster !== null && state?.roster !== undefined && nodes.length <= 1;
  const cluster = nodes.length > 1;
  const result = lab.result;

  return (
    <LabFrame name="cluster" {...placement} lab={lab}>
      <StandInLabNote
        differs={
          <>
            the stand-in’s cluster follows a model of the real server (who leads, when a follower refuses, how
            far it lags, when a new primary is elected), not Iggy’s own replication code.
          </>
        }
      />
      <LabSlot loading={lab.loading} loadingText="Reading the cluster’s metadata…">
        {state?.roster ? (
          <Roster state={state} />
        ) : (
          <p className="lab-note">
            The cluster metadata cannot be read while Iggy is unreachable. Start it again and the roster comes
            back.
          </p>
        )}
      </LabSlot>

      {single ? (
        <p className="lab-note" data-testid="cluster-single-node">
          <strong>This Iggy is a single node.</strong> Its metadata lists one node, the leader, so there is no
          follower to write to or read from, and no failover to watch. Start a three-node cluster with{' '}
          <code>npm run demo -- --cluster</code> and open this lab again.
        </p>
      ) : null}

      {cluster ? (
        <>
          <div className="lab-controls">
            <p className="lab-label">Write to a follower</p>
            <p className="lab-hint">
              One send on a plain connection to a follower (not cluster-aware: it stays there), then the same
              message through the lab’s cluster-aware connection, which works on the primary.
            </p>
            <div>
              <LabButton
                primary
                disabled={busy}
                busy={lab.pending === 'writeFollower'}
                onClick={() => void lab.act({ action: 'writeFollower' })}
              >
                Write to a follower
              </LabButton>
            </div>
            {result?.action === 'writeFollower' ? <FollowerWrite outcome={result.outcome} /> : null}
          </div>

          <div className="lab-controls">
            <p className="lab-label">Read on a follower vs the primary</p>
            <p className="lab-hint">
              The same poll (by offset, the newest five, no commit) on a follower and on the primary, right
              after one more send.
            </p>
            <div>
              <LabButton
                disabled={busy}
                busy={lab.pending === 'compareRead'}
                onClick={() => void lab.act({ action: 'compareRead', count: 5, sendFirst: true })}
              >
                Send one, then read both
              </LabButton>
            </div>
            {result?.action === 'compareRead' ? <CompareRead outcome={result.outcome} /> : null}
          </div>
        </>
      ) : null}

      <LabForm
        label="Send to the primary"
        onSubmit={() => void lab.act({ action: 'send', count: fieldNumber(count) })}
      >
        <div className="flex flex-wrap items-end gap-3">
          <LabNumberField
            label="Messages"
            className="lab-input w-24"
            min={1}
            max={CLUSTER_LIMITS.sendCountMax}
            value={count}
            onValue={setCount}
          />
          <LabButton type="submit" disabled={busy} busy={lab.pending === 'send'}>
            Send
          </LabButton>
        </div>
        <p className="lab-hint">
          Up to {CLUSTER_LIMITS.sendCountMax} messages, one send each, to topic{' '}
          <code>
            {state?.stream ?? 'demo-labs'}/{state?.topic ?? 'cluster'}
          </code>{' '}
          through the cluster-aware connection. Each acknowledged offset goes into the ledger.
        </p>
      </LabForm>

      <Ledger
        state={state}
        busy={busy}
        pending={lab.pending === 'checkLedger'}
        onCheck={() => void lab.act({ action: 'checkLedger' })}
      />

      {cluster ? <DrillCommands nodes={nodes} /> : null}
    </LabFrame>
  );
}

function Roster({ state }: { state: ClusterLabState }) {
  const roster = state.roster!;
  return (
    <div className="grid gap-2">
      <p className="lab-label">
        Cluster <code>{roster.name}</code>: {roster.nodes.length} node{roster.nodes.length === 1 ? '' : 's'}
        {roster.stale ? ' (as last read: the metadata cannot be read right now)' : ''}
      </p>
      <div className="lab-frames-scroll" role="region" aria-label="Cluster roster" tabIndex={0}>
        <table className="lab-frames" data-testid="cluster-roster">
          <caption className="sr-only">
            Each node: its address, its role, whether the app reaches it, and the lab’s connections to it
          </caption>
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">Address</th>
              <th scope="col">Role</th>
              <th scope="col">Reached from the app</th>
              <th scope="col">Lab connections</th>
            </tr>
          </thead>
          <tbody>
            {roster.nodes.map((node) => (
              <NodeRow key={node.name} node={node} />
            ))}
          </tbody>
        </table>
      </div>
      <p className="lab-hint">
        Roles come from the cluster metadata; a dead node keeps its place there, so “reached” is a TCP connect
        from the app. Right after a primary dies the others still name it leader until their heartbeat
        timeout.
      </p>
    </div>
  );
}

function NodeRow({ node }: { node: ClusterNodeView }) {
  return (
    <tr data-node={node.name} data-role={node.role}>
      <td className="font-mono">{node.name}</td>
      <td className="font-mono">{node.address}</td>
      <td>
        {node.role === 'leader' ? <strong>primary (leader)</strong> : 'follower'}
        {node.writer ? ' · the lab writes here' : ''}
      </td>
      <td className={node.reachable === false ? 'lab-status-bad' : undefined}>
        {node.reachable === null ? '—' : node.reachable ? 'yes' : 'no'}
      </td>
      <td className="num">{node.labConnections}</td>
    </tr>
  );
}

function FollowerWrite({ outcome }: { outcome: WriteFollowerOutcome }) {
  const { follower, primary } = outcome;
  return (
    <div className="grid gap-2 sm:grid-cols-2" data-testid="follower-write">
      <div className="lab-note" data-tone={follower.status === 0 ? 'ok' : 'error'} data-side="follower">
        <p className="font-semibold">
          {follower.node} (follower):{' '}
          {follower.status === 0
            ? `accepted, offset ${follower.offset}`
            : `refused, status ${follower.status}`}
        </p>
        <p className="text-sm">
          {follower.status === 58
            ? `${follower.statusName}: not the primary, nothing stored (answered ${follower.answers}×).`
            : follower.statusName}
        </p>
      </div>
      <div className="lab-note" data-tone={primary ? 'ok' : 'down'} data-side="primary">
        <p className="font-semibold">
          {primary
            ? `${primary.node} (primary): accepted, offset ${primary.offset}`
            : 'Not sent to the primary'}
        </p>
        <p className="text-sm">The same message, through the cluster-aware connection.</p>
      </div>
    </div>
  );
}

function CompareRead({ outcome }: { outcome: CompareReadOutcome }) {
  const sides = [outcome.follower, outcome.primary];
  return (
    <div className="grid gap-2 sm:grid-cols-2" data-testid="compare-read">
      {sides.map((side) => (
        <div key={side.role} className="lab-note" data-side={side.role}>
          <p className="font-semibold">
            {side.node} ({side.role === 'leader' ? 'primary' : 'follower'}): {side.offsets.length} message
            {side.offsets.length === 1 ? '' : 's'}
          </p>
          <p className="font-mono text-sm">{side.offsets.length === 0 ? 'none' : side.offsets.join(' ')}</p>
        </div>
      ))}
      <p className="lab-hint sm:col-span-2">
        Offset({outcome.fromOffset}), count {outcome.count}
        {outcome.behindBy > 0
          ? `: the follower is ${outcome.behindBy} behind.`
          : ': both the same this time.'}
      </p>
    </div>
  );
}

function Ledger({
  state,
  busy,
  pending,
  onCheck,
}: {
  state: ClusterLabState | undefined;
  busy: boolean;
  pending: boolean;
  onCheck: () => void;
}) {
  const ledger = state?.ledger;
  return (
    <div className="lab-controls">
      <p className="lab-label">The ledger</p>
      <p data-testid="cluster-ledger">
        {ledger === undefined || ledger.count === 0
          ? 'No acknowledged send yet.'
          : `${ledger.count} acknowledged offset${ledger.count === 1 ? '' : 's'}${ledger.count === 1 ? ` (${ledger.firstOffset})` : ` (${ledger.firstOffset}–${ledger.lastOffset})`}`}
        {ledger && ledger.dropped > 0
          ? `; ${ledger.dropped} older ones dropped (it keeps ${CLUSTER_LIMITS.ledgerMax})`
          : ''}
        {ledger && ledger.outcomeUnknown > 0
          ? `; ${ledger.outcomeUnknown} send${ledger.outcomeUnknown === 1 ? '' : 's'} with an unknown outcome (reply lost in a failover)`
          : ''}
      </p>
      <div>
        <LabButton disabled={busy} busy={pending} onClick={onCheck}>
          Check the ledger
        </LabButton>
      </div>
      <p className="lab-hint">
        Run it after a failover: it polls the lab topic on the current primary and names any acknowledged
        offset that is gone.
      </p>
      <LastCheck check={state?.lastCheck ?? null} />
    </div>
  );
}

function LastCheck({ check }: { check: LedgerCheckOutcome | null }) {
  if (check === null) return null;
  const ok = check.missing.length === 0;
  return (
    <p className="lab-note" data-tone={ok ? 'ok' : 'error'} data-testid="ledger-check">
      {check.checked === 0
        ? 'The ledger was empty.'
        : ok
          ? `All ${check.checked} acknowledged messages survived (checked on ${check.node}).`
          : `Missing on ${check.node}: offsets ${check.missing.join(', ')}.`}
    </p>
  );
}

function DrillCommands({ nodes }: { nodes: ClusterNodeView[] }) {
  const [setupId, setSetupId] = useState<DrillSetup['id']>('docker');
  const setup = DRILL_SETUPS.find((s) => s.id === setupId)!;
  const primary = nodeIndexOf(nodes.find((n) => n.role === 'leader')?.name);
  return (
    <div className="lab-controls">
      <LabChoice
        legend="Kill the primary yourself: how your cluster runs"
        value={setupId}
        onValue={setSetupId}
        options={DRILL_SETUPS.map((option) => ({
          value: option.id,
          label: option.id === 'docker' ? 'Docker' : option.id === 'binary' ? 'IGGY_SERVER_BIN' : 'Stand-in',
        }))}
      />
      <p className="lab-hint">
        {setup.title}. The lab never kills anything: it does not own the servers’ processes.
      </p>
      <div className="grid gap-2 sm:grid-cols-2">
        <CommandList title="Kill the primary (SIGKILL)" commands={setup.kill(primary)} />
        <CommandList title="Bring it back" commands={setup.restart(primary)} />
      </div>
      <p className="lab-hint">{setup.note}</p>
    </div>
  );
}
