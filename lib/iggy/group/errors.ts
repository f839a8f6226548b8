/** How the group consumer classifies and wraps failures. */

import { IggyError, IggyErrorCode, isIggyError, protocolError } from '../errors';

export function closedConsumer(): IggyError {
  return new IggyError({
    code: IggyErrorCode.Closed,
    kind: 'closed',
    message: 'the group consumer is closed',
  });
}

export function asIggyError(error: unknown): IggyError {
  if (isIggyError(error)) return error;
  const wrapped = protocolError(`unexpected failure in the group consumer: ${String(error)}`);
  return Object.assign(wrapped, { cause: error });
}

export function isServerCode(error: unknown, ...codes: number[]): boolean {
  return isIggyError(error) && error.kind === 'server' && codes.includes(error.code);
}

/** Errors a retry cannot fix: stop the consume loop and hand them to the caller. */
export function endsTheLoop(error: unknown): boolean {
  return (
    isIggyError(error) && (error.kind === 'closed' || error.kind === 'invalid-argument' || error.terminal)
  );
}
