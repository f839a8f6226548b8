'use client';

import Link from 'next/link';
import { useStatus } from '../api/use-demo-data';
import { CopyButton } from '../ui/copy-button';
import { REAL_SERVER_BINARY_COMMAND, REAL_SERVER_DOCKER_COMMAND, STAND_IN_DOCS_HREF } from './stand-in';

/**
 * A persistent bar under the header of every page while the app talks to the in-memory stand-in: everything
 * the reader sees then comes from a test server, and nothing on the page may pass for Iggy's behaviour
 * without saying so. It cannot be dismissed; it goes away when the app talks to a real server.
 */
export function StandInNotice() {
  const { data } = useStatus();
  if (!data?.iggy.standIn) return null;
  return (
    <aside
      aria-label="Stand-in server"
      data-testid="stand-in-notice"
      className="border-b border-warn/40 bg-surface-2 text-sm"
    >
      <div className="mx-auto flex w-full max-w-[1600px] flex-col gap-2 px-3 py-2.5 sm:px-6 lg:flex-row lg:items-center lg:gap-6 lg:px-8">
        <p className="min-w-0 flex-1">
          <strong className="font-semibold text-warn">
            This app is talking to a stand-in for trying the app, not Iggy.
          </strong>{' '}
          <span className="text-muted">
            It is the in-memory test server of this repository: it speaks Iggy&rsquo;s protocol, but keeps
            everything in memory and does not show what Iggy does under a crash, load or in a cluster. To run
            the real Iggy 0.9.0, start it with Docker (or run{' '}
            <code className="font-mono text-[0.8125rem]">{REAL_SERVER_BINARY_COMMAND}</code>) and restart{' '}
            <code className="font-mono text-[0.8125rem]">npm run demo</code>.{' '}
            <Link
              href={STAND_IN_DOCS_HREF}
              className="font-medium text-fg underline decoration-border-strong underline-offset-4 hover:decoration-fg"
            >
              More about the stand-in
            </Link>
          </span>
        </p>
        <div className="flex min-w-0 items-center gap-2 lg:max-w-[min(30rem,45%)]">
          <code className="min-w-0 flex-1 rounded-lg border border-border bg-surface px-3 py-1.5 font-mono text-[0.8125rem] [overflow-wrap:anywhere]">
            {REAL_SERVER_DOCKER_COMMAND}
          </code>
          <CopyButton text={REAL_SERVER_DOCKER_COMMAND} label="Copy the command that starts the real Iggy" />
        </div>
      </div>
    </aside>
  );
}
