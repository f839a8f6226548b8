#!/usr/bin/env node
// Builds the app for the end-to-end suite, then runs Playwright in Debian's chromium.
// It builds into the default .next folder (another folder makes next rewrite tsconfig.json).
// The build gets an IGGY_URL with a distinctive password so test/e2e/secrets.spec.ts can prove it never leaks.
import { existsSync } from 'node:fs';
import { run, repoRoot } from './lib/run.mjs';

const distDir = process.env.E2E_DIST_DIR ?? '.next';
const password = process.env.E2E_IGGY_PASSWORD ?? 'e2e-Leak-Canary-7f3a9c21';
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync(chromium)) {
  console.error(
    `Chromium not found at ${chromium}. Install it with: apt-get update && apt-get install -y chromium`,
  );
  process.exit(1);
}

const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  NEXT_DIST_DIR: distDir,
  E2E_DIST_DIR: distDir,
  E2E_IGGY_PASSWORD: password,
  IGGY_URL: `iggy://iggy:${password}@127.0.0.1:8090`,
};

if (process.env.E2E_SKIP_BUILD !== '1') {
  const build = await run('node_modules/.bin/next', ['build'], { env, cwd: repoRoot });
  if (build !== 0) {
    console.error('next build failed; end-to-end tests cannot run.');
    process.exit(build);
  }
}
const code = await run('node_modules/.bin/playwright', ['test', ...process.argv.slice(2)], {
  env,
  cwd: repoRoot,
});
process.exit(code);
