'use client';

import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { formatCount } from '../format';
import { LearnMoreLink } from '../ui/learn-link';
import { useToggleSet } from '../ui/use-toggle-set';
import { WireFrameRow } from './wire-frame-row';
import { useWireFrames } from './use-wire-frames';

const STICK_TO_BOTTOM_PX = 24;

/**
 * The frames the demo's two TCP connections exchange with Iggy, as a compact protocol trace. Closed by
 * default: the server records frames only while this panel polls, so a closed inspector costs nothing.
 */
export function WireInspector() {
  const headingId = useId();
  const regionId = useId();
  const [open, setOpen] = useState(false);
  const { frames, error } = useWireFrames(open);
  const { set: expanded, toggle } = useToggleSet<number>();
  const scrollRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);

  // A trace reads top to bottom: follow new frames unless the reader scrolled up to look at older ones.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && stickToBottom.current) el.scrollTop = el.scrollHeight;
  }, [frames, open]);

  useEffect(() => {
    if (!open) stickToBottom.current = true;
  }, [open]);

  return (
    <section className="card" aria-label="Wire inspector">
      <div className="flex flex-col gap-1 p-4 pb-3">
        <div className="flex items-center gap-2">
          <h2 id={headingId} className="text-[0.95rem] font-semibold tracking-tight">
            Wire inspector
          </h2>
          {open ? (
            <span className="chip tabular-nums" aria-live="off">
              {formatCount(frames.length)} frames
            </span>
          ) : null}
          <button
            type="button"
            className="btn btn-sm ml-auto"
            aria-expanded={open}
            aria-controls={regionId}
            onClick={() => setOpen((o) => !o)}
          >
            {open ? 'Hide frames' : 'Show frames'}
          </button>
        </div>
        <p className="flex flex-wrap items-baseline gap-x-2 text-[0.8125rem] leading-snug text-muted">
          <span>
            The binary frames the producer and consumer connections exchange with Iggy over TCP: a 256-byte
            header, then a body.
          </span>
          <LearnMoreLink
            href="/docs/architecture#how-this-app-connects"
            label="Learn how this app connects to Iggy"
          />
        </p>
      </div>

      <div id={regionId} hidden={!open} className="border-t border-border">
        {open ? (
          <>
            {error ? (
              <p role="status" className="px-4 py-2 text-xs text-danger">
                Could not load frames: {error.message} Retrying…
              </p>
            ) : null}
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
                <caption className="sr-only">
                  Frames on the producer and consumer connections, oldest first
                </caption>
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
                  <WireFrameRow
                    key={frame.seq}
                    frame={frame}
                    expanded={expanded.has(frame.seq)}
                    onToggle={toggle}
                  />
                ))}
              </table>
              {frames.length === 0 ? (
                <p className="px-4 py-6 text-center text-sm text-muted">
                  Listening… Frames appear as the connections talk to Iggy — click Start producer to see
                  SendMessages.
                </p>
              ) : null}
            </div>
          </>
        ) : null}
      </div>
    </section>
  );
}
