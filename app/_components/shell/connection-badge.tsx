'use client';

import { useStatus } from '../api/use-demo-data';
import { connectionView } from './connection-view';

export function ConnectionBadge() {
  const { data, error } = useStatus();
  const view = connectionView(data, Boolean(error) && !data);
  const title = [view.address ? `Iggy at ${view.address}` : null, view.detail].filter(Boolean).join(' — ');
  return (
    <div
      className="badge"
      data-tone={view.tone}
      role="status"
      aria-label={`Iggy connection: ${view.label}`}
      title={title || undefined}
    >
      <span className="badge-dot" aria-hidden="true" />
      <span className="font-medium max-[420px]:sr-only">{view.label}</span>
      {view.tone === 'ok' && view.detail ? (
        <span className="hidden text-muted tabular-nums sm:inline" aria-hidden="true">
          {view.detail}
        </span>
      ) : null}
    </div>
  );
}
