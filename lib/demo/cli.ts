import { IggyClient } from '@/lib/iggy';
import { DemoConfigError, loadDemoConfig, type DemoConfig } from './config';
import { ConnectionMonitor } from './connection-monitor';
import { isStandInVersion } from './stand-in';
import { isDurabilityUnsupported } from './topic-setup';
import { createDemoLogger, type Logger } from './logger';

export interface CliContext {
  config: DemoConfig;
  logger: Logger;
  client: IggyClient;
  connection: ConnectionMonitor;
  /** Report an error retrying cannot fix (wrong password, wrong server version, durability refused) and exit 1. */
  failIfTerminal(error: unknown): void;
}

export interface CliProgram {
  /** Stops the loop; resolves when its last request has settled. */
  stop(): Promise<void>;
}

/**
 * The shared frame of the headless producer and consumer: read the config (exit 2 with a clear
 * line when it is wrong), connect one client, run the program, and on Ctrl-C / SIGTERM stop the
 * loop, close the connection and exit 0. A second Ctrl-C exits at once.
 */
export async function runCli(name: string, start: (context: CliContext) => CliProgram): Promise<void> {
  let config: DemoConfig;
  try {
    config = loadDemoConfig(process.env);
  } catch (error) {
    process.stderr.write(`${name}: ${DemoConfigError.is(error) ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const logger = createDemoLogger({ name });
  const client = new IggyClient({
    host: config.iggy.host,
    port: config.iggy.port,
    username: config.iggy.username,
    password: config.iggy.password,
    seeds: config.iggy.seeds.map(({ host, port }) => ({ host, port })),
    cluster: true,
    sdkName: `iggy-demo-${name}`,
  });
  // One line the first time the connection comes up, naming a stand-in as such; after an outage the loop's
  // own line says it is back (OutageLog).
  let saidConnected = false;
  const connection = new ConnectionMonitor(client, () => {
    if (saidConnected || client.state !== 'connected') return;
    saidConnected = true;
    const version = client.serverVersion ?? 'unknown version';
    logger.info(
      isStandInVersion(client.serverVersion)
        ? `connected to the in-memory stand-in (${version}) at ${config.address}: not Iggy`
        : `connected to Iggy ${version} at ${config.address}`,
    );
  });
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) {
      process.exit(code === 0 ? 130 : code);
    }
    stopping = true;
    logger.info('stopping');
    const timeout = setTimeout(() => process.exit(code), 5000);
    timeout.unref();
    try {
      await program.stop();
      await connection.close();
    } finally {
      process.exit(code);
    }
  };
  const context: CliContext = {
    config,
    logger,
    client,
    connection,
    failIfTerminal(error) {
      if (!ConnectionMonitor.isTerminal(error) && !isDurabilityUnsupported(error)) return;
      logger.error(`${error instanceof Error ? error.message : String(error)}; giving up`);
      void shutdown(1);
    },
  };
  logger.info(
    `connecting to Iggy at ${config.address} (stream ${config.streamName}, topic ${config.topicName}); Ctrl-C to stop`,
  );
  const program = start(context);
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
}
