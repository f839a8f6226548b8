'use client';

import Link from 'next/link';

// Shown when a page throws while rendering. Never shows the error text or stack: only what to do next.
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div className="mx-auto flex max-w-xl flex-col items-start gap-4 px-6 py-24" role="alert">
      <p className="font-mono text-sm text-danger">Something went wrong</p>
      <h1 className="text-3xl font-semibold tracking-tight">This page hit an error</h1>
      <p className="text-muted">
        The demo app could not draw this page. Your messages are safe in Iggy; try again, or go back to the
        dashboard.
      </p>
      {error.digest ? (
        <p className="text-sm text-faint">
          Reference for the server log: <code className="font-mono">{error.digest}</code>
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button type="button" className="btn btn-primary" onClick={() => reset()}>
          Try again
        </button>
        <Link href="/" className="btn">
          Back to the dashboard
        </Link>
      </div>
    </div>
  );
}
