import type { ApiErrorBody } from '@/lib/api/contract';

// Browser-side helpers for the demo API: every failure becomes an ApiRequestError with a readable message.

/** A call to the app's API that failed (the browser's view; the server throws lib/api's ApiError). */
export class ApiRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

const REQUEST_TIMEOUT_MS = 8_000;

async function readError(response: Response): Promise<ApiRequestError> {
  try {
    const body: unknown = await response.json();
    const error = (body as Partial<ApiErrorBody> | null)?.error as
      { code?: unknown; message?: unknown } | undefined;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      return new ApiRequestError(error.code, error.message, response.status);
    }
  } catch {
    // fall through: the body was not the JSON error shape
  }
  return new ApiRequestError(
    'HTTP_' + response.status,
    `The app answered ${response.status} ${response.statusText}`.trim(),
    response.status,
  );
}

async function request<T>(url: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (cause) {
    const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
    throw new ApiRequestError(
      timedOut ? 'TIMEOUT' : 'NETWORK',
      timedOut ? 'The app did not answer in time.' : 'Could not reach the app server. Is it still running?',
      0,
    );
  }
  if (!response.ok) throw await readError(response);
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiRequestError(
      'INVALID_RESPONSE',
      'The app answered with something that is not JSON.',
      response.status,
    );
  }
}

export function getJson<T>(url: string): Promise<T> {
  return request<T>(url, { headers: { accept: 'application/json' }, cache: 'no-store' });
}

export function postJson<T>(url: string, body: unknown): Promise<T> {
  return request<T>(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
}
