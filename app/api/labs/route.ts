import { apiHandler, methodNotAllowed } from '@/lib/api/handler';
import { json } from '@/lib/api/json';
import { LABS } from '@/lib/labs/catalog';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Every lab and where it lives; no Iggy connection is opened for this. */
export const GET = apiHandler(() =>
  json({
    labs: LABS.map((lab) => ({
      name: lab.name,
      title: lab.title,
      summary: lab.summary,
      page: `/labs/${lab.name}`,
      docs: `/docs/${lab.docs.slug}#${lab.docs.anchor}`,
    })),
  }),
);

const notAllowed = methodNotAllowed(['GET']);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
