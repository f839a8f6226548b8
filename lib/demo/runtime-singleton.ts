import { loadDemoConfig } from './config';
import { createDemoLogger } from './logger';
import { DemoRuntime } from './runtime';
import type { DemoRuntimeApi } from './types';

declare global {
  // Kept on globalThis so that Next's dev hot reload, which re-evaluates modules, reuses the one
  // runtime (and its two sockets) instead of leaking a new pair per edit.
  var __iggyDemoRuntime: DemoRuntimeApi | undefined;
}

/**
 * The process-wide runtime, created and started on first use. Throws DemoConfigError (never
 * mentioning the password) when the environment is invalid; the API turns that into a 500.
 */
export function getDemoRuntime(): DemoRuntimeApi {
  if (!globalThis.__iggyDemoRuntime) {
    const config = loadDemoConfig(process.env);
    const logger = createDemoLogger({ name: 'iggy-demo' });
    logger.info(
      { address: config.address, stream: config.streamName, topic: config.topicName },
      'starting the demo runtime',
    );
    globalThis.__iggyDemoRuntime = new DemoRuntime(config, { logger }).start();
  }
  return globalThis.__iggyDemoRuntime;
}
