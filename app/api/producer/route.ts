import { readJsonBody } from '@/lib/api/body';
import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { producerRequestSchema, type ProducerResponse } from '@/lib/api/contract';
import { getDemoRuntime } from '@/lib/demo/runtime-singleton';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiHandler(() => json<ProducerResponse>({ producer: getDemoRuntime().status().producer }));

export const POST = apiHandler(
  async (request) => {
    // Validate before touching the runtime: a bad request changes nothing.
    const body = await readJsonBody(request, producerRequestSchema);
    const demo = getDemoRuntime();
    switch (body.action) {
      case 'start':
        return json<ProducerResponse>({
          producer: await demo.startProducer(
            body.ratePerSec === undefined ? {} : { ratePerSec: body.ratePerSec },
          ),
        });
      case 'stop':
        return json<ProducerResponse>({ producer: await demo.stopProducer() });
      case 'rate':
        return json<ProducerResponse>({ producer: demo.setProducerRate(body.ratePerSec) });
    }
  },
  { sameOrigin: true },
);

const notAllowed = methodNotAllowed(['GET', 'POST']);
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
