/**
 * The handlers of the one lab route (app/api/labs/[lab]/route.ts), built from a set of lab definitions:
 * GET reads the lab's state, POST performs an action, every other method is a JSON 405, and a name
 * without a definition is a JSON 404. Bodies and queries are validated before the lab is touched, so
 * a bad request changes nothing; the shared handler funnel turns every error into the JSON envelope.
 */

import { readJsonBody } from '@/lib/api/body';
import { ApiError } from '@/lib/api/errors';
import { apiHandler, methodNotAllowed, type HandlerOptions } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { parseQuery } from '@/lib/api/query';
import type { LabDefinition } from './definition';
import { withLabErrors } from './http';
import { labFor } from './runtime-singleton';

/** What Next hands a handler of app/api/labs/[lab]. */
export interface LabRouteContext {
  params: Promise<{ lab: string }>;
}

export type LabRouteHandler = (request: Request, context: LabRouteContext) => Promise<Response>;

export interface LabRouteHandlers {
  GET: LabRouteHandler;
  POST: LabRouteHandler;
  PUT: LabRouteHandler;
  PATCH: LabRouteHandler;
  DELETE: LabRouteHandler;
}

const ALLOWED = ['GET', 'POST'];

export function labRouteHandlers(definitions: Readonly<Record<string, LabDefinition>>): LabRouteHandlers {
  const find = async (context: LabRouteContext): Promise<LabDefinition> => {
    const { lab } = await context.params;
    const definition = Object.hasOwn(definitions, lab) ? definitions[lab] : undefined;
    if (!definition)
      throw new ApiError(
        'NOT_FOUND',
        `No lab named ${JSON.stringify(lab.slice(0, 40))}; the labs are ${Object.keys(definitions).join(', ')}`,
      );
    return definition;
  };
  const route =
    (
      fn: (request: Request, definition: LabDefinition) => Promise<Response>,
      options?: HandlerOptions,
    ): LabRouteHandler =>
    (request, context) =>
      apiHandler(async (inner) => fn(inner, await find(context)), options)(request);

  const notAllowed = route((request) => methodNotAllowed(ALLOWED)(request));
  return {
    // Each read is also what keeps the lab's connections from idling out while its page is open.
    GET: route(async (request, definition) => {
      const query = parseQuery(request.url, definition.stateQuerySchema);
      return json(await withLabErrors(() => labFor(definition).state(query)));
    }),
    POST: route(
      async (request, definition) => {
        const action = await readJsonBody(request, definition.actionSchema);
        return json(await withLabErrors(() => labFor(definition).perform(action)));
      },
      { sameOrigin: true },
    ),
    PUT: notAllowed,
    PATCH: notAllowed,
    DELETE: notAllowed,
  };
}
