#!/usr/bin/env node
// `npm run demo`: from a fresh clone to the running app on http://localhost:3000.
// 1. installs dependencies if missing; 2. finds or starts a server: one that answers at IGGY_URL, else Iggy from
// Docker Compose, else from IGGY_SERVER_BIN, else the in-memory stand-in (unless --no-stand-in / IGGY_STAND_IN=0),
// with --cluster three nodes of each; 3. builds and serves the app. Ctrl-C stops everything it started.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pingIggy, waitForAll } from './lib/iggy-ping.mjs';
import {
  DEFAULT_PORT,
  IggyUrlError,
  formatAddress,
  formatIggyUrl,
  isLocalHost,
  parseIggyUrl,
} from './lib/iggy-url.mjs';
import { UsageError, chooseServer, parseDemoOptions } from './lib/launch-plan.mjs';
import { isRunning, spawnGroup, stopGroup } from './lib/process-group.mjs';
import { repoRoot, run } from './lib/run.mjs';
import {
  clusterNodeSettings,
  launcherServerSettings,
  parseServerVersion,
  serverEnvironment,
} from './lib/server-env.mjs';

const DEFAULT_IGGY_URL = 'iggy://iggy:iggy@127.0.0.1:8090';
const COMPOSE_FILE = 'server/docker-compose.yml';
const CLUSTER_COMPOSE_FILE = 'server/docker-compose.cluster.yml';
/** The ports server/docker-compose.cluster.yml publishes, node 0 to 2. */
const CLUSTER_COMPOSE_PORTS = [8090, 8091, 8092];
const CLUSTER_SIZE = 3;
const started = []; // cleanup callbacks for what this script started, newest last
let stopping = false;

const say = (message) => console.log(`\x1b[36m[demo]\x1b[0m ${message}`);
const warn = (message) => console.warn(`\x1b[33m[demo]\x1b[0m ${message}`);
/** A line that must not be missed: the app runs on the stand-in. */
const shout = (message) => console.warn(`\x1b[1;33m[demo]\x1b[0m \x1b[1m${message}\x1b[0m`);

function fail(message) {
  console.error(`\x1b[31m[demo]\x1b[0m ${message}`);
  process.exit(1);
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

// ---- starting servers ---------------------------------------------------------------------------------------

async function composeUp(file, credentials, what) {
  say(`Starting ${what} with Docker Compose (${file})…`);
  const env = {
    ...process.env,
    IGGY_ROOT_USERNAME: credentials.username,
    IGGY_ROOT_PASSWORD: credentials.password,
  };
  const code = await run('docker', ['compose', '-f', file, 'up', '-d', '--wait', '--wait-timeout', '120'], {
    env,
  });
  if (code !== 0) {
    warn(`docker compose failed (exit ${code}). See: docker compose -f ${file} logs`);
    return false;
  }
  started.push(async () => {
    say(`Stopping the containers this script started (their data stays in the Docker volumes)…`);
    await run('docker', ['compose', '-f', file, 'stop']);
  });
  return true;
}

/** Starts one server process in its own group; registers its stop. */
function startServerProcess(binary, args, { dataDir, env, label }) {
  mkdirSync(dataDir, { recursive: true });
  const child = spawnGroup(binary, args, { cwd: dataDir, env, prefix: `[${label}]` });
  child.on('error', (error) => warn(`${label}: could not start ${binary}: ${error.message}`));
  started.push(async () => {
    if (!isRunning(child)) return;
    say(`Stopping ${label}…`);
    // SIGINT: the server writes out what it holds in memory before it exits.
    await stopGroup(child, { signal: 'SIGINT' });
  });
  return child;
}

function checkBinary(binary) {
  if (existsSync(binary)) return true;
  warn(`IGGY_SERVER_BIN=${binary} does not exist.`);
  return false;
}

/**
 * The binary's version from `iggy-server --version` (undefined if it does not say): a pre-release build reads a
 * setting under an older name than the released 0.9.0 (scripts/lib/server-env.mjs).
 */
function binaryVersion(binary) {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const version = parseServerVersion(`${result.stdout ?? ''} ${result.stderr ?? ''}`);
  if (version) say(`${binary} is version ${version}.`);
  else warn(`${binary} --version did not name a version; using the released 0.9.0's setting names.`);
  return version;
}

async function startServerBinary(target, binary) {
  if (!checkBinary(binary)) return false;
  const version = binaryVersion(binary);
  const [node] = target.nodes;
  say(`Starting ${binary} in .data/iggy (data in .data/iggy/local_data)…`);
  const child = startServerProcess(binary, [], {
    dataDir: path.join(repoRoot, '.data', 'iggy'),
    // Only what the server needs: not the app's own IGGY_* settings, which it would read as its configuration.
    env: serverEnvironment(
      process.env,
      launcherServerSettings({ ...node, username: target.username, password: target.password }, version),
    ),
    label: 'iggy-server',
  });
  return waitForAll([node], 60_000, () => isRunning(child));
}

/** The cluster's processes from IGGY_SERVER_BIN, by node index; replaced when a node is restarted. */
const clusterProcesses = [];

function startClusterNode(target, binary, index, version) {
  const dataDir = path.join(repoRoot, '.data', 'cluster', `node-${index}`);
  clusterProcesses[index] = startServerProcess(binary, ['--replica-id', String(index)], {
    dataDir,
    env: serverEnvironment(process.env, clusterNodeSettings(target.nodes, index, target, version)),
    label: `node-${index}`,
  });
  return clusterProcesses[index];
}

async function startClusterBinary(target, binary) {
  if (!checkBinary(binary)) return false;
  const version = binaryVersion(binary);
  say(`Starting three ${binary} processes on loopback (data in .data/cluster/node-0 … node-2)…`);
  for (let i = 0; i < target.nodes.length; i += 1) startClusterNode(target, binary, i, version);
  // SIGUSR2 brings back the nodes that are down, with their data: the other half of the failover drill.
  process.on('SIGUSR2', () => {
    clusterProcesses.forEach((child, i) => {
      if (isRunning(child)) return;
      const restarted = startClusterNode(target, binary, i, version);
      say(`Restarted node-${i} (pid ${restarted.pid}).`);
    });
  });
  return waitForAll(target.nodes, 90_000, () => clusterProcesses.some(isRunning));
}

/** The in-memory stand-in from test/support, one node or a cluster; its lines are marked [stand-in]. */
async function startStandIn(target, { cluster }) {
  const [first] = target.nodes;
  // node itself runs the stand-in (tsx only as a loader): its pid is the server's, so signals reach it.
  const child = spawnGroup(
    process.execPath,
    ['--import', 'tsx', 'test/support/cli.ts', ...(cluster ? ['--cluster', '3'] : [])],
    {
      prefix: '[stand-in]',
      env: {
        ...process.env,
        IGGY_TEST_SERVER_HOST: first.host === 'localhost' ? '127.0.0.1' : first.host,
        IGGY_TEST_SERVER_PORT: String(first.port),
        IGGY_TEST_SERVER_USERNAME: target.username,
        IGGY_TEST_SERVER_PASSWORD: target.password,
      },
    },
  );
  started.push(async () => {
    if (!isRunning(child)) return;
    say('Stopping the stand-in…');
    await stopGroup(child);
  });
  const ready = await waitForAll(target.nodes, 60_000, () => isRunning(child));
  return ready ? child : null;
}

// ---- what the terminal says -----------------------------------------------------------------------------------

function explainStandIn(target, { cluster }) {
  const where = target.nodes.map(formatAddress).join(', ');
  shout('────────────────────────────────────────────────────────────────────────────────────────');
  shout(`No Iggy server answers at ${where}, Docker is not available and IGGY_SERVER_BIN is not set.`);
  shout(
    `Starting the in-memory STAND-IN${cluster ? ' cluster' : ''} on ${where}: a test server from this repository, ` +
      'NOT Iggy.',
  );
  shout('It speaks Iggy’s protocol so every button works, but keeps everything in memory and does not');
  shout('behave like Iggy under a crash, load or in a cluster. Every page of the app says so while it runs.');
  say('For the real Iggy 0.9.0:');
  say(
    `  • with Docker:      install Docker (with Compose v2), then npm run demo${cluster ? ' -- --cluster' : ''}`,
  );
  say(
    `  • with a binary:    IGGY_SERVER_BIN=/path/to/iggy-server npm run demo${cluster ? ' -- --cluster' : ''}`,
  );
  say('Never start the stand-in: npm run demo -- --no-stand-in   (or IGGY_STAND_IN=0 npm run demo)');
  shout('────────────────────────────────────────────────────────────────────────────────────────');
}

function explainNoServer(target, { cluster, standIn, local }) {
  const where = target.nodes.map(formatAddress).join(', ');
  const flag = cluster ? ' -- --cluster' : '';
  warn(`No Iggy server answers at ${where}. The app will start anyway and show how to start one:`);
  if (!local) {
    warn(`  • ${where} is not on this machine: start that server, or point IGGY_URL at another one.`);
  }
  warn(
    cluster
      ? `  • with Docker:        docker compose -f ${CLUSTER_COMPOSE_FILE} up -d --wait   (then reload the page)`
      : `  • with Docker:        docker compose -f ${COMPOSE_FILE} up -d   (then reload the page)`,
  );
  warn(`  • with a binary:      IGGY_SERVER_BIN=/path/to/iggy-server npm run demo${flag}`);
  if (local && !standIn) {
    warn(
      `  • no Docker at all:   npm run demo${flag}   (without --no-stand-in / IGGY_STAND_IN=0: starts the`,
    );
    warn('                        in-memory stand-in, a test server for trying the UI; not the real Iggy)');
  } else if (local) {
    warn(
      '  • no Docker at all:   npm run test-server   (an in-memory stand-in for trying the UI; not the real Iggy)',
    );
  }
  warn('  • another server:     IGGY_URL=iggy://USER:PASSWORD@HOST:8090 npm run demo');
}

/** How to kill the primary and bring it back, for the way the cluster runs. */
function explainFailoverDrill(mode, standIn) {
  say('Failover drill (the first primary is node-0; after a failover the dashboard names the new one):');
  if (mode === 'docker') {
    say('  kill a node:     docker kill iggy-demo-node-0        (node-1 / node-2 likewise)');
    say('  bring it back:   docker start iggy-demo-node-0');
    say(`  see the cluster: docker compose -f ${CLUSTER_COMPOSE_FILE} ps`);
  } else if (mode === 'binary') {
    clusterProcesses.forEach((child, i) => say(`  kill node-${i}:     kill -KILL ${child.pid}`));
    say(
      `  bring back every node that is down: kill -USR2 ${process.pid}   (this launcher restarts it, data kept)`,
    );
  } else if (mode === 'stand-in' && standIn) {
    say(`  kill the current primary:   kill -USR1 ${standIn.pid}`);
    say(`  restart the dead nodes:     kill -USR2 ${standIn.pid}`);
  } else {
    say('  this launcher did not start the cluster: stop and start its nodes the way you started them.');
  }
}

// ---- the run ------------------------------------------------------------------------------------------------

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

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log('');
    await cleanup();
    process.exit(0);
  });
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** The nodes to use: IGGY_URL's list as given; with --cluster and one address, that port and the next two. */
function resolveTarget(raw, cluster) {
  const parsed = parseIggyUrl(raw);
  if (!cluster || parsed.nodes.length > 1) return parsed;
  const [{ host, port }] = parsed.nodes;
  if (port + CLUSTER_SIZE - 1 > 65535) throw new IggyUrlError(`--cluster needs ports ${port}..${port + 2}.`);
  return { ...parsed, nodes: Array.from({ length: CLUSTER_SIZE }, (_, i) => ({ host, port: port + i })) };
}

let options;
try {
  options = parseDemoOptions(process.argv.slice(2), process.env);
} catch (error) {
  if (error instanceof UsageError) fail(error.message);
  throw error;
}
process.env.NEXT_TELEMETRY_DISABLED = '1';
let target;
try {
  target = resolveTarget(process.env.IGGY_URL || DEFAULT_IGGY_URL, options.cluster);
} catch (error) {
  if (error instanceof IggyUrlError) fail(error.message);
  throw error;
}
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535)
  fail(`PORT must be a number 1..65535 (got ${process.env.PORT}).`);
if (options.cluster && target.nodes.length !== CLUSTER_SIZE)
  fail(`--cluster starts ${CLUSTER_SIZE} nodes; IGGY_URL lists ${target.nodes.length}.`);

if (!existsSync(path.join(repoRoot, 'node_modules', '.bin', 'next'))) {
  say('Installing dependencies (npm ci)…');
  if ((await run('npm', ['ci', '--no-audit', '--no-fund'])) !== 0)
    fail('npm ci failed; see the output above.');
}

const where = target.nodes.map(formatAddress).join(', ');
say(`Looking for ${options.cluster ? 'an Iggy cluster' : 'Iggy'} at ${where}…`);
const answering = await Promise.all(target.nodes.map((node) => pingIggy(node.host, node.port)));
const local = target.nodes.every((node) => isLocalHost(node.host));
const mode = chooseServer({
  answers: answering.some(Boolean),
  local,
  // The compose files publish fixed host ports; other ports need the binary or the stand-in.
  dockerWorks: () =>
    (options.cluster
      ? target.nodes.every((node, i) => node.port === CLUSTER_COMPOSE_PORTS[i])
      : target.nodes[0].port === DEFAULT_PORT) && dockerComposeWorks(),
  serverBin: process.env.IGGY_SERVER_BIN,
  standIn: options.standIn,
});

let serverReady = false;
let standInProcess = null;
if (mode === 'use-running') {
  const silent = target.nodes.filter((_, i) => !answering[i]).map(formatAddress);
  say(
    `A server answers at ${target.nodes
      .filter((_, i) => answering[i])
      .map(formatAddress)
      .join(', ')}: using it.`,
  );
  if (silent.length > 0) {
    warn(`No answer from ${silent.join(', ')}: the app uses what answers and shows which nodes are down.`);
    if (options.cluster && answering[0] && silent.length === CLUSTER_SIZE - 1)
      warn(
        `If that is a single-node server, stop it first to start a cluster: docker compose -f ${COMPOSE_FILE} stop`,
      );
  }
  serverReady = true;
} else if (mode === 'docker') {
  serverReady = options.cluster
    ? (await composeUp(CLUSTER_COMPOSE_FILE, target, 'a three-node Iggy 0.9.0 cluster')) &&
      (await waitForAll(target.nodes, 60_000))
    : (await composeUp(COMPOSE_FILE, target, 'Iggy 0.9.0')) && (await waitForAll(target.nodes, 60_000));
} else if (mode === 'binary') {
  serverReady = options.cluster
    ? await startClusterBinary(target, process.env.IGGY_SERVER_BIN)
    : await startServerBinary(target, process.env.IGGY_SERVER_BIN);
} else if (mode === 'stand-in') {
  explainStandIn(target, options);
  standInProcess = await startStandIn(target, options);
  serverReady = standInProcess !== null;
  if (!serverReady) warn('The stand-in did not come up; see its lines above ([stand-in]).');
}
if (!serverReady) explainNoServer(target, { ...options, local });
if (options.cluster && serverReady) explainFailoverDrill(mode, standInProcess);

if (!(await portIsFree(port))) {
  await cleanup();
  fail(`Port ${port} is in use. Stop whatever uses it, or run: PORT=3001 npm run demo`);
}

const iggyUrl = formatIggyUrl(target, target.nodes);
say('Building the app (next build)…');
// In a group of its own like the servers, so a SIGTERM to this launcher (not only a Ctrl-C, which the whole
// terminal group gets) stops the build too instead of leaving it running.
const build = spawnGroup('node_modules/.bin/next', ['build'], { env: { ...process.env, IGGY_URL: iggyUrl } });
const stopBuild = () => stopGroup(build, { graceMs: 5_000 });
started.push(stopBuild);
const built = await new Promise((resolve) => {
  build.once('error', () => resolve(false));
  build.once('exit', (code) => resolve(code === 0));
});
started.splice(started.indexOf(stopBuild), 1);
if (!built) {
  if (stopping) await new Promise(() => {}); // the signal handler is cleaning up and exits
  await cleanup();
  fail('next build failed; see the output above.');
}

// Its own process group: stopping it stops the next-server it runs as well (no orphan holding the port).
const app = spawnGroup('node_modules/.bin/next', ['start', '-p', String(port)], {
  env: { LOG_FORMAT: 'pretty', ...process.env, IGGY_URL: iggyUrl, PORT: String(port) },
});
started.push(async () => {
  await stopGroup(app, { graceMs: 5_000 });
});
app.on('exit', async (code) => {
  if (stopping) return;
  stopping = true;
  await cleanup();
  process.exit(code ?? 1);
});
say(`Open http://localhost:${port} — then click "Start producer". Press Ctrl-C to stop.`);
if (mode === 'stand-in')
  shout('Reminder: the server is the in-memory stand-in, not Iggy (see above for the real one).');
