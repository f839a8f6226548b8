import { ApiError } from '@/lib/api/errors';
import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { SEQ_PATTERN, eventsQuerySchema } from '@/lib/api/contract';
import { parseQuery } from '@/lib/api/query';
import { createEventStream } from '@/lib/api/sse';
import { getDemoRuntime } from '@/lib/demo/runtime-singleton';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiHandler((request) => {
  const query = parseQuery(request.url, eventsQuerySchema);
  // A reconnecting EventSource repeats its original URL (so ?run still names the run of the cursor) but also
  // sends the id of the last event it saw, a seq newer than the URL's ?after: resume from that one.
  let after = query.after;
  const lastEventId = request.headers.get('last-event-id');
  if (lastEventId !== null && lastEventId !== '') {
    if (!SEQ_PATTERN.test(lastEventId))
      throw new ApiError('BAD_REQUEST', 'Last-Event-ID must be a message seq');
    after = Number(lastEventId);
  }
  const stream = createEventStream(getDemoRuntime(), {
    signal: request.signal,
    ...(after === undefined ? {} : { after }),
    ...(query.run === undefined ? {} : { run: query.run }),
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      // Stops proxies such as nginx from buffering the stream.
      'x-accel-buffering': 'no',
    },
  });
});

const notAllowed = methodNotAllowed(['GET']);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
