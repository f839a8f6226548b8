import { LAB_DEFINITIONS } from '@/lib/labs/registry';
import { labRouteHandlers } from '@/lib/labs/route-handlers';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Every lab's state (GET) and actions (POST) at /api/labs/<name>; see lib/labs/route-handlers. */
const handlers = labRouteHandlers(LAB_DEFINITIONS);

export const GET = handlers.GET;
export const POST = handlers.POST;
export const PUT = handlers.PUT;
export const PATCH = handlers.PATCH;
export const DELETE = handlers.DELETE;
