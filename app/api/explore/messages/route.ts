import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { parseQuery } from '@/lib/api/query';
import { messagesQuerySchema } from '@/lib/explorer/contract';
import { withExplorerErrors } from '@/lib/explorer/errors';
import { getExplorer } from '@/lib/explorer/runtime-singleton';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** One page of a partition's messages. A read: it never stores a consumer offset. */
export const GET = apiHandler(async (request) => {
  const query = parseQuery(request.url, messagesQuerySchema);
  return json(await withExplorerErrors(() => getExplorer().messages(query)));
});

const notAllowed = methodNotAllowed(['GET']);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
