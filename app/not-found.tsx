import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="mx-auto flex max-w-xl flex-col items-start gap-4 px-6 py-24">
      <p className="font-mono text-sm text-accent">404 · offset out of range</p>
      <h1 className="text-3xl font-semibold tracking-tight">This page is not in the stream</h1>
      <p className="text-muted">
        Nothing was ever written at this address. The dashboard and the concept docs are the two places worth
        polling.
      </p>
      <div className="flex flex-wrap gap-2">
        <Link href="/" className="btn btn-primary">
          Open the dashboard
        </Link>
        <Link href="/docs" className="btn">
          Read the docs
        </Link>
      </div>
    </div>
  );
}
