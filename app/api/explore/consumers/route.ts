import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { parseQuery } from '@/lib/api/query';
import { consumersQuerySchema } from '@/lib/explorer/contract';
import { withExplorerErrors } from '@/lib/explorer/errors';
import { getExplorer } from '@/lib/explorer/runtime-singleton';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** A topic's consumer groups and known consumers, with stored offsets and lag per partition. */
export const GET = apiHandler(async (request) => {
  const query = parseQuery(request.url, consumersQuerySchema);
  return json(
    await withExplorerErrors(() => getExplorer().consumers(query.stream, query.topic, query.consumer)),
  );
});

const notAllowed = methodNotAllowed(['GET']);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
