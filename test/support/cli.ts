import { startTestServer } from './server/test-server';

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
  const server = await startTestServer({
    host: process.env.IGGY_TEST_SERVER_HOST || '127.0.0.1',
    port,
    rootUsername: process.env.IGGY_TEST_SERVER_USERNAME || 'iggy',
    rootPassword: process.env.IGGY_TEST_SERVER_PASSWORD || 'iggy',
    protocolVersion,
    topicOptionsFlavor: flavorText,
    log: verbose ? (line) => console.log(`[test-server] ${line}`) : undefined,
  });
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

main().catch((error: unknown) => {
  console.error(
    `Iggy test server failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
