import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { GeistMono } from 'geist/font/mono';
import { GeistSans } from 'geist/font/sans';
import { ConnectionBadge } from './_components/shell/connection-badge';
import { SiteNav } from './_components/shell/site-nav';
import { StandInNotice } from './_components/shell/stand-in-notice';
import { ThemeToggle } from './_components/theme/theme-toggle';
import { themeScript } from './_components/theme/theme-script';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Iggy demo — watch messages stream', template: '%s · Iggy demo' },
  description:
    'A hands-on introduction to Apache Iggy: produce JSON messages over the native TCP protocol and watch them flow through streams, topics, partitions and consumer offsets.',
  applicationName: 'Iggy demo',
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f7f7f8' },
    { media: '(prefers-color-scheme: dark)', color: '#0c0c0f' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`} suppressHydrationWarning>
      <head>
        {/* Constant script (no data): picks the theme class before first paint so there is no flash. */}
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="flex min-h-dvh flex-col bg-bg text-fg">
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <header className="sticky top-0 z-40 border-b border-border bg-bg/85 backdrop-blur supports-[backdrop-filter]:bg-bg/70">
          <div className="mx-auto flex h-14 w-full max-w-[1600px] items-center gap-1.5 px-3 sm:gap-4 sm:px-6 lg:px-8">
            <Link
              href="/"
              className="flex shrink-0 items-center gap-2 rounded-md font-semibold tracking-tight"
            >
              <LogoMark />
              <span>
                Iggy<span className="font-normal text-muted max-[420px]:sr-only"> demo</span>
              </span>
            </Link>
            <SiteNav />
            <div className="ml-auto flex items-center gap-1.5 sm:gap-2">
              <ConnectionBadge />
              <ThemeToggle />
            </div>
          </div>
        </header>
        <StandInNotice />
        <main id="main" className="flex-1">
          {children}
        </main>
        <footer className="border-t border-border">
          <div className="mx-auto flex w-full max-w-[1600px] flex-col gap-2 px-4 py-6 text-sm text-muted sm:flex-row sm:items-center sm:justify-between sm:px-6 lg:px-8">
            <p>
              A hands-on introduction to{' '}
              <a
                className="font-medium text-fg underline decoration-border-strong underline-offset-4 hover:decoration-accent"
                href="https://iggy.apache.org"
              >
                Apache Iggy
              </a>
              , the persistent message streaming platform.
            </p>
            <p className="flex gap-4">
              <a className="hover:text-fg" href="https://github.com/apache/iggy">
                Iggy on GitHub
              </a>
              <Link className="hover:text-fg" href="/docs">
                Docs
              </Link>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}

function LogoMark() {
  return (
    <svg width="24" height="24" viewBox="0 0 64 64" aria-hidden="true">
      <rect width="64" height="64" rx="14" className="fill-fg" />
      <g strokeLinecap="round" strokeWidth="6">
        <path d="M14 20h22" className="stroke-muted" />
        <path d="M14 32h36" className="stroke-accent-fill" />
        <path d="M14 44h28" className="stroke-muted" />
      </g>
      <circle cx="50" cy="32" r="5" className="fill-accent-fill" />
    </svg>
  );
}
