'use client';

import { useId, useMemo, useState } from 'react';
import type { ExplorerMessage } from '@/lib/explorer/contract';
import { formatBigDecimal } from '../format';
import { formatBytes } from '../format-detail';
import { CopyButton } from '../ui/copy-button';
import { formatMicrosUtc } from './format';
import { base64ToBytes, detectFormat, renderPayload, type PayloadFormat } from './payload';

const FORMATS: PayloadFormat[] = ['json', 'text', 'hex'];

/** One message with everything Iggy keeps about it; the payload only ever as text in a <pre>. */
export function MessageCard({
  message,
  onSendAgain,
}: {
  message: ExplorerMessage;
  onSendAgain: (message: ExplorerMessage) => void;
}) {
  const bytes = useMemo(() => base64ToBytes(message.payloadBase64), [message.payloadBase64]);
  const detected = useMemo(
    () => detectFormat(bytes, message.payloadTruncated),
    [bytes, message.payloadTruncated],
  );
  const [chosen, setChosen] = useState<PayloadFormat | undefined>(undefined);
  const format = chosen ?? detected;
  const groupName = useId();
  const titleId = useId();
  return (
    <article className="card gap-2 p-3" aria-labelledby={titleId} data-offset={message.offset}>
      <header className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={titleId} className="font-mono text-sm font-semibold">
          Offset {formatBigDecimal(message.offset)}
        </h3>
        <div className="flex flex-wrap gap-2">
          <CopyButton text={JSON.stringify(message)} label={`Copy message ${message.offset} as JSON`} />
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => onSendAgain(message)}
            aria-label={`Send message ${message.offset} again`}
          >
            Send again
          </button>
        </div>
      </header>
      <dl className="explore-kv">
        <dt>Id (u128)</dt>
        <dd>{message.id}</dd>
        <dt>Server time</dt>
        <dd>{formatMicrosUtc(message.timestampMicros)}</dd>
        <dt>Origin time</dt>
        <dd>{formatMicrosUtc(message.originTimestampMicros)}</dd>
        <dt>Checksum</dt>
        <dd>{message.checksum}</dd>
        <dt>Size</dt>
        <dd>
          {formatBytes(message.payloadBytes)} payload
          {message.headersBytes > 0 ? ` + ${formatBytes(message.headersBytes)} headers` : ''}
        </dd>
      </dl>
      {message.headers && message.headers.length > 0 ? (
        <table className="explore-table">
          <caption className="text-left text-xs text-muted">User headers</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Kind</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {message.headers.map((h) => (
              <tr key={h.key}>
                <td className="font-mono">{h.key}</td>
                <td>{h.kind}</td>
                <td className="font-mono break-all">{h.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {message.headers === null ? (
        <p className="lab-note" data-tone="error">
          User headers do not decode ({message.headersError}); raw:{' '}
          <code className="break-all">{message.headersHex}</code>
        </p>
      ) : null}
      <fieldset className="flex flex-wrap items-center gap-3 text-xs">
        <legend className="sr-only">Show the payload of message {message.offset} as</legend>
        {FORMATS.map((f) => (
          <label key={f} className="inline-flex items-center gap-1">
            <input type="radio" name={groupName} checked={format === f} onChange={() => setChosen(f)} />
            {f.toUpperCase()}
            {f === detected ? <span className="text-muted">(detected)</span> : null}
          </label>
        ))}
      </fieldset>
      <pre className="explore-payload" tabIndex={0} aria-label={`Payload of message ${message.offset}`}>
        {renderPayload(bytes, format)}
      </pre>
      {message.payloadTruncated ? (
        <p className="lab-hint">
          Showing the first {formatBytes(bytes.length)} of {formatBytes(message.payloadBytes)}.
        </p>
      ) : null}
    </article>
  );
}
