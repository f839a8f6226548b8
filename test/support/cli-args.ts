import { MAX_CLUSTER_NODES } from './server/test-cluster';

/** `--cluster N` / `--cluster=N`: undefined without the flag, an error text for a bad value. */
export function parseClusterFlag(argv: readonly string[]): { nodes?: number; error?: string } {
  const index = argv.findIndex((a) => a === '--cluster' || a.startsWith('--cluster='));
  if (index < 0) return {};
  const arg = argv[index]!;
  const text = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
  const nodes = text !== undefined && /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_CLUSTER_NODES) {
    return { error: `--cluster takes a node count from 1 to ${MAX_CLUSTER_NODES}, got "${text ?? ''}"` };
  }
  return { nodes };
}
