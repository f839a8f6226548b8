import { ApiError } from '@/lib/api/errors';
import { apiHandler } from '@/lib/api/handler';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// Any /api path without its own route answers in JSON too, never with Next's HTML 404 page.
const notFound = apiHandler((request) => {
  throw new ApiError('NOT_FOUND', `No API route at ${new URL(request.url).pathname.slice(0, 200)}`);
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
