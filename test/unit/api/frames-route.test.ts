import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as framesRoute from '@/app/api/frames/route';
import type { FrameEvent } from '@/lib/iggy';
import { encodeRequestFrame, summarizeFrame } from '@/lib/iggy/wire/header';
import { WireLog, type FrameSource, type WireFrameSummary } from '@/lib/demo/wire-log';
import { FakeRuntime } from './fake-runtime';

const BASE = 'http://localhost:3000';

class TapSource implements FrameSource {
  readonly listeners = new Set<(frame: FrameEvent) => void>();
  onFrame(listener: (frame: FrameEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  send(requestNumber: bigint): void {
    const bytes = encodeRequestFrame({ clientId: 5n, operation: 160, request: requestNumber, session: 1n });
    const event: FrameEvent = { ...summarizeFrame(bytes), direction: 'sent', bytes, atMs: Date.now() };
    for (const l of this.listeners) l(event);
  }
}

let producer: TapSource;
let log: WireLog;

beforeEach(() => {
  producer = new TapSource();
  log = new WireLog({ producer, consumer: new TapSource() });
  globalThis.__iggyDemoRuntime = Object.assign(new FakeRuntime(), { wireLog: log });
});
afterEach(() => {
  log.close();
  globalThis.__iggyDemoRuntime = undefined;
});

const get = (query = '') => framesRoute.GET(new Request(`${BASE}/api/frames${query}`));

async function framesOf(response: Response): Promise<WireFrameSummary[]> {
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  const body = (await response.json()) as { frames: WireFrameSummary[]; latestSeq: number };
  expect(body.latestSeq).toBe(log.latestSeq);
  return body.frames;
}

describe('GET /api/frames', () => {
  it('starts the wire log listening and returns frames newest last', async () => {
    expect(log.listening).toBe(false);
    expect(await framesOf(await get())).toEqual([]);
    expect(log.listening).toBe(true);
    producer.send(1n);
    producer.send(2n);
    producer.send(3n);
    const frames = await framesOf(await get());
    expect(frames.map((f) => [f.seq, f.commandName, f.request])).toEqual([
      [1, 'SendMessages', '1'],
      [2, 'SendMessages', '2'],
      [3, 'SendMessages', '3'],
    ]);
    expect((await framesOf(await get('?after=2'))).map((f) => f.seq)).toEqual([3]);
    expect(await framesOf(await get('?after=3'))).toEqual([]);
  });

  it.each(['?after=-1', '?after=abc', '?after=1.5', '?after=', '?after=1&after=2', '?limit=5'])(
    'answers 400 BAD_REQUEST for %s',
    async (query) => {
      const response = await get(query);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('BAD_REQUEST');
      expect(body.error.message).not.toMatch(/\n\s+at /);
    },
  );

  it('answers 404 when the runtime keeps no wire log', async () => {
    globalThis.__iggyDemoRuntime = new FakeRuntime();
    const response = await get();
    expect(response.status).toBe(404);
  });

  it('refuses other methods with 405', async () => {
    const response = await framesRoute.POST(new Request(`${BASE}/api/frames`, { method: 'POST' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('is a dynamic Node.js route', () => {
    expect(framesRoute.runtime).toBe('nodejs');
    expect(framesRoute.dynamic).toBe('force-dynamic');
  });
});
