/**
 * End-to-end harness: every test gets its own in-memory Iggy test server and its own `next start` of the
 * production build (made by scripts/test-e2e.mjs into E2E_DIST_DIR), so tests can kill and restart Iggy
 * without disturbing each other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
import { startTestServer, type TestServer } from '../support/index';

export const E2E_DIST_DIR = process.env.E2E_DIST_DIR ?? '.next';
/** A password distinctive enough that finding it anywhere in build output or API responses proves a leak. */
export const E2E_IGGY_PASSWORD = process.env.E2E_IGGY_PASSWORD ?? 'e2e-Leak-Canary-7f3a9c21';
export const E2E_IGGY_USERNAME = 'iggy';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningApp {
  url: string;
  port: number;
  /** Everything the app printed, for diagnosing a failed test. */
  output(): string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited early with code ${child.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status < 500 || response.status === 503) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the app did not answer at ${url} within ${timeoutMs} ms (${lastError})`);
}

/** Starts `next start` on a free port against the given Iggy URL; resolves once it answers HTTP. */
export async function startApp(
  iggyUrl: string,
  extraEnv: Record<string, string> = {},
  /** What must answer before the app counts as up; a bad IGGY_URL makes /api/status answer 500. */
  readyPath = '/api/status',
): Promise<RunningApp & { stop(): Promise<void> }> {
  const port = await freePort();
  let output = '';
  // Start next's own binary, not npx: killing an npx wrapper leaves next-server running (toolchain pitfall 6).
  const child = spawn(
    path.join(repoRoot, 'node_modules', '.bin', 'next'),
    ['start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        NEXT_DIST_DIR: E2E_DIST_DIR,
        IGGY_URL: iggyUrl,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        ...extraEnv,
      },
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForHttp(`${url}${readyPath}`, 45_000, child);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- app output ---\n${output}`);
  }
  return { url, port, output: () => output, stop };
}

interface Fixtures {
  iggy: TestServer;
  app: RunningApp;
}

export const test = base.extend<Fixtures>({
  iggy: async ({}, provide) => {
    const server = await startTestServer({
      rootUsername: E2E_IGGY_USERNAME,
      rootPassword: E2E_IGGY_PASSWORD,
    });
    await provide(server);
    await server.stop();
  },
  app: async ({ iggy }, provide, testInfo) => {
    const app = await startApp(`iggy://${E2E_IGGY_USERNAME}:${E2E_IGGY_PASSWORD}@${iggy.host}:${iggy.port}`);
    await provide(app);
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('app-output', { body: app.output(), contentType: 'text/plain' });
    }
    await app.stop();
  },
  baseURL: async ({ app }, provide) => {
    await provide(app.url);
  },
});

export { expect };

/**
 * The header badge once the app talks to a server: "Connected" for Iggy, "Stand-in" for the in-memory test
 * server these tests run against when it identifies itself as the stand-in (version `…+stand-in`).
 */
export const CONNECTED_BADGE = /^Iggy connection: (Connected|Stand-in)$/;

/** Waits until the header badge says the app talks to its server; generous, the machine may be busy. */
export async function expectConnected(page: Page, timeout = 30_000): Promise<void> {
  await expect(page.getByRole('status', { name: CONNECTED_BADGE })).toBeVisible({ timeout });
}

/** Where screenshots meant for humans (README, review) go; test-results/ is git-ignored. */
export const screenshotPath = (name: string) => path.join(repoRoot, 'test-results', 'screenshots', name);

export interface TimelineRow {
  seq: number;
  partition: number;
  offset: number;
  /** The JSON `id` the producer wrote, as the row shows it. */
  id: string;
}

/**
 * Scrolls the virtualized Message timeline until an element matching `selector` is drawn (how far down it is
 * depends on how many messages arrived first, which a busy machine changes); false when the list ends first.
 */
export async function scrollTimelineTo(page: Page, selector: string): Promise<boolean> {
  return page.getByRole('list', { name: 'Message timeline' }).evaluate(async (list, wanted) => {
    const scroller = list.parentElement as HTMLElement;
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
    scroller.scrollTop = 0;
    for (let step = 0; step < 10_000; step += 1) {
      for (let i = 0; i < 30 && !list.querySelector(wanted); i += 1) await frame();
      const found = list.querySelector(wanted);
      if (found) {
        found.scrollIntoView({ block: 'center' });
        await frame();
        return true;
      }
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2) return false;
      scroller.scrollTop += Math.max(100, scroller.clientHeight * 0.75);
    }
    return false;
  }, selector);
}

/**
 * Every message row of the virtualized Message timeline, oldest first by seq. The list only draws the rows in
 * view, so this scrolls through it, collecting as it goes, and scrolls back to the top.
 */
export async function timelineRows(page: Page): Promise<TimelineRow[]> {
  const rows = await page.getByRole('list', { name: 'Message timeline' }).evaluate(async (list) => {
    const scroller = list.parentElement as HTMLElement;
    const found = new Map<string, TimelineRow>();
    const collect = () => {
      for (const el of list.querySelectorAll('[data-testid="message-offset"]')) {
        const seq = el.getAttribute('data-seq');
        if (seq === null || found.has(seq)) continue;
        found.set(seq, {
          seq: Number(seq),
          partition: Number(el.getAttribute('data-partition')),
          offset: Number(el.getAttribute('data-offset')),
          id: el.closest('article')?.querySelector('[data-testid="message-id"]')?.textContent ?? '',
        });
      }
    };
    // After a scroll the list draws the rows now in view a frame or more later (many more on a busy machine):
    // wait, frame by frame, until drawn rows cover the visible part of the list, rather than a fixed slice.
    const settle = async () => {
      const deadline = performance.now() + 10_000;
      for (;;) {
        await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
        const view = scroller.getBoundingClientRect();
        const bottom = Math.min(view.bottom, list.getBoundingClientRect().bottom);
        const drawn = [...list.querySelectorAll('li')].map((li) => li.getBoundingClientRect());
        const top = Math.min(...drawn.map((r) => r.top));
        const end = Math.max(...drawn.map((r) => r.bottom));
        if ((drawn.length > 0 && top <= view.top + 1 && end >= bottom - 1) || performance.now() > deadline)
          return;
      }
    };
    scroller.scrollTop = 0;
    await settle();
    for (;;) {
      collect();
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2) break;
      scroller.scrollTop += Math.max(100, scroller.clientHeight * 0.75);
      await settle();
    }
    scroller.scrollTop = 0;
    return [...found.values()];
  });
  return rows.sort((a, b) => a.seq - b.seq);
}
