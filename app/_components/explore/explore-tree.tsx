'use client';

import './explore.css';
import Link from 'next/link';
import { useState } from 'react';
import type { ExplorerTopic, ExplorerTopicDetails, ExplorerTree } from '@/lib/explorer/contract';
import { formatBigDecimal } from '../format';
import { formatBytes } from '../format-detail';
import { apiUrl, formatMicrosUtc, partitionHref } from './format';
import { useExplore } from './use-explore';
import { ViewCost, ViewError } from './view-cost';

const TREE_REFRESH_MS = 5_000;

/** The server's streams → topics → partitions, refreshed while the page is visible. */
export function ExploreTreeView() {
  const { data, error } = useExplore<ExplorerTree>('/api/explore/tree', TREE_REFRESH_MS);
  return (
    <section aria-labelledby="explore-tree-title" className="grid gap-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="explore-tree-title" className="text-xl font-semibold tracking-tight">
          Streams and topics
        </h2>
        {data ? <p className="text-sm text-muted">Iggy at {data.address} · refreshed every 5 s</p> : null}
      </div>
      {error ? <ViewError error={error} what="the streams" /> : null}
      {!data && !error ? <p className="text-muted">Asking Iggy for its streams…</p> : null}
      {data && data.streams.length === 0 ? (
        <p className="lab-note">
          This server has no streams yet. Start the producer on the dashboard, or send a message from a topic
          page once a topic exists.
        </p>
      ) : null}
      {data ? (
        <ul className="grid gap-3" aria-label="Streams">
          {data.streams.map((stream) => (
            <li key={stream.id} className="card p-4">
              <h3 className="text-lg font-semibold">
                Stream <span className="font-mono">{stream.name}</span>{' '}
                <span className="text-sm font-normal text-muted">#{stream.id}</span>
              </h3>
              <p className="text-sm text-muted">
                {stream.topicsCount} topic{stream.topicsCount === 1 ? '' : 's'} ·{' '}
                {formatBigDecimal(stream.messagesCount)} messages · {formatBytes(stream.sizeBytes)} · created{' '}
                {formatMicrosUtc(stream.createdAtMicros)}
              </p>
              <ul className="mt-2 grid gap-2" aria-label={`Topics of ${stream.name}`}>
                {stream.topics.map((topic) => (
                  <TopicNode key={topic.id} stream={stream.name} topic={topic} />
                ))}
              </ul>
              {stream.topicsNotShown > 0 ? (
                <p className="lab-hint">{stream.topicsNotShown} more topics not listed.</p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {data && data.streamsNotShown > 0 ? (
        <p className="lab-hint">{data.streamsNotShown} more streams not listed.</p>
      ) : null}
      <ViewCost cost={data} what="the tree" />
    </section>
  );
}

function TopicNode({ stream, topic }: { stream: string; topic: ExplorerTopic }) {
  const [open, setOpen] = useState(false);
  return (
    <li className="rounded-lg border border-border p-3">
      <details onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary className="cursor-pointer">
          Topic <span className="font-mono font-medium">{topic.name}</span>{' '}
          <span className="text-sm text-muted">
            · {topic.partitionsCount} partition{topic.partitionsCount === 1 ? '' : 's'} ·{' '}
            {formatBigDecimal(topic.messagesCount)} messages · {formatBytes(topic.sizeBytes)}
          </span>
        </summary>
        {open ? <TopicDetails stream={stream} topic={topic} /> : null}
      </details>
    </li>
  );
}

function TopicDetails({ stream, topic }: { stream: string; topic: ExplorerTopic }) {
  const { data, error } = useExplore<ExplorerTopicDetails>(
    apiUrl('topic', { stream, topic: topic.name }),
    TREE_REFRESH_MS,
  );
  if (error) return <ViewError error={error} what="the topic" />;
  if (!data) return <p className="text-sm text-muted">Loading partitions…</p>;
  const catalog = new Map(data.catalog.map((entry) => [entry.key, entry]));
  return (
    <div className="mt-3 grid gap-3">
      <p className="text-sm text-muted">Created {formatMicrosUtc(data.topic.createdAtMicros)}</p>
      <div className="explore-scroll" tabIndex={0} role="region" aria-label={`Partitions of ${topic.name}`}>
        <table className="explore-table">
          <caption className="sr-only">Partitions of {topic.name}</caption>
          <thead>
            <tr>
              <th scope="col">Partition</th>
              <th scope="col" className="num">
                Messages
              </th>
              <th scope="col" className="num">
                Current offset
              </th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col" className="num">
                Segments
              </th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {data.partitions.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link
                    className="text-accent underline underline-offset-4"
                    href={partitionHref(stream, topic.name, p.id)}
                  >
                    Browse partition {p.id}
                  </Link>
                </td>
                <td className="num">{formatBigDecimal(p.messagesCount)}</td>
                <td className="num font-mono">
                  {p.messagesCount === '0' ? '—' : formatBigDecimal(p.currentOffset)}
                </td>
                <td className="num">{formatBytes(p.sizeBytes)}</td>
                <td className="num">{p.segmentsCount}</td>
                <td className="font-mono text-xs">{formatMicrosUtc(p.createdAtMicros)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="explore-scroll" tabIndex={0} role="region" aria-label={`Options of ${topic.name}`}>
        <table className="explore-table">
          <caption className="text-left text-sm font-medium">Topic options</caption>
          <thead>
            <tr>
              <th scope="col">Option</th>
              <th scope="col">Value</th>
              <th scope="col">Source</th>
              <th scope="col">Server default</th>
            </tr>
          </thead>
          <tbody>
            {data.topic.options.map((o) => (
              <tr key={o.key}>
                <td className="font-mono" title={catalog.get(o.key)?.description}>
                  {o.key}
                </td>
                <td className="font-mono">{o.value ?? '—'}</td>
                <td>{o.explicit ? 'explicit (set at creation)' : 'server default'}</td>
                <td className="font-mono">{catalog.get(o.key)?.defaultValue ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ViewCost cost={data} what={`topic ${topic.name}`} />
    </div>
  );
}
