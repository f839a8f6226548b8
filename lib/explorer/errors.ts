/**
 * The explorer's own refusals. Branded with a registered symbol like the labs' errors: the explorer
 * runtime lives on globalThis and may come from another route bundle's copy of this module, where
 * `instanceof` would fail.
 */
import { ApiError } from '@/lib/api/errors';
import { DemoError } from '@/lib/demo/errors';

const BRAND: unique symbol = Symbol.for('iggy-demo.ExplorerError');

export type ExplorerErrorCode =
  'BAD_REQUEST' | 'NOT_FOUND' | 'TOPIC_NOT_FOUND' | 'PAYLOAD_TOO_LARGE' | 'RATE_LIMITED' | 'IGGY_UNAVAILABLE';

export class ExplorerError extends Error {
  readonly [BRAND] = true;

  static is(error: unknown): error is ExplorerError {
    return typeof error === 'object' && error !== null && (error as { [BRAND]?: unknown })[BRAND] === true;
  }

  constructor(
    readonly code: ExplorerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExplorerError';
  }
}

/** Explorer errors → the API's own error types, in the route's bundle, so the handler funnel maps them. */
export async function withExplorerErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (ExplorerError.is(error)) {
      if (error.code === 'IGGY_UNAVAILABLE') throw new DemoError('IGGY_UNAVAILABLE', error.message);
      throw new ApiError(error.code, error.message);
    }
    throw error;
  }
}
