import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { parseQuery } from '@/lib/api/query';
import { lagQuerySchema } from '@/lib/explorer/contract';
import { withExplorerErrors } from '@/lib/explorer/errors';
import { getExplorer } from '@/lib/explorer/runtime-singleton';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Lag history of one consumer or group; asking keeps it sampled (it stops a while after nobody asks). */
export const GET = apiHandler(async (request) => {
  const query = parseQuery(request.url, lagQuerySchema);
  return json(await withExplorerErrors(() => getExplorer().lagSeries(query)));
});

const notAllowed = methodNotAllowed(['GET']);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
