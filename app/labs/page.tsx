import type { Metadata } from 'next';
import Link from 'next/link';
import { LABS } from '@/lib/labs/catalog';

export const metadata: Metadata = {
  title: 'Labs',
  description:
    'Runnable docs: vary one Iggy concept at a time against the real server and see the frames it takes.',
};

export default function LabsIndexPage() {
  return (
    <div className="mx-auto w-full max-w-4xl px-4 py-8 sm:px-6 sm:py-12">
      <header className="mb-8 grid gap-2">
        <p className="lab-kicker text-xs font-semibold tracking-widest text-accent uppercase">Labs</p>
        <h1 className="text-3xl font-semibold tracking-tight">Try one concept at a time</h1>
        <p className="max-w-2xl text-muted">
          Each lab drives the same Iggy server as the dashboard, in a stream of its own, and shows what Iggy
          answered, the protocol frames it took and the same request with the official <code>iggy</code> CLI.
          The same labs appear inside the docs, under the section they explain.
        </p>
      </header>
      <ul className="grid gap-3" aria-label="All labs">
        {LABS.map((lab) => (
          <li key={lab.name} className="card p-4 sm:p-5">
            <h2 className="text-lg font-semibold tracking-tight">
              <Link
                href={`/labs/${lab.name}`}
                className="hover:text-accent hover:underline underline-offset-4"
              >
                {lab.title}
              </Link>
            </h2>
            <p className="mt-1 text-sm text-muted">{lab.summary}</p>
            <p className="mt-2 text-xs">
              <Link
                className="text-accent hover:underline underline-offset-4"
                href={`/docs/${lab.docs.slug}#${lab.docs.anchor}`}
              >
                In the docs: {lab.docs.section}
              </Link>
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
