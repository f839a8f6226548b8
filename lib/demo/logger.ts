import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export interface DemoLoggerOptions {
  name?: string;
  /** Human-readable lines (development) or one JSON object per line (production, log shippers). */
  pretty?: boolean;
  level?: string;
}

/**
 * Pretty output is written synchronously on the main thread (no transport worker), which keeps it
 * working inside Next's server bundle and in short-lived CLI processes alike.
 */
export function createDemoLogger(options: DemoLoggerOptions = {}): Logger {
  const envLevel = process.env.LOG_LEVEL?.trim().toLowerCase();
  const level = options.level ?? (envLevel && LEVELS.has(envLevel) ? envLevel : 'info');
  // LOG_FORMAT=pretty|json overrides the default (pretty in development, JSON in production); `npm run demo`
  // serves a production build to a person at a terminal, so it asks for pretty lines.
  const format = process.env.LOG_FORMAT?.trim().toLowerCase();
  const usePretty =
    options.pretty ??
    (format === 'pretty' ? true : format === 'json' ? false : process.env.NODE_ENV !== 'production');
  const base = { level, name: options.name ?? 'iggy-demo', base: undefined };
  if (!usePretty) return pino(base);
  return pino(
    base,
    pretty({
      colorize: process.stdout.isTTY === true,
      sync: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
    }),
  );
}

/** For tests and benchmarks: a logger that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
