'use client';

import Link from 'next/link';
import { useId, useState } from 'react';
import type { ExplorerSent, HeaderInput } from '@/lib/explorer/contract';
import { ApiRequestError, postJson } from '../api/client';
import { partitionHref } from './format';
import { ViewCost } from './view-cost';

/** The kinds the user-headers codec knows (lib/iggy/wire/user-headers.ts), listed here to keep it out of the bundle. */
const KINDS = [
  'string',
  'raw',
  'bool',
  'int8',
  'int16',
  'int32',
  'int64',
  'int128',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'uint128',
  'float32',
  'float64',
];
/** The server's bound (lib/explorer/limits.ts maxSendPayloadBytes). */
export const MAX_SEND_BYTES = 8192;

export type Encoding = 'text' | 'json' | 'base64';

export interface SendDraft {
  stream: string;
  topic: string;
  encoding: Encoding;
  data: string;
  headers: HeaderInput[];
  /** Bumped by "Send again": the parent keys the form on it, so a new draft starts a fresh form. */
  version: number;
}

type PartitioningChoice = 'balanced' | 'partitionId' | 'messagesKey';

/** The form starts from `draft`; the parent remounts it (key = draft.version) to load another. */
export function SendForm({ draft }: { draft: SendDraft }) {
  const [stream, setStream] = useState(draft.stream);
  const [topic, setTopic] = useState(draft.topic);
  const [encoding, setEncoding] = useState<Encoding>(draft.encoding);
  const [data, setData] = useState(draft.data);
  const [headers, setHeaders] = useState<HeaderInput[]>(draft.headers);
  const [choice, setChoice] = useState<PartitioningChoice>('balanced');
  const [partitionId, setPartitionId] = useState('0');
  const [key, setKey] = useState('');
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState<ExplorerSent | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const id = useId();

  const size =
    encoding === 'base64' ? Math.floor((data.length * 3) / 4) : new TextEncoder().encode(data).length;
  let localProblem: string | undefined;
  if (data.length === 0) localProblem = 'Write a payload.';
  else if (size > MAX_SEND_BYTES) localProblem = `The payload is ${size} bytes; at most ${MAX_SEND_BYTES}.`;
  else if (encoding === 'json') {
    try {
      JSON.parse(data);
    } catch {
      localProblem = 'The payload is not valid JSON.';
    }
  }

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (localProblem || pending) return;
    setPending(true);
    try {
      const partitioning =
        choice === 'balanced'
          ? { kind: 'balanced' }
          : choice === 'partitionId'
            ? { kind: 'partitionId', partitionId: Number(partitionId) }
            : { kind: 'messagesKey', key };
      setSent(
        await postJson<ExplorerSent>('/api/explore/send', {
          stream,
          topic,
          partitioning,
          payload: { encoding, data },
          headers,
        }),
      );
      setFailure(undefined);
    } catch (error) {
      setSent(undefined);
      setFailure(error instanceof ApiRequestError ? `${error.code}: ${error.message}` : 'The send failed.');
    } finally {
      setPending(false);
    }
  };

  const setHeader = (index: number, patch: Partial<HeaderInput>) =>
    setHeaders((list) => list.map((h, i) => (i === index ? { ...h, ...patch } : h)));

  return (
    <section aria-labelledby={`${id}-title`} className="card grid gap-3 p-4">
      <h2 id={`${id}-title`} className="text-xl font-semibold tracking-tight">
        Send a message
      </h2>
      <form onSubmit={submit} className="grid gap-3">
        <div className="flex flex-wrap gap-3">
          <Field id={`${id}-stream`} label="Stream" value={stream} onChange={setStream} />
          <Field id={`${id}-topic`} label="Topic" value={topic} onChange={setTopic} />
        </div>
        <fieldset className="flex flex-wrap items-center gap-3 text-sm">
          <legend className="lab-label">Partitioning</legend>
          {(['balanced', 'partitionId', 'messagesKey'] as const).map((c) => (
            <label key={c} className="inline-flex items-center gap-1">
              <input type="radio" name={`${id}-part`} checked={choice === c} onChange={() => setChoice(c)} />
              {c === 'balanced' ? 'Balanced' : c === 'partitionId' ? 'Partition id' : 'Messages key'}
            </label>
          ))}
          {choice === 'partitionId' ? (
            <Field id={`${id}-pid`} label="Partition id" value={partitionId} onChange={setPartitionId} />
          ) : null}
          {choice === 'messagesKey' ? (
            <Field id={`${id}-key`} label="Key" value={key} onChange={setKey} />
          ) : null}
        </fieldset>
        <fieldset className="flex flex-wrap items-center gap-3 text-sm">
          <legend className="lab-label">Payload as</legend>
          {(['json', 'text', 'base64'] as const).map((e) => (
            <label key={e} className="inline-flex items-center gap-1">
              <input
                type="radio"
                name={`${id}-enc`}
                checked={encoding === e}
                onChange={() => setEncoding(e)}
              />
              {e === 'base64' ? 'Bytes (base64)' : e === 'json' ? 'JSON' : 'Text'}
            </label>
          ))}
        </fieldset>
        <div className="lab-field">
          <label htmlFor={`${id}-payload`} className="lab-label">
            Payload (at most {MAX_SEND_BYTES.toLocaleString('en-US')} bytes; now {size})
          </label>
          <textarea
            id={`${id}-payload`}
            className="lab-input min-h-24 font-mono"
            value={data}
            aria-invalid={localProblem !== undefined && data.length > 0}
            onChange={(e) => setData(e.target.value)}
          />
        </div>
        <fieldset className="grid gap-2">
          <legend className="lab-label">User headers ({headers.length} of 16)</legend>
          {headers.map((h, i) => (
            <div key={i} className="flex flex-wrap items-end gap-2">
              <Field
                id={`${id}-hk${i}`}
                label={`Header ${i + 1} key`}
                value={h.key}
                onChange={(v) => setHeader(i, { key: v })}
              />
              <div className="lab-field">
                <label htmlFor={`${id}-hkind${i}`} className="lab-label">
                  Kind
                </label>
                <select
                  id={`${id}-hkind${i}`}
                  className="lab-input"
                  value={h.kind}
                  onChange={(e) => setHeader(i, { kind: e.target.value })}
                >
                  {KINDS.map((k) => (
                    <option key={k}>{k}</option>
                  ))}
                </select>
              </div>
              <Field
                id={`${id}-hv${i}`}
                label={`Header ${i + 1} value`}
                value={h.value}
                onChange={(v) => setHeader(i, { value: v })}
              />
              <button
                type="button"
                className="btn btn-sm"
                onClick={() => setHeaders((l) => l.filter((_, j) => j !== i))}
              >
                Remove header {i + 1}
              </button>
            </div>
          ))}
          <div>
            <button
              type="button"
              className="btn btn-sm"
              disabled={headers.length >= 16}
              onClick={() => setHeaders((l) => [...l, { key: '', kind: 'string', value: '' }])}
            >
              Add header
            </button>
          </div>
        </fieldset>
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="submit"
            className="btn"
            disabled={pending || localProblem !== undefined}
            aria-busy={pending}
          >
            {pending ? 'Sending…' : 'Send'}
          </button>
          {localProblem && data.length > 0 ? (
            <span className="text-sm text-muted">{localProblem}</span>
          ) : null}
        </div>
      </form>
      <div role="status" aria-live="polite">
        {sent ? (
          <p className="lab-note" data-tone="ok">
            Sent to partition {sent.partitionId ?? '?'} at offset {sent.offset ?? '? (deduplicated)'}.{' '}
            {sent.partitionId !== null && sent.offset !== null ? (
              <Link
                className="text-accent underline underline-offset-4"
                href={partitionHref(sent.stream, sent.topic, sent.partitionId, { offset: sent.offset })}
              >
                Show it in the browser
              </Link>
            ) : null}
          </p>
        ) : failure ? (
          <p className="lab-note" data-tone="error">
            Refused — {failure}
          </p>
        ) : null}
      </div>
      {sent ? <ViewCost cost={sent} what="the send" /> : null}
    </section>
  );
}

function Field({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <div className="lab-field">
      <label htmlFor={id} className="lab-label">
        {label}
      </label>
      <input
        id={id}
        className="lab-input font-mono"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
