import { createDemoLogger, type Logger } from '@/lib/demo/logger';
import { ApiError, mapError } from './errors';
import { json } from './json';
import { assertSameOrigin } from './origin';

export type RouteHandler = (request: Request) => Promise<Response>;

let logger: Logger | undefined;
function apiLogger(): Logger {
  logger ??= createDemoLogger({ name: 'iggy-demo-api' });
  return logger;
}

export interface HandlerOptions {
  /** Refuse cross-origin callers (state-changing routes). */
  sameOrigin?: boolean;
}

/**
 * Wraps a route handler so that whatever it throws becomes `{ error: { code, message } }` with the
 * right status: never Next's HTML error page, never a stack trace.
 */
export function apiHandler(
  fn: (request: Request) => Promise<Response> | Response,
  options: HandlerOptions = {},
): RouteHandler {
  return async (request: Request) => {
    try {
      if (options.sameOrigin) assertSameOrigin(request);
      return await fn(request);
    } catch (error) {
      const mapped = mapError(error);
      if (mapped.unexpected) {
        apiLogger().error(
          {
            err:
              error instanceof Error
                ? { name: error.name, message: error.message, stack: error.stack }
                : String(error),
          },
          'API handler failed',
        );
      }
      return json(mapped.body, mapped.status);
    }
  };
}

/** The handler for every method a route does not support: a JSON 405 with an Allow header. */
export function methodNotAllowed(allowed: string[]): RouteHandler {
  const allow = allowed.join(', ');
  return async (request: Request) => {
    const error = new ApiError('METHOD_NOT_ALLOWED', `${request.method} is not allowed here; use ${allow}`);
    return json({ error: { code: error.code, message: error.message } }, error.status, { allow });
  };
}
