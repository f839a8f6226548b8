import { describe, expect, it } from 'vitest';
import { IggyError, IggyErrorCode } from '@/lib/iggy';
import {
  DemoError,
  isMissingTopicError,
  isUnavailableError,
  redactCredentials,
  screamingSnake,
  toErrorInfo,
} from '@/lib/demo/errors';

describe('demo error helpers', () => {
  it('names codes in SCREAMING_SNAKE', () => {
    expect(screamingSnake('StreamIdNotFound')).toBe('STREAM_ID_NOT_FOUND');
    expect(screamingSnake('Timeout')).toBe('TIMEOUT');
  });

  it('redacts credentials from any URL in a message', () => {
    expect(redactCredentials('cannot reach iggy://iggy:topsecret@10.0.0.1:8090 now')).toBe(
      'cannot reach iggy://***@10.0.0.1:8090 now',
    );
  });

  it('builds ErrorInfo from Iggy, demo and unknown errors', () => {
    const at = Date.UTC(2026, 0, 1);
    const iggy = new IggyError({ code: IggyErrorCode.StreamIdNotFound, kind: 'server' });
    expect(toErrorInfo(iggy, at)).toEqual({
      code: 'STREAM_ID_NOT_FOUND',
      message: iggy.message,
      at: '2026-01-01T00:00:00.000Z',
    });
    expect(toErrorInfo(new DemoError('TOPIC_NOT_FOUND', 'no topic'), at).code).toBe('TOPIC_NOT_FOUND');
    expect(toErrorInfo('boom', at)).toEqual({
      code: 'INTERNAL',
      message: 'boom',
      at: '2026-01-01T00:00:00.000Z',
    });
  });

  it('tells "topic missing" and "server unavailable" apart', () => {
    const missing = new IggyError({ code: IggyErrorCode.TopicIdNotFound, kind: 'server' });
    const down = new IggyError({ code: IggyErrorCode.ConnectFailed, kind: 'connect' });
    const denied = new IggyError({ code: IggyErrorCode.Unauthorized, kind: 'server' });
    expect([isMissingTopicError(missing), isUnavailableError(missing)]).toEqual([true, false]);
    expect([isMissingTopicError(down), isUnavailableError(down)]).toEqual([false, true]);
    expect([isMissingTopicError(denied), isUnavailableError(denied)]).toEqual([false, false]);
  });
});
