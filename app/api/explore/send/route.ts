import { readJsonBody } from '@/lib/api/body';
import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { sendBodySchema } from '@/lib/explorer/contract';
import { withExplorerErrors } from '@/lib/explorer/errors';
import { getExplorer } from '@/lib/explorer/runtime-singleton';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Sends one message; validated in full before Iggy is asked, so a refusal sends nothing. */
export const POST = apiHandler(
  async (request) => {
    const body = await readJsonBody(request, sendBodySchema);
    return json(await withExplorerErrors(() => getExplorer().send(body)));
  },
  { sameOrigin: true },
);

const notAllowed = methodNotAllowed(['POST']);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
