export class UsageError extends Error {}
export const USAGE: string;
export interface DemoOptions {
  cluster: boolean;
  standIn: boolean;
}
export function parseDemoOptions(argv: string[], env: Record<string, string | undefined>): DemoOptions;
export function chooseServer(facts: {
  answers: boolean;
  local: boolean;
  dockerWorks: () => boolean;
  serverBin: string | undefined;
  standIn: boolean;
}): 'use-running' | 'docker' | 'binary' | 'stand-in' | 'none';
