import type { Metadata } from 'next';
import Link from 'next/link';
import { ExploreTreeView } from '@/app/_components/explore/explore-tree';

export const metadata: Metadata = {
  title: 'Explore',
  description:
    'Everything on your Iggy server over the native protocol: streams, topics, partitions, messages, consumers and their lag.',
};

export default function ExplorePage() {
  return (
    <div className="mx-auto w-full max-w-5xl px-3 py-6 sm:px-6 sm:py-10">
      <header className="mb-6 grid gap-2">
        <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">Explore your server</h1>
        <p className="max-w-2xl text-muted">
          What is on this Iggy server, read over the same TCP protocol the app speaks: open a topic for its
          partitions and options, then browse a partition&apos;s messages, send one, and watch its consumers.
          Browsing never stores a consumer offset.{' '}
          <Link className="text-accent underline underline-offset-4" href="/docs/explore-your-server">
            How the explorer works
          </Link>
        </p>
      </header>
      <ExploreTreeView />
    </div>
  );
}
