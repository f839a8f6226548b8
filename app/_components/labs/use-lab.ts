'use client';

import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { ApiRequestError, getJson, postJson } from '../api/client';
import { PolledResource, type PolledState } from '../api/polled-resource';
import type { LabActionResult } from '@/lib/labs/contract';

/** How often an open lab re-reads its state; faster while an action runs (the fill shows progress). */
const REFRESH_MS = 3_000;
const BUSY_REFRESH_MS = 400;

const NOTHING_YET: PolledState<never> = { data: undefined, error: undefined };
const nothingYet = () => NOTHING_YET;

export interface LabFailure {
  code: string;
  message: string;
  /** 4xx: the lab refused before anything happened. */
  refused: boolean;
}

/** What useLab gives a lab component (and its frame). */
export type LabHandle<State> = ReturnType<typeof useLab<State>>;

/**
 * One lab's client side: its state (a PolledResource, polled while the page is open, which also keeps the lab's
 * server connections from idling out) and its actions. One action at a time; the latest answer or
 * failure is what the frame shows.
 */
/** `refreshMs`: how often the state is re-read while idle (a lab whose messages flow all the time wants more). */
export function useLab<State>(stateUrl: string, actionUrl: string, { refreshMs = REFRESH_MS } = {}) {
  const [pending, setPending] = useState<string | undefined>(undefined);
  const [result, setResult] = useState<LabActionResult<unknown> | undefined>(undefined);
  const [failure, setFailure] = useState<LabFailure | undefined>(undefined);
  const inFlight = useRef(false);
  const resource = useMemo(() => new PolledResource(() => getJson<State>(stateUrl), REFRESH_MS), [stateUrl]);
  const polled: PolledState<State> = useSyncExternalStore(
    resource.subscribe,
    resource.getSnapshot,
    nothingYet,
  );
  useEffect(
    () => resource.setIntervalMs(pending ? BUSY_REFRESH_MS : refreshMs),
    [resource, pending, refreshMs],
  );

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
        void resource.revalidate();
      }
    },
    [actionUrl, resource],
  );

  return {
    state: polled.data,
    stateError: polled.error,
    loading: polled.data === undefined && polled.error === undefined,
    pending,
    result,
    failure,
    act,
  };
}
