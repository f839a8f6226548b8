'use client';

import { useCallback, useRef, useState } from 'react';
import useSWR from 'swr';
import { ApiRequestError, getJson, postJson } from '../api/client';
import type { LabActionResult } from '@/lib/labs/contract';

/** How often an open lab re-reads its state; faster while an action runs (the fill shows progress). */
const REFRESH_MS = 3_000;
const BUSY_REFRESH_MS = 400;

export interface LabFailure {
  code: string;
  message: string;
  /** 4xx: the lab refused before anything happened. */
  refused: boolean;
}

/**
 * One lab's client side: its state (SWR, polled while the page is open, which also keeps the lab's
 * server connections from idling out) and its actions. One action at a time; the latest answer or
 * failure is what the frame shows.
 */
export function useLab<State>(stateUrl: string, actionUrl: string) {
  const [pending, setPending] = useState<string | undefined>(undefined);
  const [result, setResult] = useState<LabActionResult<unknown> | undefined>(undefined);
  const [failure, setFailure] = useState<LabFailure | undefined>(undefined);
  const inFlight = useRef(false);
  const swr = useSWR<State, ApiRequestError>(stateUrl, getJson, {
    refreshInterval: pending ? BUSY_REFRESH_MS : REFRESH_MS,
    keepPreviousData: true,
  });
  const { mutate } = swr;

  const act = useCallback(
    async <Outcome>(body: Record<string, unknown>): Promise<LabActionResult<Outcome> | undefined> => {
      if (inFlight.current) return undefined;
      inFlight.current = true;
      setPending(String(body.action ?? 'action'));
      try {
        const answer = await postJson<LabActionResult<Outcome>>(actionUrl, body);
        setResult(answer as LabActionResult<unknown>);
        setFailure(undefined);
        return answer;
      } catch (error) {
        const apiError =
          error instanceof ApiRequestError ? error : new ApiRequestError('INTERNAL', 'Unexpected error', 0);
        setFailure({
          code: apiError.code,
          message: apiError.message,
          refused: apiError.status >= 400 && apiError.status < 500,
        });
        return undefined;
      } finally {
        inFlight.current = false;
        setPending(undefined);
        void mutate();
      }
    },
    [actionUrl, mutate],
  );

  return {
    state: swr.data,
    stateError: swr.error,
    loading: swr.data === undefined && swr.error === undefined,
    pending,
    result,
    failure,
    act,
  };
}
