'use client';

import { useCallback, useRef } from 'react';
import useSWR from 'swr';
import { getJson, type ApiRequestError } from '../api/client';
import { steadyPolling } from '../api/use-demo-data';
import { mergeFrames, type WireFrame } from './wire-frames';

const FRAMES_KEY = '/api/frames';
const EMPTY: readonly WireFrame[] = [];

/**
 * Polls /api/frames once a second, only while `open` (and, as SWR does by default, only while the tab is
 * visible). Each poll asks for frames after the newest one held, so a busy demo sends each frame once.
 */
export function useWireFrames(open: boolean) {
  const framesRef = useRef<readonly WireFrame[]>(EMPTY);

  const fetchFrames = useCallback(async (url: string): Promise<readonly WireFrame[]> => {
    const lastSeq = framesRef.current.at(-1)?.seq;
    let merged = mergeFrames(
      framesRef.current,
      await getJson<unknown>(lastSeq ? `${url}?after=${lastSeq}` : url),
    );
    // The server restarted and numbers frames from 1 again: start over with everything it holds.
    if (merged.restarted) merged = mergeFrames(EMPTY, await getJson<unknown>(url));
    framesRef.current = merged.frames;
    return merged.frames;
  }, []);

  const { data, error } = useSWR<readonly WireFrame[], ApiRequestError>(
    open ? FRAMES_KEY : null,
    fetchFrames,
    {
      ...steadyPolling,
      keepPreviousData: true,
    },
  );

  return { frames: data ?? EMPTY, error };
}
