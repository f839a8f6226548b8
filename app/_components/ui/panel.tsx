// The building blocks every card shares: header with a Learn link, running chip, stat, error note, facts.
import type { ReactNode } from 'react';
import { LearnLink, type ConceptSection } from './learn-link';

export function PanelHeader({
  id,
  title,
  caption,
  learn,
  aside,
  level = 2,
}: {
  id: string;
  title: string;
  caption: string;
  learn: { section: ConceptSection; topic: string };
  aside?: ReactNode;
  level?: 2 | 3;
}) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-center gap-2">
        <Heading
          id={id}
          className={level === 2 ? 'text-[0.95rem] font-semibold tracking-tight' : 'text-sm font-semibold'}
        >
          {title}
        </Heading>
        {aside ? <div className="ml-auto flex items-center gap-2">{aside}</div> : null}
      </div>
      <p className="flex flex-wrap items-baseline gap-x-2 text-[0.8125rem] leading-snug text-muted">
        <span>{caption}</span> <LearnLink {...learn} />
      </p>
    </div>
  );
}

export function RunningChip({ running, label }: { running: boolean; label?: string }) {
  return (
    <span className="chip" data-running={running}>
      <span
        aria-hidden="true"
        className={
          running
            ? 'size-1.5 rounded-full bg-accent-fill motion-safe:animate-pulse'
            : 'size-1.5 rounded-full bg-faint'
        }
      />
      {label ?? (running ? 'Running' : 'Stopped')}
    </span>
  );
}

export function Stat({
  label,
  children,
  tone,
}: {
  label: string;
  children: ReactNode;
  tone?: 'lag' | 'accent';
}) {
  return (
    <div className="min-w-0">
      <dt className="stat-label">{label}</dt>
      <dd
        className={`mt-0.5 truncate font-mono text-lg font-medium tabular-nums ${
          tone === 'lag' ? 'text-lag' : tone === 'accent' ? 'text-accent' : ''
        }`}
      >
        {children}
      </dd>
    </div>
  );
}

export function ErrorNote({
  title,
  error,
}: {
  title: string;
  error: { code: string; message: string; at?: string };
}) {
  return (
    <div className="rounded-lg border border-danger/30 bg-danger-soft px-3 py-2 text-[0.8125rem]">
      <p className="font-medium text-danger">
        {title} <span className="font-mono text-xs font-normal">{error.code}</span>
      </p>
      <p className="mt-0.5 break-words text-fg">{error.message}</p>
      {error.at ? <p className="mt-0.5 font-mono text-xs text-muted">{formatAt(error.at)}</p> : null}
    </div>
  );
}

function formatAt(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toLocaleTimeString('en-US', { hour12: false });
}

/** Small key facts at the foot of a card: how this part of the demo talks to Iggy. */
export function Facts({ items }: { items: { term: string; detail: ReactNode }[] }) {
  return (
    <dl className="grid gap-1.5 border-t border-border pt-3 text-xs">
      {items.map((item) => (
        <div key={item.term} className="flex items-baseline justify-between gap-3">
          <dt className="shrink-0 text-faint">{item.term}</dt>
          <dd className="min-w-0 text-right text-muted">{item.detail}</dd>
        </div>
      ))}
    </dl>
  );
}
