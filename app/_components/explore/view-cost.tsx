'use client';

import '../labs/labs.css';
import type { ExplorerCost } from '@/lib/explorer/contract';
import { CliLine, FramesTable } from '../labs/recorded-frames';

/** What a view cost on the wire: the frames its last refresh sent and received, and the CLI line. */
export function ViewCost({ cost, what }: { cost: ExplorerCost | undefined; what: string }) {
  if (!cost) return null;
  const requests = cost.frames.filter((f) => f.kind === 'request').length;
  return (
    <details className="explore-cost">
      <summary>
        Frames for {what}: {requests} request{requests === 1 ? '' : 's'}, {cost.frames.length - requests} repl
        {cost.frames.length - requests === 1 ? 'y' : 'ies'}
        {cost.framesDropped > 0 ? ` (+${cost.framesDropped} not shown)` : ''}
      </summary>
      <div className="mt-2 grid gap-2">
        {cost.cli ? (
          <CliLine command={cost.cli.command} note={cost.cli.note} />
        ) : (
          <p className="lab-hint">The official CLI has no verified form of this request.</p>
        )}
        <FramesTable
          frames={cost.frames}
          dropped={cost.framesDropped}
          subject={what}
          ownConnection="explorer"
        />
      </div>
    </details>
  );
}

/** A failed view: what the server said, designed rather than default. */
export function ViewError({
  error,
  what,
}: {
  error: { code: string; message: string; status: number };
  what: string;
}) {
  const gone = error.status === 404;
  return (
    <p className="lab-note" data-tone={gone ? 'error' : 'down'} role="alert">
      <strong>{gone ? `Not found` : `Could not load ${what}`}</strong>{' '}
      <span className="font-mono text-xs">{error.code}</span>: {error.message}
    </p>
  );
}
