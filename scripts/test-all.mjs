#!/usr/bin/env node
// `npm test`: every check and every test layer, then one summary line `N passed, N failed[, N skipped]`.
// Static checks (typecheck, lint, format) count as one test each; vitest, Playwright and the conformance check
// against Iggy's official Python SDK report their own counts.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { run, runCapture, repoRoot } from './lib/run.mjs';

process.env.NEXT_TELEMETRY_DISABLED = '1';
const results = [];
const resultsDir = path.join(repoRoot, 'test-results');
mkdirSync(resultsDir, { recursive: true });

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function check(name, command, args) {
  console.log(`\n=== ${name}`);
  const code = await run(command, args);
  results.push({ name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 });
}

await check('typecheck', 'node_modules/.bin/tsc', ['--noEmit']);
await check('lint', 'node_modules/.bin/eslint', ['.', '--max-warnings', '0']);
await check('format', 'node_modules/.bin/prettier', ['--check', '.', '--log-level', 'warn']);

console.log('\n=== unit + integration (vitest, with lib/ coverage)');
const vitestJson = path.join(resultsDir, 'vitest.json');
rmSync(vitestJson, { force: true });
const vitestCode = await run('node_modules/.bin/vitest', [
  'run',
  '--coverage',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
const vitest = readJson(vitestJson);
if (vitest) {
  results.push({
    name: 'vitest',
    passed: vitest.numPassedTests,
    failed: vitest.numFailedTests,
    skipped: vitest.numPendingTests + vitest.numTodoTests,
  });
  // A non-zero exit with no failed test means a suite failed to load or the coverage threshold was missed.
  if (vitestCode !== 0 && vitest.numFailedTests === 0) {
    results.push({ name: 'vitest (suite errors or coverage threshold)', passed: 0, failed: 1, skipped: 0 });
  }
} else {
  results.push({ name: 'vitest (no report)', passed: 0, failed: 1, skipped: 0 });
}

console.log('\n=== conformance: the test server driven by the official Iggy Python SDK (apache-iggy 0.9.0)');
if (
  spawnSync('python3', ['-c', 'import venv, sys; assert sys.version_info >= (3, 10)'], { stdio: 'ignore' })
    .status !== 0
) {
  console.log('python3 >= 3.10 with venv is not available: conformance check skipped.');
  results.push({ name: 'conformance (python3 missing)', passed: 0, failed: 0, skipped: 1 });
} else {
  const conformance = await runCapture('bash', ['test/conformance/run-official-python-sdk.sh']);
  const passed = (conformance.output.match(/^PASS /gm) ?? []).length;
  const failed = (conformance.output.match(/^FAIL /gm) ?? []).length;
  results.push({ name: 'conformance', passed, failed, skipped: 0 });
  if (conformance.code !== 0 && failed === 0)
    results.push({ name: 'conformance (run error)', passed: 0, failed: 1, skipped: 0 });
}

console.log('\n=== end to end (next build + Playwright in chromium)');
const playwrightJson = path.join(resultsDir, 'playwright.json');
rmSync(playwrightJson, { force: true });
const e2eCode = await run('node', ['scripts/test-e2e.mjs']);
const playwright = readJson(playwrightJson);
if (playwright?.stats) {
  const { expected = 0, unexpected = 0, skipped = 0, flaky = 0 } = playwright.stats;
  results.push({ name: 'playwright', passed: expected + flaky, failed: unexpected, skipped });
  if (e2eCode !== 0 && unexpected === 0)
    results.push({ name: 'playwright (run error)', passed: 0, failed: 1, skipped: 0 });
} else {
  results.push({ name: 'playwright (build or run failed)', passed: 0, failed: 1, skipped: 0 });
}

console.log('\n=== summary');
for (const r of results) {
  console.log(
    `  ${r.failed ? 'FAIL' : 'ok  '} ${r.name}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`,
  );
}
const total = results.reduce(
  (sum, r) => ({
    passed: sum.passed + r.passed,
    failed: sum.failed + r.failed,
    skipped: sum.skipped + r.skipped,
  }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log(
  `${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`,
);
process.exit(total.failed === 0 && existsSync(vitestJson) ? 0 : 1);
