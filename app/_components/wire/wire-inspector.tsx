'use client';

import { lazy, Suspense, useId, useState } from 'react';
import { formatCount } from '../format';
import { LearnMoreLink } from '../ui/learn-link';
import { useWireFrames } from './use-wire-frames';

// The table and its rows load when the panel first opens: a closed inspector costs no page weight either.
const loadTable = () => import('./wire-frame-table');
const WireFrameTable = lazy(() => loadTable().then((m) => ({ default: m.WireFrameTable })));

/**
 * The frames the demo's two TCP connections exchange with Iggy, as a compact protocol trace. Closed by
 * default: the server records frames only while this panel polls, so a closed inspector costs nothing.
 */
export function WireInspector() {
  const headingId = useId();
  const regionId = useId();
  const [open, setOpen] = useState(false);
  const { frames, error } = useWireFrames(open);

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
            // Start fetching the table's code on intent, before the click lands.
            onPointerEnter={() => void loadTable().catch(() => undefined)}
            onFocus={() => void loadTable().catch(() => undefined)}
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
            <Suspense
              fallback={
                <p role="status" className="px-4 py-6 text-center text-sm text-muted">
                  Loading the frame table…
                </p>
              }
            >
              <WireFrameTable frames={frames} headingId={headingId} />
            </Suspense>
          </>
        ) : null}
      </div>
    </section>
  );
}
