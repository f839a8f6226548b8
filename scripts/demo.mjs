#!/usr/bin/env node
// `npm run demo`: from a fresh clone to the running app on http://localhost:3000.
// 1. installs dependencies if missing; 2. finds or starts an Iggy server (IGGY_URL, else Docker Compose, else
// IGGY_SERVER_BIN, else explains what to install); 3. builds and serves the app. Ctrl-C stops what it started.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot, run } from './lib/run.mjs';
import { launcherServerSettings, serverEnvironment } from './lib/server-env.mjs';

const DEFAULT_IGGY_URL = 'iggy://iggy:iggy@127.0.0.1:8090';
const COMPOSE_FILE = 'server/docker-compose.yml';
const started = []; // cleanup callbacks for what this script started, newest last
let stopping = false;

const say = (message) => console.log(`\x1b[36m[demo]\x1b[0m ${message}`);
const warn = (message) => console.warn(`\x1b[33m[demo]\x1b[0m ${message}`);

function fail(message) {
  console.error(`\x1b[31m[demo]\x1b[0m ${message}`);
  process.exit(1);
}

/** Reads host, port and credentials from an iggy:// URL; never prints the password. */
function parseTarget(raw) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    fail(
      'IGGY_URL is not a valid URL. Expected iggy://USER:PASSWORD@HOST:PORT, e.g. iggy://iggy:iggy@127.0.0.1:8090',
    );
  }
  if (url.protocol !== 'iggy:' && url.protocol !== 'iggy+tcp:') {
    fail(
      `IGGY_URL must start with iggy:// (got ${url.protocol}//). This app speaks Iggy's TCP protocol only.`,
    );
  }
  const port = url.port === '' ? 8090 : Number(url.port);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535)
    fail('IGGY_URL needs a host and a port 1..65535.');
  return {
    host,
    port,
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    display: `${host.includes(':') ? `[${host}]` : host}:${port}`,
    isLocal: ['127.0.0.1', 'localhost', '::1'].includes(host),
  };
}

/** Sends an Iggy ping (protocol 0.11: 256-byte request header, operation 2, command code 1) and waits for a reply. */
function pingIggy(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const header = Buffer.alloc(256);
    header.writeUInt32LE(256, 48); // size
    header.writeUInt8(5, 60); // command = Request
    randomBytes(16).copy(header, 128); // client id: any non-zero u128
    header[128] |= 1;
    header.writeUInt8(2, 176); // operation = NonReplicated
    header.writeUInt32LE(1, 196); // command code = ping
    const socket = net.connect({ host, port });
    let received = Buffer.alloc(0);
    const finish = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => socket.write(header));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 256) finish(received.readUInt8(60) === 8 && received.readUInt32LE(216) === 0);
    });
  });
}

async function waitForIggy(target, timeoutMs, isAlive = () => true) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await pingIggy(target.host, target.port)) return true;
    if (!isAlive()) return false;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return false;
}

function dockerComposeWorks() {
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    stdio: 'ignore',
    timeout: 10_000,
  });
  if (info.status !== 0) return false;
  const compose = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore', timeout: 10_000 });
  return compose.status === 0;
}

async function startWithDocker(target) {
  say(`Starting Iggy 0.9.0 with Docker Compose (${COMPOSE_FILE})…`);
  const env = { ...process.env, IGGY_ROOT_USERNAME: target.username, IGGY_ROOT_PASSWORD: target.password };
  const code = await run(
    'docker',
    ['compose', '-f', COMPOSE_FILE, 'up', '-d', '--wait', '--wait-timeout', '120'],
    { env },
  );
  if (code !== 0) {
    warn(`docker compose failed (exit ${code}). See: docker compose -f ${COMPOSE_FILE} logs iggy`);
    return false;
  }
  started.push(async () => {
    say('Stopping the Iggy container this script started (data stays in the iggy-data volume)…');
    await run('docker', ['compose', '-f', COMPOSE_FILE, 'stop']);
  });
  return waitForIggy(target, 60_000);
}

async function startServerBinary(target, binary) {
  if (!existsSync(binary)) {
    warn(`IGGY_SERVER_BIN=${binary} does not exist.`);
    return false;
  }
  const dataDir = path.join(repoRoot, '.data', 'iggy');
  mkdirSync(dataDir, { recursive: true });
  say(`Starting ${binary} in .data/iggy (data in .data/iggy/local_data) …`);
  const child = spawn(binary, [], {
    cwd: dataDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    // Only what the server needs: not the app's own IGGY_* settings, which it would read as its configuration.
    env: serverEnvironment(process.env, launcherServerSettings(target)),
  });
  started.push(async () => {
    if (child.exitCode !== null) return;
    say('Stopping the Iggy server this script started…');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  });
  return waitForIggy(target, 60_000, () => child.exitCode === null);
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

async function cleanup() {
  while (started.length > 0) {
    const stop = started.pop();
    try {
      await stop();
    } catch (error) {
      warn(`cleanup failed: ${error.message}`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log('');
    await cleanup();
    process.exit(0);
  });
}

process.env.NEXT_TELEMETRY_DISABLED = '1';
const iggyUrl = process.env.IGGY_URL || DEFAULT_IGGY_URL;
const target = parseTarget(iggyUrl);
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535)
  fail(`PORT must be a number 1..65535 (got ${process.env.PORT}).`);

if (!existsSync(path.join(repoRoot, 'node_modules', '.bin', 'next'))) {
  say('Installing dependencies (npm ci)…');
  if ((await run('npm', ['ci', '--no-audit', '--no-fund'])) !== 0)
    fail('npm ci failed; see the output above.');
}

say(`Looking for Iggy at ${target.display}…`);
let iggyReady = await pingIggy(target.host, target.port);
if (iggyReady) {
  say(`Iggy answers at ${target.display}: using it.`);
} else if (target.isLocal && dockerComposeWorks()) {
  iggyReady = await startWithDocker(target);
} else if (process.env.IGGY_SERVER_BIN) {
  iggyReady = await startServerBinary(target, process.env.IGGY_SERVER_BIN);
}
if (!iggyReady) {
  warn(`No Iggy server answers at ${target.display}. The app will start anyway and show how to start one:`);
  warn(`  • with Docker:        docker compose -f ${COMPOSE_FILE} up -d   (then reload the page)`);
  warn('  • with a binary:      IGGY_SERVER_BIN=/path/to/iggy-server npm run demo');
  warn(
    '  • no Docker at all:   npm run test-server   (an in-memory stand-in for trying the UI; not the real Iggy)',
  );
  warn('  • another server:     IGGY_URL=iggy://USER:PASSWORD@HOST:8090 npm run demo');
}

if (!(await portIsFree(port))) {
  await cleanup();
  fail(`Port ${port} is in use. Stop whatever uses it, or run: PORT=3001 npm run demo`);
}

say('Building the app (next build)…');
if ((await run('node_modules/.bin/next', ['build'], { env: { ...process.env, IGGY_URL: iggyUrl } })) !== 0) {
  await cleanup();
  fail('next build failed; see the output above.');
}

const app = spawn('node_modules/.bin/next', ['start', '-p', String(port)], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { LOG_FORMAT: 'pretty', ...process.env, IGGY_URL: iggyUrl, PORT: String(port) },
});
started.push(async () => {
  if (app.exitCode === null) app.kill('SIGTERM');
});
app.on('exit', async (code) => {
  if (stopping) return;
  await cleanup();
  process.exit(code ?? 1);
});
say(`Open http://localhost:${port} — then click "Start producer". Press Ctrl-C to stop.`);
