import { isUnavailableError, toErrorInfo } from './errors';
import type { Logger } from './logger';

/** How often a loop that keeps failing says so again at the default log level. */
export const OUTAGE_REMINDER_MS = 60_000;

export interface OutageLogOptions {
  logger: Logger;
  /** Who is retrying, at the start of each line: `producer`, `consumer`. */
  name: string;
  now?: () => number;
  reminderMs?: number;
}

/**
 * What a retrying loop prints while its requests keep failing (usually: Iggy is not there). A loop retries every
 * few seconds for as long as the outage lasts, and a warning per retry buries everything else in the terminal
 * (and in a log shipper). So: one warning when the failures start, a reminder at most once per `reminderMs`,
 * and one line when a request succeeds again, saying how long it took. Each retry is still logged at debug
 * level (`LOG_LEVEL=debug`).
 */
export class OutageLog {
  readonly #logger: Logger;
  readonly #name: string;
  readonly #now: () => number;
  readonly #reminderMs: number;
  #startedAtMs: number | undefined;
  #lastSaidAtMs = 0;
  #failures = 0;
  #unreachable = false;
  /** The kinds of failure said so far in this outage: a new kind is worth a line at once. */
  readonly #kindsSaid = new Set<string>();

  constructor(options: OutageLogOptions) {
    this.#logger = options.logger;
    this.#name = options.name;
    this.#now = options.now ?? Date.now;
    this.#reminderMs = options.reminderMs ?? OUTAGE_REMINDER_MS;
  }

  /** True between the first failure and the next success. */
  get failing(): boolean {
    return this.#startedAtMs !== undefined;
  }

  /** A request failed and the loop retries after `retryInMs`. */
  failed(error: unknown, retryInMs: number): void {
    const now = this.#now();
    const info = toErrorInfo(error, now);
    const reason = `${info.message} (${info.code})`;
    // Refused, reset and timed-out connections are one kind: an absent server produces all of them.
    const kind = isUnavailableError(error) ? 'unavailable' : info.code;
    this.#failures += 1;
    if (this.#startedAtMs === undefined) {
      this.#startedAtMs = now;
      this.#lastSaidAtMs = now;
      this.#unreachable = kind === 'unavailable';
      this.#kindsSaid.add(kind);
      this.#logger.warn(
        `${this.#name}: ${this.#unreachable ? 'Iggy is unreachable: ' : ''}${reason}; retrying every few ` +
          `seconds, with a reminder each minute (LOG_LEVEL=debug shows every retry)`,
      );
      return;
    }
    if (!this.#kindsSaid.has(kind)) {
      this.#kindsSaid.add(kind);
      this.#lastSaidAtMs = now;
      this.#logger.warn(`${this.#name}: now ${reason}; retrying`);
      return;
    }
    if (now - this.#lastSaidAtMs >= this.#reminderMs) {
      this.#lastSaidAtMs = now;
      this.#logger.warn(
        `${this.#name}: still failing after ${formatDuration(now - this.#startedAtMs)} ` +
          `(${this.#failures} attempts): ${reason}; retrying`,
      );
      return;
    }
    this.#logger.debug(`${this.#name}: ${reason}; retrying in ${retryInMs} ms`);
  }

  /** A request succeeded: ends the outage, if there was one, with a line saying how long it lasted. */
  recovered(): void {
    if (this.#startedAtMs === undefined) return;
    const lasted = formatDuration(this.#now() - this.#startedAtMs);
    this.#logger.info(
      this.#unreachable
        ? `${this.#name}: Iggy is back after ${lasted} away; carrying on`
        : `${this.#name}: working again after ${lasted} of failures; carrying on`,
    );
    this.#startedAtMs = undefined;
    this.#failures = 0;
    this.#kindsSaid.clear();
  }
}

/** 4 s, 1 min 5 s, 2 h 3 min: the precision a person reading a terminal wants. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}
