import { framesQuerySchema, type FramesResponse } from '@/lib/api/contract';
import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { ApiError } from '@/lib/api/errors';
import { json } from '@/lib/api/json';
import { parseQuery } from '@/lib/api/query';
import { getDemoRuntime } from '@/lib/demo/runtime-singleton';
import { wireLogOf } from '@/lib/demo/wire-log';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The wire inspector's poll: each call also keeps the log listening for the next few seconds. */
export const GET = apiHandler((request) => {
  const query = parseQuery(request.url, framesQuerySchema);
  const log = wireLogOf(getDemoRuntime());
  if (!log) throw new ApiError('NOT_FOUND', 'The wire inspector is not available in this runtime');
  log.touch();
  // latestSeq lets a poller notice a restarted server (numbering starts again at 1).
  return json<FramesResponse>({ frames: log.frames(query.after), latestSeq: log.latestSeq });
});

const notAllowed = methodNotAllowed(['GET']);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
