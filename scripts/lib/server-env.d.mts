export interface ServerTarget {
  host: string;
  port: number;
  username: string;
  password: string;
}

export function launcherServerSettings(target: ServerTarget): Record<string, string>;

export function serverEnvironment(
  parentEnv: Record<string, string | undefined>,
  settings: Record<string, string>,
): Record<string, string>;
