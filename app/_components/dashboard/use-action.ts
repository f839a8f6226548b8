'use client';

import { useCallback, useRef, useState } from 'react';
import { useSWRConfig } from 'swr';
import { ApiError, postJson } from '../api/client';
import type { DemoStatus } from '../api/types';
import { STATUS_KEY, TOPOLOGY_KEY } from '../api/use-demo-data';
import { useToast } from '../toast/toast-provider';

/**
 * POSTs a control action (start/stop/rate). While a request is in flight `pending` is true, so the
 * caller disables its button; failures become a toast carrying the API's error message. The answer
 * (`{ producer }` or `{ consumer }`) goes straight into the status cache so the card flips at once.
 */
export function useAction(url: string, failureTitle: string) {
  const [pending, setPending] = useState(false);
  const inFlight = useRef(false);
  const { mutate } = useSWRConfig();
  const toast = useToast();

  const run = useCallback(
    async (body: Record<string, unknown>): Promise<boolean> => {
      if (inFlight.current) return false;
      inFlight.current = true;
      setPending(true);
      try {
        const result = await postJson<Partial<Pick<DemoStatus, 'producer' | 'consumer'>>>(url, body);
        await mutate(
          STATUS_KEY,
          (current: DemoStatus | undefined) =>
            current && {
              ...current,
              ...(result?.producer ? { producer: { ...current.producer, ...result.producer } } : {}),
              ...(result?.consumer ? { consumer: { ...current.consumer, ...result.consumer } } : {}),
            },
          { revalidate: false },
        );
        return true;
      } catch (error) {
        const apiError = error instanceof ApiError ? error : new ApiError('INTERNAL', 'Unexpected error', 0);
        toast.push({ kind: 'error', title: failureTitle, message: `${apiError.message} (${apiError.code})` });
        return false;
      } finally {
        inFlight.current = false;
        setPending(false);
        void mutate(STATUS_KEY);
        void mutate(TOPOLOGY_KEY);
      }
    },
    [url, failureTitle, toast, mutate],
  );

  return { run, pending };
}
