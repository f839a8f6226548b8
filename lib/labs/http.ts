import { ApiError } from '@/lib/api/errors';
import { DemoError } from '@/lib/demo/errors';
import { LabError } from './errors';

/**
 * Lab errors → the API's own error types, in the route's bundle, so the handler funnel maps them
 * (LabError is branded: the runtime that threw it may come from another bundle).
 */
export async function withLabErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (LabError.is(error)) {
      if (error.code === 'IGGY_UNAVAILABLE') throw new DemoError('IGGY_UNAVAILABLE', error.message);
      throw new ApiError(error.code, error.message);
    }
    throw error;
  }
}
