'use client';

import type { ReactNode } from 'react';
import { SWRConfig } from 'swr';
import { ToastProvider } from './toast/toast-provider';

export function Providers({ children }: { children: ReactNode }) {
  return (
    <SWRConfig value={{ revalidateOnFocus: true }}>
      <ToastProvider>{children}</ToastProvider>
    </SWRConfig>
  );
}
