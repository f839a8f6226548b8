export interface NodeAddress {
  host: string;
  port: number;
}

export interface IggyTarget {
  username: string;
  password: string;
  nodes: NodeAddress[];
}

export const DEFAULT_PORT: number;
export class IggyUrlError extends Error {}
export function parseIggyUrl(raw: string): IggyTarget;
export function formatAddress(node: NodeAddress): string;
export function formatIggyUrl(
  credentials: { username: string; password: string },
  nodes: NodeAddress[],
): string;
export function isLocalHost(host: string): boolean;
