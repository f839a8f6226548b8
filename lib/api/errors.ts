import { isIggyError } from '@/lib/iggy';
import { DemoConfigError } from '@/lib/demo/config';
import { DemoError, isUnavailableError, redactCredentials, screamingSnake } from '@/lib/demo/errors';
import type { ApiErrorBody } from './contract';

/** Every error code the API answers with, and its HTTP status: the one place that mapping lives. */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  FORBIDDEN_ORIGIN: 403,
  NOT_FOUND: 404,
  TOPIC_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** The explorer's send bucket is empty, or its connection queue is full: try again shortly. */
  RATE_LIMITED: 429,
  INTERNAL: 500,
  CONFIG_INVALID: 500,
  IGGY_ERROR: 502,
  /** Iggy refused the topic option `durability` (status 4041): a server answer, like IGGY_ERROR. */
  DURABILITY_UNSUPPORTED: 502,
  IGGY_UNAVAILABLE: 503,
} as const;

export type ApiErrorCode = keyof typeof ERROR_STATUS;

/** An error meant for the client: its code picks the status, its message is safe to show. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_STATUS[code];
  }
}

export interface MappedError {
  status: number;
  body: ApiErrorBody;
  /** True for failures worth a server log line (our bugs, not the caller's bad input). */
  unexpected: boolean;
}

/**
 * Anything thrown inside a handler → status + `{ error: { code, message } }`. Unknown errors get a
 * generic message: their text may hold internals, and stack traces never leave the server.
 */
export function mapError(error: unknown): MappedError {
  const make = (status: number, code: string, message: string, unexpected = false): MappedError => ({
    status,
    body: { error: { code, message: redactCredentials(message) } },
    unexpected,
  });
  if (error instanceof ApiError) return make(error.status, error.code, error.message);
  if (DemoConfigError.is(error)) return make(ERROR_STATUS.CONFIG_INVALID, error.code, error.message);
  if (DemoError.is(error)) {
    if (error.code === 'INVALID_RATE') return make(ERROR_STATUS.BAD_REQUEST, 'BAD_REQUEST', error.message);
    return make(ERROR_STATUS[error.code], error.code, error.message);
  }
  if (isIggyError(error)) {
    if (isUnavailableError(error))
      return make(ERROR_STATUS.IGGY_UNAVAILABLE, 'IGGY_UNAVAILABLE', `Iggy is unavailable: ${error.message}`);
    return make(
      ERROR_STATUS.IGGY_ERROR,
      'IGGY_ERROR',
      `Iggy refused the request (${screamingSnake(error.codeName)}): ${error.message}`,
    );
  }
  if (error instanceof RangeError) return make(ERROR_STATUS.BAD_REQUEST, 'BAD_REQUEST', error.message);
  return make(ERROR_STATUS.INTERNAL, 'INTERNAL', 'Internal server error', true);
}
