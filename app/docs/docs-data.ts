import 'server-only';
import { cache } from 'react';
import { loadAllDocs } from '@/lib/docs';

/**
 * All docs, parsed once per render: the page, its metadata and the sidebar share one read of docs/.
 * Pages are generated at build time, so in production this runs during `next build` only.
 */
export const getAllDocs = cache(() => loadAllDocs());
