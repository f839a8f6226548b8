'use client';

import { useCallback, useRef, useState } from 'react';
import type { ActionRequests, ActionResponses, DemoStatus } from '@/lib/api/contract';
import { useSWRConfig } from 'swr';
import { ApiRequestError, postJson } from '../api/client';
import { STATUS_KEY, TOPOLOGY_KEY } from '../api/use-demo-data';
import { useToast } from '../toast/toast-provider';

/**
 * POSTs a control action (start/stop/rate). The body is typed by the route's request schema (the contract's
 * ActionRequests), so a body the route would refuse does not compile. While a request is in flight `pending`
 * is true, so the caller disables its button; failures become a toast carrying the API's error message. The
 * answer (`{ producer }` or `{ consumer }`) goes straight into the status cache so the card flips at once; SWR
 * discards the answer of a status poll that left before that write, so the card cannot flip back.
 */
export function useAction<Path extends keyof ActionRequests>(url: Path, failureTitle: string) {
  const [pending, setPending] = useState(false);
  const inFlight = useRef(false);
  const { mutate } = useSWRConfig();
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
        await mutate<DemoStatus>(
          STATUS_KEY,
          (current) =>
            current && {
              ...current,
              ...(producer ? { producer: { ...current.producer, ...producer } } : {}),
              ...(consumer ? { consumer: { ...current.consumer, ...consumer } } : {}),
            },
          { revalidate: false },
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
        // A fresh look at what the action changed; these requests leave after the write, so they may replace it.
        void mutate(STATUS_KEY);
        void mutate(TOPOLOGY_KEY);
      }
    },
    [url, failureTitle, toast, mutate],
  );

  return { run, pending };
}
