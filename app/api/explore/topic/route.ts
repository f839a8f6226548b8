import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { parseQuery } from '@/lib/api/query';
import { topicQuerySchema } from '@/lib/explorer/contract';
import { withExplorerErrors } from '@/lib/explorer/errors';
import { getExplorer } from '@/lib/explorer/runtime-singleton';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** One topic: its partitions and options, beside the server's option catalog. */
export const GET = apiHandler(async (request) => {
  const query = parseQuery(request.url, topicQuerySchema);
  return json(await withExplorerErrors(() => getExplorer().topic(query.stream, query.topic)));
});

const notAllowed = methodNotAllowed(['GET']);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
