import { readJsonBody } from '@/lib/api/body';
import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { consumerRequestSchema, type ConsumerResponse } from '@/lib/api/contract';
import { getDemoRuntime } from '@/lib/demo/runtime-singleton';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiHandler(() => json<ConsumerResponse>({ consumer: getDemoRuntime().status().consumer }));

export const POST = apiHandler(
  async (request) => {
    const body = await readJsonBody(request, consumerRequestSchema);
    const demo = getDemoRuntime();
    return json<ConsumerResponse>({
      consumer: body.action === 'start' ? await demo.startConsumer() : await demo.stopConsumer(),
    });
  },
  { sameOrigin: true },
);

const notAllowed = methodNotAllowed(['GET', 'POST']);
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
