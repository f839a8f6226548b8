import { z } from 'zod';
import { readJsonBody } from '@/lib/api/body';
import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { parseQuery } from '@/lib/api/query';
import { consumerGroupsActionSchema } from '@/lib/labs/consumer-groups-lab-contract';
import { withLabErrors } from '@/lib/labs/http';
import { consumerGroupsLab } from '@/lib/labs/runtime-singleton';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const noQuery = z.object({}).strict();

/** The lab's state for the page to poll; each poll also keeps the lab's members from idling out. */
export const GET = apiHandler(async (request) => {
  parseQuery(request.url, noQuery);
  return json(await withLabErrors(() => consumerGroupsLab().state()));
});

export const POST = apiHandler(
  async (request) => {
    // Validated before the lab is touched: a bad request changes nothing.
    const body = await readJsonBody(request, consumerGroupsActionSchema);
    return json(await withLabErrors(() => consumerGroupsLab().perform(body)));
  },
  { sameOrigin: true },
);

const notAllowed = methodNotAllowed(['GET', 'POST']);
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
