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
    // Validate before touching the runtime: a bad request changes nothing.
    const body = await readJsonBody(request, consumerRequestSchema);
    const demo = getDemoRuntime();
    switch (body.action) {
      case 'start':
        return json<ConsumerResponse>({ consumer: await demo.startConsumer() });
      case 'stop':
        return json<ConsumerResponse>({ consumer: await demo.stopConsumer() });
      case 'setPollInterval':
        return json<ConsumerResponse>({ consumer: demo.setConsumerPollInterval(body.pollIntervalMs) });
    }
  },
  { sameOrigin: true },
);

const notAllowed = methodNotAllowed(['GET', 'POST']);
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
