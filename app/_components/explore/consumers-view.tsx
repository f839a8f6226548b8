'use client';

import Link from 'next/link';
import { useId, useState } from 'react';
import type { ExplorerConsumers, ExplorerLagSeries, ExplorerPartitionLag } from '@/lib/explorer/contract';
import { formatBigDecimal } from '../format';
import { apiUrl, partitionHref } from './format';
import { LagChart } from './lag-chart';
import { useExplore } from './use-explore';
import { ViewCost, ViewError } from './view-cost';

const REFRESH_MS = 5_000;

/** A topic's consumer groups and known consumers, their offsets, lag per partition and lag history. */
export function ConsumersView({ stream, topic }: { stream: string; topic: string }) {
  const [asked, setAsked] = useState<string | undefined>(undefined);
  const [input, setInput] = useState('');
  const inputId = useId();
  const { data, error } = useExplore<ExplorerConsumers>(
    apiUrl('consumers', { stream, topic, consumer: asked }),
    REFRESH_MS,
  );
  return (
    <section aria-labelledby="consumers-title" className="grid gap-3">
      <h2 id="consumers-title" className="text-xl font-semibold tracking-tight">
        Consumers of {topic}
      </h2>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (/^[A-Za-z0-9._-]{1,64}$/.test(input)) setAsked(input);
        }}
      >
        <div className="lab-field">
          <label htmlFor={inputId} className="lab-label">
            Watch a consumer by name
          </label>
          <input
            id={inputId}
            className="lab-input font-mono"
            value={input}
            onChange={(e) => setInput(e.target.value)}
          />
        </div>
        <button type="submit" className="btn btn-sm">
          Watch
        </button>
      </form>
      {error ? <ViewError error={error} what="the consumers" /> : null}
      {data ? (
        <>
          {data.groups.length === 0 ? (
            <p className="text-sm text-muted">No consumer groups on this topic.</p>
          ) : null}
          {data.groups.map((g) => (
            <div key={g.id} className="card grid gap-2 p-3">
              <h3 className="font-semibold">
                Group <span className="font-mono">{g.name}</span>{' '}
                <span className="text-sm font-normal text-muted">
                  #{g.id} · {g.membersCount} member{g.membersCount === 1 ? '' : 's'} · total lag{' '}
                  {formatBigDecimal(g.totalLag)}
                </span>
              </h3>
              <ul className="text-sm">
                {g.members.map((m) => (
                  <li key={m.id}>
                    Member {m.id}: partitions {m.partitions.length ? m.partitions.join(', ') : 'none'}
                  </li>
                ))}
              </ul>
              <p className="lab-hint">
                The generation is known only to members (the sync reply); a read-only explorer does not join.
              </p>
              <OffsetsTable stream={stream} topic={topic} offsets={g.offsets} who={`group ${g.name}`} />
              <LagHistory stream={stream} topic={topic} kind="group" name={g.name} />
            </div>
          ))}
          {data.consumers.map((c) => (
            <div key={c.name} className="card grid gap-2 p-3">
              <h3 className="font-semibold">
                Consumer <span className="font-mono">{c.name}</span>{' '}
                <span className="text-sm font-normal text-muted">
                  {c.source === 'demo' ? "(the dashboard's consumer)" : '(asked for)'} · total lag{' '}
                  {formatBigDecimal(c.totalLag)}
                </span>
              </h3>
              <OffsetsTable stream={stream} topic={topic} offsets={c.offsets} who={`consumer ${c.name}`} />
              <LagHistory stream={stream} topic={topic} kind="consumer" name={c.name} />
            </div>
          ))}
          {data.partitionsNotRead > 0 ? (
            <p className="lab-hint">{data.partitionsNotRead} partitions past the first 64 are not read.</p>
          ) : null}
        </>
      ) : null}
      <ViewCost cost={data} what="the consumers" />
    </section>
  );
}

function OffsetsTable({
  stream,
  topic,
  offsets,
  who,
}: {
  stream: string;
  topic: string;
  offsets: ExplorerPartitionLag[];
  who: string;
}) {
  return (
    <div className="explore-scroll" tabIndex={0} role="region" aria-label={`Offsets of ${who}`}>
      <table className="explore-table">
        <thead>
          <tr>
            <th scope="col">Partition</th>
            <th scope="col" className="num">
              Stored offset
            </th>
            <th scope="col" className="num">
              Current offset
            </th>
            <th scope="col" className="num">
              Lag
            </th>
          </tr>
        </thead>
        <tbody>
          {offsets.map((o) => {
            const next = o.storedOffset === null ? '0' : (BigInt(o.storedOffset) + 1n).toString();
            return (
              <tr key={o.partitionId}>
                <td>{o.partitionId}</td>
                <td className="num font-mono">
                  {o.storedOffset === null ? 'none' : formatBigDecimal(o.storedOffset)}
                </td>
                <td className="num font-mono">{formatBigDecimal(o.currentOffset)}</td>
                <td className="num">
                  {o.lag === '0' ? (
                    '0'
                  ) : (
                    <Link
                      className="text-accent underline underline-offset-4"
                      href={partitionHref(stream, topic, o.partitionId, { offset: next })}
                      aria-label={`${formatBigDecimal(o.lag)} behind on partition ${o.partitionId}: show the first unconsumed message`}
                    >
                      {formatBigDecimal(o.lag)}
                    </Link>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function LagHistory(props: { stream: string; topic: string; kind: 'consumer' | 'group'; name: string }) {
  const { data, error } = useExplore<ExplorerLagSeries>(apiUrl('lag', props), REFRESH_MS);
  if (error) return <ViewError error={error} what="the lag history" />;
  if (!data) return null;
  return <LagChart series={data} nowMs={data.points.at(-1)?.atMs ?? 0} />;
}
