'use client';

import './labs.css';
import Link from 'next/link';
import { useId, type ReactNode } from 'react';
import type { LabActionResult } from '@/lib/labs/contract';
import { findLab, type LabName } from '@/lib/labs/catalog';
import { CliLine, FramesTable } from './recorded-frames';
import type { LabFailure, LabFrameHandle } from './use-lab';
import { useHydrated } from '../ui/use-hydrated';

/** Where a lab is shown: what each lab component takes from the page or doc that places it. */
export interface LabPlacement {
  /** The level of the lab's title among the page's headings (its section's level + 1 in a doc). */
  headingLevel?: number;
  /** Show the link to the docs section (on /labs pages) or to the lab's own page (in a doc). */
  context?: 'docs' | 'page';
}

export interface LabFrameProps extends LabPlacement {
  name: LabName;
  /** The lab's useLab handle: the frame shows its reachability, Reset, and the latest answer. */
  lab: LabFrameHandle;
  children: ReactNode;
}

/**
 * What every lab shares: the title and one-liner, Reset, the server's reachability, and the answer to
 * the latest action (explanation in a live region, the frames it caused, the CLI equivalent).
 */
export function LabFrame({ name, headingLevel = 2, context = 'page', lab: handle, children }: LabFrameProps) {
  const lab = findLab(name)!;
  const titleId = useId();
  const hydrated = useHydrated();
  const { stateError, pending, result, failure } = handle;
  const iggy = handle.state?.iggy;
  const down = iggy !== undefined && !iggy.reachable;
  return (
    <section className="lab" aria-labelledby={titleId} data-lab-frame={lab.name}>
      <header className="flex flex-wrap items-start gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1">
          <p className="lab-kicker">Lab</p>
          <p id={titleId} role="heading" aria-level={headingLevel} className="lab-title">
            {lab.title}
          </p>
          <p className="lab-summary">
            {lab.summary}{' '}
            {context === 'docs' ? (
              <Link className="text-accent underline underline-offset-4" href={`/labs/${lab.name}`}>
                Open on its own page
              </Link>
            ) : (
              <Link
                className="text-accent underline underline-offset-4"
                href={`/docs/${lab.docs.slug}#${lab.docs.anchor}`}
              >
                Read: {lab.docs.section}
              </Link>
            )}
          </p>
        </div>
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => void handle.act({ action: 'reset' })}
          disabled={pending !== undefined || !hydrated}
          aria-busy={pending === 'reset'}
          aria-label={`Reset the ${lab.title.toLowerCase()} lab`}
        >
          {pending === 'reset' ? 'Resetting…' : 'Reset'}
        </button>
      </header>

      {stateError ? (
        <p className="lab-note" data-tone="down" role="alert">
          The app server did not answer ({stateError.message}). The lab tries again every few seconds.
        </p>
      ) : down ? (
        <p className="lab-note" data-tone="down" role="alert">
          <strong>{iggy.message ?? `Iggy is not reachable at ${iggy.address}`}.</strong> Start it with{' '}
          <code>docker compose -f server/docker-compose.yml up -d</code>; the lab reconnects by itself.
        </p>
      ) : null}

      {children}

      <LabResult result={result} failure={failure} pending={pending} />
    </section>
  );
}

function LabResult({
  result,
  failure,
  pending,
}: {
  result: LabActionResult | undefined;
  failure: LabFailure | undefined;
  pending: string | undefined;
}) {
  return (
    <div className="lab-result">
      {/* Always mounted, so screen readers announce each new result. */}
      <div role="status" aria-live="polite" aria-atomic="true" className="lab-explanation">
        {pending ? (
          <p className="text-muted">Working…</p>
        ) : failure ? (
          <p className="lab-note" data-tone="error">
            <strong>{failure.refused ? 'Refused' : 'Failed'}</strong>{' '}
            <span className="font-mono text-xs">{failure.code}</span>: {failure.message}
            {failure.refused ? ' Nothing was sent to Iggy and nothing changed.' : ''}
          </p>
        ) : result ? (
          <p className="lab-note" data-tone="ok">
            {result.explanation}
          </p>
        ) : (
          <p className="text-muted text-sm">Results appear here: what Iggy did, and the frames it took.</p>
        )}
      </div>
      {result && !pending && !failure ? (
        <>
          {result.cli ? <CliLine command={result.cli.command} note={result.cli.note} /> : null}
          <FramesTable frames={result.frames} dropped={result.framesDropped} />
        </>
      ) : null}
    </div>
  );
}
