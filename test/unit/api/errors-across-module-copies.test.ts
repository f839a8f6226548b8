import { describe, expect, it, vi } from 'vitest';
import { mapError } from '@/lib/api/errors';

// In a production build the runtime is created by the instrumentation hook's bundle while route handlers map its
// errors with their own copy of the error classes. Loading a second copy of the modules reproduces that.
async function freshCopies() {
  vi.resetModules();
  const demoErrors = await import('@/lib/demo/errors');
  const demoConfig = await import('@/lib/demo/config');
  const iggy = await import('@/lib/iggy');
  return { demoErrors, demoConfig, iggy };
}

describe('mapError with errors from another copy of the modules', () => {
  it('still maps a DemoError to its own status and code', async () => {
    const { demoErrors } = await freshCopies();
    const error = new demoErrors.DemoError(
      'TOPIC_NOT_FOUND',
      'Topic demo-stream/demo-topic does not exist yet',
    );
    const mapped = mapError(error);
    expect(mapped.status).toBe(404);
    expect(mapped.body.error.code).toBe('TOPIC_NOT_FOUND');
  });

  it('still maps an IggyError (unavailable and refused)', async () => {
    const { iggy } = await freshCopies();
    const unavailable = mapError(
      new iggy.IggyError({ code: iggy.IggyErrorCode.Disconnected, kind: 'disconnected' }),
    );
    expect(unavailable.status).toBe(503);
    expect(unavailable.body.error.code).toBe('IGGY_UNAVAILABLE');
    const refused = mapError(
      new iggy.IggyError({ code: iggy.IggyErrorCode.StreamIdNotFound, kind: 'server' }),
    );
    expect(refused.body.error.code).toBe('IGGY_ERROR');
  });

  it('still maps a DemoConfigError to CONFIG_INVALID', async () => {
    const { demoConfig } = await freshCopies();
    const mapped = mapError(new demoConfig.DemoConfigError(['IGGY_URL: invalid']));
    expect(mapped.body.error.code).toBe('CONFIG_INVALID');
    expect(mapped.unexpected).toBe(false);
  });

  it('does not mistake a look-alike plain object for a typed error', () => {
    const mapped = mapError({ name: 'DemoError', code: 'TOPIC_NOT_FOUND', message: 'x' });
    expect(mapped.status).toBe(500);
    expect(mapped.body.error.code).toBe('INTERNAL');
  });
});
