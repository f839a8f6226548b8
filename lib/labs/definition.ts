/**
 * The shape of a lab: what the index, the pages and the docs show (LabInfo, plain data the browser may
 * import) and what the one lab route needs to serve it (LabDefinition: its schemas and its factory).
 * Types and an identity helper only; see registry.ts for how a lab is added.
 */

import type { z } from 'zod';
import type { LabActionResult } from './contract';
import type { Lab, LabHost } from './runtime';

/** A lab as the /labs index, its page and the `::lab` directive show it. Plain data: no server code. */
export interface LabInfo<Name extends string = string> {
  name: Name;
  title: string;
  /** One line for the /labs index and under the lab's title. */
  summary: string;
  /** The docs section the lab belongs to (its directive sits at the end of that section). */
  docs: { slug: string; anchor: string; section: string };
  /** How often an open page re-reads the lab's state while no action runs, in ms. */
  refreshMs: number;
}

/** A lab object as the route serves it: a state read with the validated query, and one action at a time. */
export interface ServedLab<Action = unknown, Query = unknown> extends Lab {
  state(query: Query): Promise<unknown>;
  perform(action: Action): Promise<LabActionResult>;
}

/**
 * Everything the app knows about one lab, in one object (its folder's index.ts exports it): the info
 * above, the zod schemas the route validates an action body and a state query with before the lab is
 * touched, the factory that builds the lab around its host (once per process, on first use), and how
 * many Iggy connections it may hold.
 */
export interface LabDefinition<
  Name extends string = string,
  Action = unknown,
  Query = unknown,
> extends LabInfo<Name> {
  actionSchema: z.ZodType<Action>;
  stateQuerySchema: z.ZodType<Query>;
  create(host: LabHost): ServedLab<Action, Query>;
  /** Connections the lab may hold (the runtime's default, 6, when absent; capped at 16). */
  maxConnections?: number;
}

/** Identity, for inference: the schemas' types flow into `create`'s lab, so a mismatch fails type-checking. */
export function defineLab<Name extends string, Action, Query>(
  definition: LabDefinition<Name, Action, Query>,
): LabDefinition<Name, Action, Query> {
  return definition;
}
