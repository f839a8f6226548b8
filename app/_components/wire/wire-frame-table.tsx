'use client';

import { useLayoutEffect, useRef } from 'react';
import { useToggleSet } from '../ui/use-toggle-set';
import { WireFrameRow } from './wire-frame-row';
import type { WireFrame } from './wire-frames';

const STICK_TO_BOTTOM_PX = 24;

/** The open wire inspector's trace: one row per frame, oldest first, following new frames like a log tail. */
export function WireFrameTable({ frames, headingId }: { frames: readonly WireFrame[]; headingId: string }) {
  const { set: expanded, toggle } = useToggleSet<number>();
  const scrollRef = useRef<HTMLDivElement>(null);
  // Mounted each time the panel opens, so a reopened trace starts at its newest frame.
  const stickToBottom = useRef(true);

  // A trace reads top to bottom: follow new frames unless the reader scrolled up to look at older ones.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && stickToBottom.current) el.scrollTop = el.scrollHeight;
  }, [frames]);

  return (
    <div
      ref={scrollRef}
      className="max-h-[min(60vh,28rem)] overflow-auto overscroll-contain"
      tabIndex={0}
      role="group"
      aria-labelledby={headingId}
      onScroll={(event) => {
        const el = event.currentTarget;
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_TO_BOTTOM_PX;
      }}
    >
      <table className="w-full border-collapse font-mono text-xs tabular-nums">
        <caption className="sr-only">Frames on the producer and consumer connections, oldest first</caption>
        <thead className="sticky top-0 z-10 bg-surface-2 text-left text-[0.6875rem] text-muted">
          <tr>
            <th scope="col" className="w-px px-3 py-1.5 font-medium whitespace-nowrap">
              Time
            </th>
            <th scope="col" className="w-px px-2 py-1.5 font-medium whitespace-nowrap">
              Connection
            </th>
            <th scope="col" className="w-px px-2 py-1.5 font-medium">
              <span className="sr-only">Direction</span>
            </th>
            <th scope="col" className="px-2 py-1.5 font-medium">
              Command
            </th>
            <th scope="col" className="w-px px-2 py-1.5 text-right font-medium whitespace-nowrap">
              Request #
            </th>
            <th scope="col" className="w-px px-2 py-1.5 text-right font-medium whitespace-nowrap">
              Size
            </th>
            <th scope="col" className="w-24 px-2 py-1.5 font-medium whitespace-nowrap">
              Status
            </th>
            <th scope="col" className="w-px px-3 py-1.5">
              <span className="sr-only">Bytes</span>
            </th>
          </tr>
        </thead>
        {frames.map((frame) => (
          <WireFrameRow key={frame.seq} frame={frame} expanded={expanded.has(frame.seq)} onToggle={toggle} />
        ))}
      </table>
      {frames.length === 0 ? (
        <p className="px-4 py-6 text-center text-sm text-muted">
          Listening… Frames appear as the connections talk to Iggy — click Start producer to see SendMessages.
        </p>
      ) : null}
    </div>
  );
}
