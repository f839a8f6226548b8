'use client';

import clsx from 'clsx';
import { useStatus } from '../api/use-demo-data';
import { connectionView } from './connection-view';

export function ConnectionBadge() {
  const { data, error } = useStatus();
  const view = connectionView(data, error);
  const title = [view.address ? `Iggy at ${view.address}` : null, view.detail].filter(Boolean).join(' — ');
  // Only the state is a live region: the round trip changes every second and must not be announced.
  return (
    <div
      className={clsx('badge', view.tone === 'stand-in' && 'border-warn/60 text-warn')}
      data-tone={view.tone}
      title={title || undefined}
    >
      <span
        role="status"
        aria-label={`Iggy connection: ${view.label}`}
        className="inline-flex items-center gap-[inherit]"
      >
        <span className={clsx('badge-dot', view.tone === 'stand-in' && 'bg-warn')} aria-hidden="true" />
        <span className="font-medium max-[420px]:sr-only">{view.label}</span>
      </span>
      {view.tone === 'ok' && view.detail ? (
        <span className="hidden text-muted tabular-nums sm:inline" aria-hidden="true">
          {view.detail}
        </span>
      ) : null}
    </div>
  );
}
