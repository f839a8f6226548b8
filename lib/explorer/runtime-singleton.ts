import { loadDemoConfig } from '@/lib/demo/config';
import { Explorer } from './explorer';

declare global {
  // On globalThis like the labs runtime: dev reloads and separate route bundles share one explorer
  // (one set of connections, one send bucket, one lag history) instead of each building their own.
  var __iggyExplorer: Explorer | undefined;
}

/** The process-wide explorer, built on the first /api/explore request. */
export function getExplorer(): Explorer {
  if (!globalThis.__iggyExplorer || globalThis.__iggyExplorer.closed) {
    const config = loadDemoConfig(process.env);
    globalThis.__iggyExplorer = new Explorer({
      host: config.iggy.host,
      port: config.iggy.port,
      username: config.iggy.username,
      password: config.iggy.password,
      address: config.address,
      knownConsumers: [config.consumerName],
    });
  }
  return globalThis.__iggyExplorer;
}

export async function closeExplorer(): Promise<void> {
  const explorer = globalThis.__iggyExplorer;
  globalThis.__iggyExplorer = undefined;
  await explorer?.close();
}
