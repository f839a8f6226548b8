'use client';

import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';

export type ToastKind = 'error' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  message?: string;
}

interface ToastApi {
  push(toast: Omit<Toast, 'id'>): void;
}

const ToastContext = createContext<ToastApi | null>(null);
const AUTO_DISMISS_MS = 7_000;

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToast must be used inside <ToastProvider>');
  return api;
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const push = useCallback((toast: Omit<Toast, 'id'>) => {
    const id = nextId.current++;
    // Keep the stack short: the newest four are enough to read.
    setToasts((all) => [...all.slice(-3), { ...toast, id }]);
  }, []);
  const api = useMemo(() => ({ push }), [push]);

  return (
    <ToastContext.Provider value={api}>
      {children}
      <section className="toast-stack" aria-label="Notifications">
        {toasts.map((toast) => (
          <ToastCard key={toast.id} toast={toast} onDismiss={dismiss} />
        ))}
      </section>
    </ToastContext.Provider>
  );
}

function ToastCard({ toast, onDismiss }: { toast: Toast; onDismiss(id: number): void }) {
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
