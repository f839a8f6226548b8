import { createDemoLogger } from '@/lib/demo/logger';
import { loadLabsConfig } from './config';
import type { LabDefinition, ServedLab } from './definition';
import { LabsRuntime } from './runtime';

declare global {
  // On globalThis for the same reason as the demo runtime: dev reloads and separate route bundles
  // must share one set of lab connections instead of each opening their own.
  var __iggyLabsRuntime: LabsRuntime | undefined;
  var __iggyLabsShutdownHooked: boolean | undefined;
}

/** The process-wide labs runtime, created on the first lab request (not at boot: most visits never open a lab). */
export function getLabsRuntime(): LabsRuntime {
  if (!globalThis.__iggyLabsRuntime || globalThis.__iggyLabsRuntime.closed) {
    const config = loadLabsConfig(process.env);
    const logger = createDemoLogger({ name: 'iggy-demo-labs' });
    logger.info({ address: config.address, stream: config.streamName }, 'starting the labs runtime');
    globalThis.__iggyLabsRuntime = new LabsRuntime(config, { logger });
  }
  return globalThis.__iggyLabsRuntime;
}

/** The lab `definition` describes, built around its host on first use; every later call touches it (idle timer). */
export function labFor<Action, Query>(
  definition: LabDefinition<string, Action, Query>,
): ServedLab<Action, Query> {
  return getLabsRuntime().lab(definition.name, (host) => definition.create(host), {
    maxConnections: definition.maxConnections,
  });
}

export async function closeLabsRuntime(): Promise<void> {
  const runtime = globalThis.__iggyLabsRuntime;
  globalThis.__iggyLabsRuntime = undefined;
  await runtime?.close();
}

/**
 * On SIGINT/SIGTERM, start closing the lab connections (logout, socket close) alongside Next's own
 * shutdown, which exits the process. Skipped when NEXT_MANUAL_SIG_HANDLE hands signals to the app.
 */
export function closeLabsRuntimeOnShutdown(): void {
  if (globalThis.__iggyLabsShutdownHooked || process.env.NEXT_MANUAL_SIG_HANDLE) return;
  globalThis.__iggyLabsShutdownHooked = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void closeLabsRuntime().catch(() => undefined));
  }
}
