import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { DEFAULT_MESSAGES_LIMIT, messagesQuerySchema, type MessagesResponse } from '@/lib/api/contract';
import { parseQuery } from '@/lib/api/query';
import { getDemoRuntime } from '@/lib/demo/runtime-singleton';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiHandler((request) => {
  const query = parseQuery(request.url, messagesQuerySchema);
  const answer = getDemoRuntime().messages({
    limit: query.limit ?? DEFAULT_MESSAGES_LIMIT,
    ...(query.after === undefined ? {} : { after: query.after }),
    ...(query.run === undefined ? {} : { run: query.run }),
  });
  return json<MessagesResponse>(answer);
});

const notAllowed = methodNotAllowed(['GET']);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
