'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { useStatus } from '../api/use-demo-data';
import { STAND_IN_DOCS_HREF } from './stand-in';

export interface StandInLabNoteProps {
  /** What the stand-in does differently from Iggy in this lab, e.g. "a crash drops the journal by rule". */
  differs: ReactNode;
  /**
   * Whether the lab's server is the stand-in, when the lab knows it from its own state; by default the note
   * asks the app's status (the labs and the dashboard talk to the same server).
   */
  standIn?: boolean;
}

/**
 * For a lab whose lesson depends on how the real server behaves (a crash, a cluster): while the app talks to
 * the stand-in, say in the lab itself what the reader is not seeing. Renders nothing against a real server.
 */
export function StandInLabNote({ differs, standIn }: StandInLabNoteProps) {
  const { data } = useStatus();
  if (!(standIn ?? data?.iggy.standIn)) return null;
  return (
    <p
      role="note"
      data-testid="stand-in-lab-note"
      className="rounded-lg border border-warn/40 bg-surface-2 px-3 py-2 text-[0.8125rem]"
    >
      <strong className="font-semibold text-warn">On the stand-in, not Iggy:</strong> {differs}{' '}
      <Link
        href={STAND_IN_DOCS_HREF}
        className="font-medium text-fg underline decoration-border-strong underline-offset-4 hover:decoration-fg"
      >
        Run the real server
      </Link>{' '}
      to see what Iggy does.
    </p>
  );
}
