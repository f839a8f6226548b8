// Turning zod's verdicts into the API's 400 answers. The schemas themselves live in ./contract.
import { z } from 'zod';
import { ApiError } from './errors';

/** One readable sentence out of zod's issue list (the client sees it; no internals in it). */
export function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    if (issue.code === 'unrecognized_keys')
      return `unknown field(s): ${issue.keys.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`;
    const path = issue.path.map(String).join('.');
    if (issue.code === 'invalid_type' && issue.path.length === 0) return 'the body must be a JSON object';
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return parts.join('; ');
}

/**
 * Query strings → validated values. A repeated parameter is an error rather than "first wins":
 * an ambiguous request gets a clear 400.
 */
export function parseQuery<S extends z.ZodType>(url: string, schema: S): z.infer<S> {
  const params = new URL(url).searchParams;
  const raw: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key in raw)
      throw new ApiError('BAD_REQUEST', `query parameter ${JSON.stringify(key.slice(0, 40))} is repeated`);
    raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ApiError('BAD_REQUEST', describeIssues(parsed.error));
  return parsed.data;
}
