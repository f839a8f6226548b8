'use client';

import { useCallback, useRef, useState } from 'react';
import type { ActionRequests, ActionResponses, DemoStatus } from '@/lib/api/contract';
import { ApiRequestError, postJson } from '../api/client';
import { useDemoData } from '../api/use-demo-data';
import { useToast } from '../toast/toast-provider';

/**
 * POSTs a control action (start/stop/rate). The body is typed by the route's request schema (the contract's
 * ActionRequests), so a body the route would refuse does not compile. While a request is in flight `pending`
 * is true, so the caller disables its button; failures become a toast carrying the API's error message. The
 * answer (`{ producer }` or `{ consumer }`) goes straight into the status cache so the card flips at once.
 */
export function useAction<Path extends keyof ActionRequests>(url: Path, failureTitle: string) {
  const [pending, setPending] = useState(false);
  const inFlight = useRef(false);
  const data = useDemoData();
  const toast = useToast();

  const run = useCallback(
    async (body: ActionRequests[Path]): Promise<boolean> => {
      if (inFlight.current) return false;
      inFlight.current = true;
      setPending(true);
      try {
        const result: Partial<ActionResponses[keyof ActionResponses]> | null = await postJson<
          ActionResponses[Path]
        >(url, body);
        const producer = result && 'producer' in result ? result.producer : undefined;
        const consumer = result && 'consumer' in result ? result.consumer : undefined;
        data.status.set(
          (current: DemoStatus | undefined) =>
            current && {
              ...current,
              ...(producer ? { producer: { ...current.producer, ...producer } } : {}),
              ...(consumer ? { consumer: { ...current.consumer, ...consumer } } : {}),
            },
        );
        return true;
      } catch (error) {
        const apiError =
          error instanceof ApiRequestError ? error : new ApiRequestError('INTERNAL', 'Unexpected error', 0);
        toast.push({ kind: 'error', title: failureTitle, message: `${apiError.message} (${apiError.code})` });
        return false;
      } finally {
        inFlight.current = false;
        setPending(false);
        void data.status.revalidate();
        void data.topology.revalidate();
      }
    },
    [url, failureTitle, toast, data],
  );

  return { run, pending };
}
