/**
 * npm run bench:bundle — first-load JavaScript per route, measured from a production build.
 *
 * Runs `next build` (skip with --no-build to measure the existing .next), then reads every
 * prerendered page's HTML under .next/server/app and collects the scripts a browser fetches on
 * first load: `<script src>` tags and `<link rel="preload" as="script">`, de-duplicated. With
 * Next 16 + Turbopack the HTML is the reliable source (the old app-build-manifest.json is gone);
 * `noModule` polyfills are counted apart, as modern browsers skip them. Sizes are of the files in
 * .next/static, raw and gzip (zlib level 9; kB = 1000 bytes). Routes rendered on demand have no
 * HTML at build time and are listed as not measured. For docs pages it also reports how much of
 * `/`'s own route code (its scripts that the root layout alone, i.e. /_not-found, does not load)
 * they load as well: the dashboard code a docs reader should not pay for.
 * Writes the table into docs/performance.md between the bench:bundle markers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PERFORMANCE_DOC, writePerformanceSection } from './lib/performance-doc';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const dotNext = path.join(repoRoot, '.next');
const appDir = path.join(dotNext, 'server', 'app');

interface RouteScripts {
  route: string;
  modern: string[];
  noModule: string[];
}

interface Sized {
  raw: number;
  gzip: number;
}

function build(): void {
  console.log('next build …');
  const result = spawnSync(path.join(repoRoot, 'node_modules', '.bin', 'next'), ['build'], {
    cwd: repoRoot,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
    timeout: 15 * 60_000,
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status ?? result.signal})`);
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return htmlFiles(full);
    return name.endsWith('.html') ? [full] : [];
  });
}

function routeOf(file: string): string {
  const relative = path
    .relative(appDir, file)
    .replace(/\\/g, '/')
    .replace(/\.html$/, '');
  return relative === 'index' ? '/' : `/${relative}`;
}

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag)?.[1];
}

/** Script URLs of one built page, in document order, without duplicates. */
function scriptsOf(html: string): { modern: string[]; noModule: string[] } {
  const modern = new Set<string>();
  const noModule = new Set<string>();
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attribute(tag, 'src');
    if (!src?.endsWith('.js')) continue;
    (/\snomodule(=|\s|>)/i.test(tag) ? noModule : modern).add(src);
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const href = attribute(tag, 'href');
    if (
      attribute(tag, 'as') === 'script' &&
      /preload|modulepreload/i.test(attribute(tag, 'rel') ?? '') &&
      href
    )
      modern.add(href);
  }
  for (const src of noModule) modern.delete(src);
  return { modern: [...modern], noModule: [...noModule] };
}

const sizeCache = new Map<string, Sized>();
function sizeOf(src: string): Sized {
  let sized = sizeCache.get(src);
  if (!sized) {
    const pathname = src.replace(/^https?:\/\/[^/]+/, '').split('?')[0]!;
    if (!pathname.startsWith('/_next/static/')) throw new Error(`script outside /_next/static: ${src}`);
    const bytes = readFileSync(path.join(dotNext, 'static', pathname.slice('/_next/static/'.length)));
    sized = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    sizeCache.set(src, sized);
  }
  return sized;
}

function total(srcs: string[]): Sized {
  return srcs
    .map(sizeOf)
    .reduce((sum, s) => ({ raw: sum.raw + s.raw, gzip: sum.gzip + s.gzip }), { raw: 0, gzip: 0 });
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/** App routes that render pages (not route handlers) and have no prerendered HTML. */
function unmeasuredRoutes(measured: Set<string>): string[] {
  const manifestFile = path.join(dotNext, 'app-path-routes-manifest.json');
  if (!existsSync(manifestFile)) return [];
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, string>;
  return Object.entries(manifest)
    .filter(([entry]) => entry.endsWith('/page'))
    .map(([, route]) => route)
    .filter((route) => route !== '/_global-error')
    .filter((route) => !measured.has(route) && ![...measured].some((m) => matchesDynamic(route, m)))
    .sort();
}

function matchesDynamic(pattern: string, route: string): boolean {
  if (!pattern.includes('[')) return false;
  const regex = new RegExp(`^${pattern.replace(/\[\.\.\.[^\]]+\]/g, '.+').replace(/\[[^\]]+\]/g, '[^/]+')}$`);
  return regex.test(route);
}

/**
 * What the root layout alone loads: the scripts of the not-found page (root layout, no route
 * code), or else the build manifest's root main files.
 */
function rootLayoutScripts(routes: RouteScripts[]): Set<string> {
  const notFound = routes.find((r) => r.route === '/_not-found');
  if (notFound) return new Set(notFound.modern);
  const manifest = JSON.parse(readFileSync(path.join(dotNext, 'build-manifest.json'), 'utf8')) as {
    rootMainFiles?: string[];
  };
  return new Set((manifest.rootMainFiles ?? []).map((f) => `/_next/${f}`));
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) build();
  if (!existsSync(appDir)) throw new Error('no .next/server/app: run without --no-build');
  const routes: RouteScripts[] = htmlFiles(appDir)
    .map((file) => ({ route: routeOf(file), ...scriptsOf(readFileSync(file, 'utf8')) }))
    .filter((r) => r.route !== '/_global-error')
    .sort((a, b) => (a.route === '/' ? -1 : b.route === '/' ? 1 : a.route.localeCompare(b.route)));
  const shared = rootLayoutScripts(routes);
  const home = routes.find((r) => r.route === '/');
  const homeOwn = new Set((home?.modern ?? []).filter((src) => !shared.has(src)));

  const rows = routes.map((r) => {
    const modern = total(r.modern);
    const poly = total(r.noModule);
    const fromHome = r.route.startsWith('/docs')
      ? total(r.modern.filter((src) => homeOwn.has(src)))
      : undefined;
    console.log(
      `${r.route}: ${r.modern.length} scripts, ${kB(modern.gzip)} gzip (${kB(modern.raw)} raw)` +
        (r.noModule.length ? `; + ${r.noModule.length} noModule ${kB(poly.gzip)} gzip` : '') +
        (fromHome ? `; of /'s own route code: ${kB(fromHome.gzip)} gzip` : ''),
    );
    return `| \`${r.route}\` | ${r.modern.length} | ${kB(modern.gzip)} | ${kB(modern.raw)} | ${r.noModule.length ? `${kB(poly.gzip)} (${r.noModule.length})` : '—'} | ${fromHome ? kB(fromHome.gzip) : '—'} |`;
  });
  // The explorer's own code (its scripts the root layout alone does not load) must stay off / and the docs.
  const explore = routes.find((r) => r.route === '/explore');
  const exploreOwn = new Set((explore?.modern ?? []).filter((src) => !shared.has(src)));
  const exploreLeaks = routes
    .filter((r) => r.route === '/' || r.route.startsWith('/docs'))
    .filter((r) => r.modern.some((src) => exploreOwn.has(src)))
    .map((r) => r.route);
  const exploreLine = explore
    ? `\`/explore\`’s own route code is ${kB(total([...exploreOwn]).gzip)} gzip; ${exploreLeaks.length === 0 ? 'neither `/` nor any docs page loads it' : `loaded by ${exploreLeaks.join(', ')}`}.`
    : '`/explore` was not prerendered, so not measured.';
  console.log(exploreLine.replace(/`/g, ''));
  if (exploreLeaks.length > 0) process.exitCode = 1;
  const unmeasured = unmeasuredRoutes(new Set(routes.map((r) => r.route)));
  const nextVersion = (
    JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', 'next', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const section = [
    '## First-load JavaScript per route (`npm run bench:bundle`)',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} from \`next build\` (Next ${nextVersion}, Turbopack), Node ${process.version}, ${os.platform()}.`,
    '',
    'Scripts a browser fetches when it first opens the page: the `<script src>` tags and script preloads of the',
    'prerendered HTML, each counted once. gzip = zlib level 9 per file; kB = 1000 bytes. `noModule` polyfills are',
    'listed apart (modern browsers skip them). Root layout alone = what `/_not-found` loads. The last column: how',
    `much of \`/\`’s own route code (its scripts the root layout alone does not load, ${kB(total([...homeOwn]).gzip)} gzip) a docs page loads too.`,
    '',
    '| route | scripts | gzip | raw | noModule gzip (files) | of `/`’s own route code |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    exploreLine,
    ...(unmeasured.length
      ? ['', `Rendered on demand, so not measured here: ${unmeasured.map((r) => `\`${r}\``).join(', ')}.`]
      : []),
  ].join('\n');
  await writePerformanceSection('bundle', section);
  console.log(`\nwrote ${path.relative(process.cwd(), PERFORMANCE_DOC)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
