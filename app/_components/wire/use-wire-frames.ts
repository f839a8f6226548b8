'use client';

import { useCallback } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import type { ApiRequestError } from '../api/client';
import { fetchJson, POLLING } from '../api/swr-config';
import type { WireFrame } from './wire-frames';

export const FRAMES_KEY = '/api/frames';
const EMPTY: readonly WireFrame[] = [];

/** Frames accumulate across polls: each poll asks only for frames after the newest one held. */
async function framesAfter(held: readonly WireFrame[]): Promise<readonly WireFrame[]> {
  // The frame parser loads with the first poll, i.e. only once someone opens the inspector.
  const { mergeFrames } = await import('./wire-frames');
  const lastSeq = held.at(-1)?.seq;
  let merged = mergeFrames(
    held,
    await fetchJson<unknown>(lastSeq ? `${FRAMES_KEY}?after=${lastSeq}` : FRAMES_KEY),
  );
  // The server restarted and numbers frames from 1 again: start over with everything it holds.
  if (merged.restarted) merged = mergeFrames(EMPTY, await fetchJson<unknown>(FRAMES_KEY));
  return merged.frames;
}

/**
 * Polls /api/frames once a second, only while `open` and the tab is visible. The server records frames only
 * while someone polls, so a closed inspector costs nothing.
 */
export function useWireFrames(open: boolean) {
  const { cache } = useSWRConfig();
  // What is held is what the cache holds: a reopened inspector shows it and asks only for newer frames.
  const fetcher = useCallback(
    () => framesAfter((cache.get(FRAMES_KEY)?.data as readonly WireFrame[] | undefined) ?? EMPTY),
    [cache],
  );
  const { data, error } = useSWR<readonly WireFrame[], ApiRequestError>(
    open ? FRAMES_KEY : null,
    fetcher,
    POLLING,
  );
  return { frames: data ?? EMPTY, error };
}
