'use client';

import { useCallback, useRef, useState } from 'react';
import useSWR from 'swr';
import { findLab } from '@/lib/labs/catalog';
import type { LabActionName, LabActionResult, LabResult, LabTypes } from '@/lib/labs/contract';
import { ApiRequestError, getJson, postJson } from '../api/client';

/** The pace of a lab the catalog does not know (it always does; the type allows any name). */
const DEFAULT_REFRESH_MS = 3_000;
/** While an action runs the state moves (the polling lab's fill shows its progress): read it faster. */
const BUSY_REFRESH_MS = 400;

export interface LabFailure {
  code: string;
  message: string;
  /** 4xx: the lab refused before anything happened. */
  refused: boolean;
}

/**
 * What LabFrame needs of any lab's handle: its reachability, its answer box, and Reset. Every LabHandle
 * fits it where the lab's actions include `{ action: 'reset' }`; a lab without Reset fails to type-check.
 */
export interface LabFrameHandle {
  state: { iggy: LabTypes['state']['iggy'] } | undefined;
  stateError: ApiRequestError | undefined;
  pending: string | undefined;
  result: LabActionResult | undefined;
  failure: LabFailure | undefined;
  act(body: { action: 'reset' }): Promise<unknown>;
}

/** What useLab gives a lab component (and, as a LabFrameHandle, its frame). */
export interface LabHandle<T extends LabTypes> {
  state: T['state'] | undefined;
  stateError: ApiRequestError | undefined;
  loading: boolean;
  failure: LabFailure | undefined;
  pending: LabActionName<T> | undefined;
  /** The latest action's answer: check `result.action` and its outcome is typed. */
  result: LabResult<T> | undefined;
  /** Runs one action (none while another runs: resolves undefined then); a failure lands in `failure`. */
  act<A extends T['actions']>(body: A): Promise<LabResult<T, A['action']> | undefined>;
}

const asRequestError = (error: unknown) =>
  error instanceof ApiRequestError ? error : new ApiRequestError('INTERNAL', 'Unexpected error', 0);

/**
 * One lab's client side. Its state comes through SWR: read at the lab's pace while the page is open
 * (each read also keeps the lab's server connections from idling out), again when the tab regains focus,
 * never while it is hidden. An action's answer is written into SWR's cache with `mutate`, and the state
 * is read again at once: SWR drops any read that started before that write, so a slow older answer
 * cannot overwrite what the action just did. One action at a time.
 * `query`: the state read's query string, without "?" (the polling lab names its consumer).
 */
export function useLab<T extends LabTypes>(
  name: T['name'],
  { query }: { query?: string } = {},
): LabHandle<T> {
  const url = `/api/labs/${name}`;
  const refreshMs = findLab(name)?.refreshMs ?? DEFAULT_REFRESH_MS;
  const [pending, setPending] = useState<LabActionName<T> | undefined>(undefined);
  const [failure, setFailure] = useState<LabFailure | undefined>(undefined);
  const inFlight = useRef(false);

  const state = useSWR<T['state'], unknown>(query ? `${url}?${query}` : url, getJson, {
    refreshInterval: pending ? BUSY_REFRESH_MS : refreshMs,
    refreshWhenHidden: false,
    revalidateOnFocus: true,
    // A new query (another consumer name) keeps showing the last state until its own answer arrives.
    keepPreviousData: true,
  });
  // No fetcher: only an action's answer is ever written here (shared by every view of the lab on the page).
  const last = useSWR<LabResult<T>>(`${url} latest action`, null);
  const { mutate: revalidateState } = state;
  const { mutate: writeResult } = last;

  const act = useCallback(
    async <A extends T['actions']>(body: A): Promise<LabResult<T, A['action']> | undefined> => {
      if (inFlight.current) return undefined;
      inFlight.current = true;
      setPending(body.action);
      try {
        const answer = await postJson<LabResult<T, A['action']>>(url, body);
        await writeResult(answer, { revalidate: false });
        setFailure(undefined);
        return answer;
      } catch (error) {
        const apiError = asRequestError(error);
        setFailure({
          code: apiError.code,
          message: apiError.message,
          refused: apiError.status >= 400 && apiError.status < 500,
        });
        return undefined;
      } finally {
        inFlight.current = false;
        setPending(undefined);
        void revalidateState();
      }
    },
    [url, writeResult, revalidateState],
  );

  return {
    state: state.data,
    stateError: state.error === undefined ? undefined : asRequestError(state.error),
    loading: state.data === undefined && state.error === undefined,
    pending,
    result: last.data,
    failure,
    act,
  };
}
