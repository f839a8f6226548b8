/**
 * A lab's own refusal ("partition 5 does not exist here", "the lab is busy"). Branded with a registered
 * symbol, not checked with `instanceof`: the labs runtime lives on globalThis and may have been built by
 * another route bundle's copy of this module.
 */
const LAB_ERROR_BRAND: unique symbol = Symbol.for('iggy-demo.LabError');

export type LabErrorCode = 'BAD_REQUEST' | 'IGGY_UNAVAILABLE';

export class LabError extends Error {
  readonly [LAB_ERROR_BRAND] = true;

  static is(error: unknown): error is LabError {
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as { [LAB_ERROR_BRAND]?: unknown })[LAB_ERROR_BRAND] === true
    );
  }

  constructor(
    readonly code: LabErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LabError';
  }
}
