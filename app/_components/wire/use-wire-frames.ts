'use client';

import { useState, useSyncExternalStore } from 'react';
import { getJson } from '../api/client';
import { PolledResource } from '../api/polled-resource';
import { REFRESH_INTERVAL_MS } from '../api/use-demo-data';
import type { WireFrame } from './wire-frames';

const FRAMES_URL = '/api/frames';
const EMPTY: readonly WireFrame[] = [];

/** Frames accumulate across polls: each poll asks only for frames after the newest one held. */
function framesResource(): PolledResource<readonly WireFrame[]> {
  let held: readonly WireFrame[] = EMPTY;
  return new PolledResource(async () => {
    // The frame parser loads with the first poll, i.e. only once someone opens the inspector.
    const { mergeFrames } = await import('./wire-frames');
    const lastSeq = held.at(-1)?.seq;
    let merged = mergeFrames(
      held,
      await getJson<unknown>(lastSeq ? `${FRAMES_URL}?after=${lastSeq}` : FRAMES_URL),
    );
    // The server restarted and numbers frames from 1 again: start over with everything it holds.
    if (merged.restarted) merged = mergeFrames(EMPTY, await getJson<unknown>(FRAMES_URL));
    held = merged.frames;
    return merged.frames;
  }, REFRESH_INTERVAL_MS);
}

const noSubscription = () => () => {};

/**
 * Polls /api/frames once a second, only while `open` and the tab is visible. The server records frames only
 * while someone polls, so a closed inspector costs nothing.
 */
export function useWireFrames(open: boolean) {
  const [resource] = useState(framesResource);
  // Reopening shows the frames held so far and asks for newer ones at once (subscribing fetches).
  const state = useSyncExternalStore(
    open ? resource.subscribe : noSubscription,
    resource.getSnapshot,
    resource.getSnapshot,
  );
  return { frames: state.data ?? EMPTY, error: state.error };
}
