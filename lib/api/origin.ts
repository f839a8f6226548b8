import { ApiError } from './errors';

/**
 * A page on another site must not drive the producer: when a browser sends Origin, its host must
 * be the host the request was addressed to. Requests without Origin (curl, same-origin GETs from
 * older browsers, server-side callers) are allowed.
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get('origin');
  if (origin === null) return;
  // Host only, not X-Forwarded-Host: a header a caller can set freely proves nothing about origin.
  const host = request.headers.get('host') || safeHost(request.url);
  let originHost: string | undefined;
  try {
    // "null" (sandboxed frames, file://) and garbage fail to parse and are refused.
    originHost = new URL(origin).host;
  } catch {
    originHost = undefined;
  }
  if (!originHost || !host || originHost.toLowerCase() !== host.toLowerCase()) {
    throw new ApiError('FORBIDDEN_ORIGIN', 'Requests from another origin are not allowed');
  }
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
