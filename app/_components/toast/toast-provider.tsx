'use client';

import {
  createContext,
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useContext,
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

const loadToastCard = () => import('./toast-card');
const ToastCard = lazy(() => loadToastCard().then((m) => ({ default: m.ToastCard })));

const PRELOAD_AFTER_MS = 2_000;

const ToastContext = createContext<ToastApi | null>(null);

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

  // Fetch the card's code once the page has settled: a toast often reports that the app server went away,
  // and then its code could no longer be fetched.
  useEffect(() => {
    const idle = setTimeout(() => void loadToastCard().catch(() => undefined), PRELOAD_AFTER_MS);
    return () => clearTimeout(idle);
  }, []);

  return (
    <ToastContext.Provider value={api}>
      {children}
      <section className="toast-stack" aria-label="Notifications">
        {toasts.length > 0 ? (
          // The card's code loads with the first toast: most visits never raise one.
          <Suspense fallback={null}>
            {toasts.map((toast) => (
              <ToastCard key={toast.id} toast={toast} onDismiss={dismiss} />
            ))}
          </Suspense>
        ) : null}
      </section>
    </ToastContext.Provider>
  );
}
