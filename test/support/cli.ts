import { startTestServer } from './server/test-server';
import { type TestCluster, startTestCluster } from './server/test-cluster';
import { parseClusterFlag } from './cli-args';

/** `npm run test-server`: the in-memory Iggy server for e2e tests and for developers without Docker. */
async function main(): Promise<void> {
  const portText = process.env.IGGY_TEST_SERVER_PORT ?? '8090';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`IGGY_TEST_SERVER_PORT must be a port number (0..65535), got "${portText}"`);
    process.exit(2);
  }
  const verbose = process.env.IGGY_TEST_SERVER_VERBOSE === '1';
  // Lets conformance runs simulate a server of another protocol version (e.g. 0.12.5 → eviction 14).
  const versionText = process.env.IGGY_TEST_SERVER_PROTOCOL_VERSION;
  const versionMatch = versionText ? /^(\d+)\.(\d+)\.(\d+)$/.exec(versionText) : null;
  if (versionText && !versionMatch) {
    console.error(`IGGY_TEST_SERVER_PROTOCOL_VERSION must look like 0.11.0, got "${versionText}"`);
    process.exit(2);
  }
  const protocolVersion = versionMatch
    ? (Number(versionMatch[1]) << 20) | (Number(versionMatch[2]) << 10) | Number(versionMatch[3])
    : undefined;
  const flavorText = process.env.IGGY_TEST_SERVER_TOPIC_OPTIONS ?? 'release';
  if (flavorText !== 'release' && flavorText !== 'edge') {
    console.error(`IGGY_TEST_SERVER_TOPIC_OPTIONS must be release or edge, got "${flavorText}"`);
    process.exit(2);
  }
  const cluster = parseClusterFlag(process.argv.slice(2));
  if (cluster.error) {
    console.error(cluster.error);
    process.exit(2);
  }
  const common = {
    host: process.env.IGGY_TEST_SERVER_HOST || '127.0.0.1',
    rootUsername: process.env.IGGY_TEST_SERVER_USERNAME || 'iggy',
    rootPassword: process.env.IGGY_TEST_SERVER_PASSWORD || 'iggy',
    protocolVersion,
    topicOptionsFlavor: flavorText,
    log: verbose ? (line: string) => console.log(`[test-server] ${line}`) : undefined,
  } as const;
  if (cluster.nodes !== undefined) {
    if (port + cluster.nodes - 1 > 65_535) {
      console.error(`IGGY_TEST_SERVER_PORT ${port} cannot start ${cluster.nodes} consecutive ports`);
      process.exit(2);
    }
    // Port 0: every node on a free port (tests); otherwise consecutive ports from IGGY_TEST_SERVER_PORT.
    const ports = port === 0 ? {} : { basePort: port };
    return runCluster(await startTestCluster({ ...common, nodes: cluster.nodes, ...ports }));
  }
  const server = await startTestServer({ ...common, port });
  console.log(
    `Iggy test server listening on ${server.address} (pid ${process.pid}; kill -USR1 crashes it, losing unflushed messages; kill -USR2 restarts it gracefully)`,
  );
  // The crash drill without Docker: the same two restarts a real server shows, on this in-memory stand-in.
  const restart = (how: 'crash' | 'graceful') => {
    const run = how === 'crash' ? server.restartAfterCrash() : server.restartGracefully();
    void run.then(
      () => console.log(`Iggy test server restarted (${how === 'crash' ? 'after a crash' : 'gracefully'})`),
      (error: unknown) =>
        console.error(`restart failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  process.on('SIGUSR1', () => restart('crash'));
  process.on('SIGUSR2', () => restart('graceful'));
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Iggy test server stopping (${signal})`);
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** `--cluster N`: N nodes on consecutive ports, and signals to kill and restart them for failover drills. */
function runCluster(cluster: TestCluster): void {
  for (const node of cluster.nodes) {
    console.log(`Iggy test cluster node ${node.name} listening on ${node.address}`);
  }
  // Never print the password itself: name where it comes from.
  const user = process.env.IGGY_TEST_SERVER_USERNAME || 'iggy';
  const password = process.env.IGGY_TEST_SERVER_PASSWORD ? '$IGGY_TEST_SERVER_PASSWORD' : 'iggy';
  const seeds = cluster.nodes.map((n) => n.address).join(',');
  console.log(
    `Iggy test cluster "${cluster.clusterName}" listening, seed list iggy://${user}:${password}@${seeds} ` +
      `(pid ${process.pid}; node-${cluster.primaryIndex()} is the primary; kill -USR1 kills the current primary, kill -USR2 restarts every dead node)`,
  );
  process.on('SIGUSR1', () => {
    const primary = cluster.writablePrimary();
    if (primary === undefined) {
      console.log(`no primary to kill now (view ${cluster.view}: failover under way or no quorum)`);
      return;
    }
    void cluster.kill(primary).then(() => {
      console.log(`Iggy test cluster: node-${primary} (the primary) killed; waiting for a new primary`);
      cluster.waitForPrimary(600_000).then(
        (next) => console.log(`Iggy test cluster: node-${next} is the primary now (view ${cluster.view})`),
        () => console.log('Iggy test cluster: still no primary (restart dead nodes with kill -USR2)'),
      );
    });
  });
  process.on('SIGUSR2', () => {
    const dead = cluster.nodes.filter((n) => !n.alive);
    if (dead.length === 0) console.log('Iggy test cluster: every node is alive');
    for (const node of dead) {
      void cluster.restart(node.index).then(
        () => console.log(`Iggy test cluster: ${node.name} restarted as a follower on ${node.address}`),
        (error: unknown) =>
          console.error(
            `restart of ${node.name} failed: ${error instanceof Error ? error.message : String(error)}`,
          ),
      );
    }
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Iggy test cluster stopping (${signal})`);
    void cluster.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(
    `Iggy test server failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
