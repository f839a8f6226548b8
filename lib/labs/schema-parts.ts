/**
 * Zod pieces more than one lab's contract uses, so the same field is checked, and refused in the same
 * words, on every lab route. Server-side only: the pages import their contracts' types, never these.
 */

import { z } from 'zod';

/** An integer from `min` to `max`; each refusal names the field and the bound it broke. */
export const wholeNumber = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(min, `${what} must be at least ${min}`)
    .max(max, `${what} must be at most ${max}`);

/** true: one SendMessages carrying all of them; false (default): one send per message. */
export const oneBatchSchema = z.boolean({ error: 'oneBatch must be true or false' }).optional();

/** The state query of a lab whose state read takes no parameters: any parameter is refused. */
export const noStateQuerySchema = z.object({}).strict();
