'use client';

import { useEffect, useState } from 'react';
import type { Toast } from './toast-provider';

const AUTO_DISMISS_MS = 7_000;

/** One notification; it dismisses itself after a while unless the pointer or focus rests on it. */
export function ToastCard({ toast, onDismiss }: { toast: Toast; onDismiss(id: number): void }) {
  const [hovered, setHovered] = useState(false);
  useEffect(() => {
    if (hovered) return;
    const timer = setTimeout(() => onDismiss(toast.id), AUTO_DISMISS_MS);
    return () => clearTimeout(timer);
  }, [hovered, onDismiss, toast.id]);

  return (
    <div
      role={toast.kind === 'error' ? 'alert' : 'status'}
      className="toast"
      data-kind={toast.kind}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setHovered(true)}
      onBlur={() => setHovered(false)}
    >
      <span className="toast-icon" aria-hidden="true">
        {toast.kind === 'error' ? '!' : 'i'}
      </span>
      <div className="min-w-0 flex-1">
        <p className="font-medium">{toast.title}</p>
        {toast.message ? <p className="mt-0.5 text-sm text-muted break-words">{toast.message}</p> : null}
      </div>
      <button
        type="button"
        className="icon-button -m-1 size-7"
        aria-label="Dismiss notification"
        onClick={() => onDismiss(toast.id)}
      >
        <svg
          width="14"
          height="14"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          aria-hidden="true"
        >
          <path d="M6 6l12 12M18 6L6 18" />
        </svg>
      </button>
    </div>
  );
}
