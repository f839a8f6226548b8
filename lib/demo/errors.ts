import { IggyErrorCode, isIggyError } from '@/lib/iggy';
import type { ErrorInfo } from './types';

// The runtime is created by the instrumentation hook's bundle and used from route handler bundles, each with its
// own copy of this module: `instanceof` fails across copies, a registered symbol does not.
const DEMO_ERROR_BRAND: unique symbol = Symbol.for('iggy-demo.DemoError');

/** A failure the demo itself names (as opposed to one from the Iggy client). */
export class DemoError extends Error {
  readonly [DEMO_ERROR_BRAND] = true;

  /** `instanceof` that also recognises instances from another copy of this module. */
  static is(error: unknown): error is DemoError {
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as { [DEMO_ERROR_BRAND]?: unknown })[DEMO_ERROR_BRAND] === true
    );
  }

  constructor(
    readonly code: 'TOPIC_NOT_FOUND' | 'IGGY_UNAVAILABLE' | 'INVALID_RATE' | 'DURABILITY_UNSUPPORTED',
    message: string,
  ) {
    super(message);
    this.name = 'DemoError';
  }
}

/** Credentials can only leak through a URL with userinfo; scrub any that slipped into a message. */
export function redactCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1***@');
}

/** 'StreamIdNotFound' → 'STREAM_ID_NOT_FOUND'. */
export function screamingSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/** The `{ code, message, at }` shape every state object carries, from whatever was thrown. */
export function toErrorInfo(error: unknown, nowMs: number = Date.now()): ErrorInfo {
  const at = new Date(nowMs).toISOString();
  if (isIggyError(error)) {
    return { code: screamingSnake(error.codeName), message: redactCredentials(error.message), at };
  }
  if (DemoError.is(error)) return { code: error.code, message: redactCredentials(error.message), at };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: redactCredentials(message), at };
}

/** The codes by which Iggy says "this stream / topic / partition does not exist". */
const MISSING_TOPIC_CODES: readonly number[] = [
  IggyErrorCode.ResourceNotFound,
  IggyErrorCode.StreamIdNotFound,
  IggyErrorCode.StreamNameNotFound,
  IggyErrorCode.TopicIdNotFound,
  IggyErrorCode.TopicNameNotFound,
  IggyErrorCode.PartitionNotFound,
];

/** Iggy answered "this stream / topic / partition does not exist": the consumer should wait, not alarm. */
export function isMissingTopicError(error: unknown): boolean {
  return isIggyError(error) && error.kind === 'server' && MISSING_TOPIC_CODES.includes(error.code);
}

/** The server cannot be reached right now (as opposed to refusing a request). */
export function isUnavailableError(error: unknown): boolean {
  return isIggyError(error) && ['connect', 'disconnected', 'timeout', 'closed'].includes(error.kind);
}
