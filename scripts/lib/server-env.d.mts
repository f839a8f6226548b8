export interface ServerTarget {
  host: string;
  port: number;
  username: string;
  password: string;
}

export function launcherServerSettings(target: ServerTarget, version?: string): Record<string, string>;
export function parseServerVersion(output: string | undefined | null): string | undefined;
export function usesPreReleaseNames(version: string | undefined): boolean;
export function cpuAllocationName(version: string | undefined): string;

export function serverEnvironment(
  parentEnv: Record<string, string | undefined>,
  settings: Record<string, string>,
): Record<string, string>;

export const CLUSTER_NAME: string;
export function replicaPort(clientPort: number): number;
export function clusterNodeSettings(
  nodes: { host: string; port: number }[],
  index: number,
  credentials: { username: string; password: string },
  version?: string,
): Record<string, string>;
