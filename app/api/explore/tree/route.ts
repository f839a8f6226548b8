import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { parseQuery } from '@/lib/api/query';
import { z } from 'zod';
import { withExplorerErrors } from '@/lib/explorer/errors';
import { getExplorer } from '@/lib/explorer/runtime-singleton';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Streams and their topics, with counts, sizes, creation times and options. */
export const GET = apiHandler(async (request) => {
  parseQuery(request.url, z.object({}).strict());
  return json(await withExplorerErrors(() => getExplorer().tree()));
});

const notAllowed = methodNotAllowed(['GET']);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
