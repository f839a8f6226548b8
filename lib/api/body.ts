import type { z } from 'zod';
import { ApiError } from './errors';
import { describeIssues } from './query';

export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Reads a JSON body of at most MAX_BODY_BYTES and validates it. The limit is checked against the
 * declared Content-Length and again against the bytes actually received (a client can lie or
 * stream without a length), and reading stops as soon as the limit is passed.
 */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const contentType = request.headers.get('content-type') ?? '';
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType !== 'application/json') {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
  }
  const declared = request.headers.get('content-length');
  if (declared !== null && (!/^\d+$/.test(declared.trim()) || Number(declared) > MAX_BODY_BYTES)) {
    if (/^\d+$/.test(declared.trim())) throw tooLarge();
    throw new ApiError('BAD_REQUEST', 'Invalid Content-Length header');
  }
  const bytes = await readLimited(request);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError('INVALID_JSON', 'The body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(
      'INVALID_JSON',
      text.trim() === '' ? 'The body is empty; send a JSON object' : 'The body is not valid JSON',
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError('BAD_REQUEST', describeIssues(parsed.error));
  return parsed.data;
}

function tooLarge(): ApiError {
  return new ApiError('PAYLOAD_TOO_LARGE', `The body exceeds ${MAX_BODY_BYTES} bytes`);
}

async function readLimited(request: Request): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_BODY_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } finally {
    try {
      reader.releaseLock();
    } catch {
      // already released by cancel()
    }
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
