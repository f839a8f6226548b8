import { readJsonBody } from '@/lib/api/body';
import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { parseQuery } from '@/lib/api/query';
import { durabilityActionSchema, durabilityStateQuerySchema } from '@/lib/labs/durability-lab-contract';
import { withLabErrors } from '@/lib/labs/http';
import { durabilityLab } from '@/lib/labs/runtime-singleton';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The lab's state for the page to poll; each poll is also how the lab notices a restart. */
export const GET = apiHandler(async (request) => {
  parseQuery(request.url, durabilityStateQuerySchema);
  return json(await withLabErrors(() => durabilityLab().state()));
});

export const POST = apiHandler(
  async (request) => {
    // Validated before the lab is touched: a bad request changes nothing.
    const body = await readJsonBody(request, durabilityActionSchema);
    return json(await withLabErrors(() => durabilityLab().perform(body)));
  },
  { sameOrigin: true },
);

const notAllowed = methodNotAllowed(['GET', 'POST']);
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
