import type { DemoRuntimeApi } from '@/lib/demo/types';
import { MAX_MESSAGES_LIMIT } from './contract';
import { stringifyJson } from './json';

export interface EventStreamOptions {
  /** Replay buffered messages with a seq above this first. */
  after?: number;
  /** The run `after` belongs to; from another run it is ignored and the newest messages are replayed instead. */
  run?: string;
  signal: AbortSignal;
  statusIntervalMs?: number;
  pingIntervalMs?: number;
  /** Queued-but-unread events after which a stalled client is dropped (it reconnects and replays). */
  maxQueuedEvents?: number;
}

const encoder = new TextEncoder();

/** `event: message` carries the message's seq as its SSE id, so a reconnecting EventSource resumes via Last-Event-ID. */
function frame(event: string, data: unknown, id?: string): Uint8Array {
  return encoder.encode(
    `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${stringifyJson(data)}\n\n`,
  );
}

/**
 * A text/event-stream of new messages and status changes. Everything (subscription, timers) is
 * released when the client goes away (request.signal aborts) or the stream is cancelled.
 */
export function createEventStream(
  runtime: DemoRuntimeApi,
  options: EventStreamOptions,
): ReadableStream<Uint8Array> {
  const statusIntervalMs = options.statusIntervalMs ?? 2000;
  const pingIntervalMs = options.pingIntervalMs ?? 15_000;
  const maxQueued = options.maxQueuedEvents ?? 5000;
  let cleanup: () => void = () => {};

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let closed = false;
        let unsubscribe: () => void = () => {};
        const timers: { status?: ReturnType<typeof setInterval>; ping?: ReturnType<typeof setInterval> } = {};

        const send = (chunk: Uint8Array) => {
          if (closed) return;
          if ((controller.desiredSize ?? 0) < -maxQueued) {
            cleanup();
            return;
          }
          try {
            controller.enqueue(chunk);
          } catch {
            cleanup();
          }
        };
        const sendStatus = () => send(frame('status', runtime.status()));

        cleanup = () => {
          if (closed) return;
          closed = true;
          unsubscribe();
          if (timers.status) clearInterval(timers.status);
          if (timers.ping) clearInterval(timers.ping);
          options.signal.removeEventListener('abort', cleanup);
          try {
            controller.close();
          } catch {
            // already closed or errored
          }
        };
        if (options.signal.aborted) {
          cleanup();
          return;
        }
        options.signal.addEventListener('abort', cleanup);

        // Status first: it names the run, so a page holding a cursor from an earlier run drops its timeline before
        // the replay arrives. The replay is synchronous, so no message event can slip in between it and the
        // subscription.
        send(encoder.encode('retry: 2000\n\n'));
        sendStatus();
        const staleRun = options.run !== undefined && options.run !== runtime.runId;
        if (options.after !== undefined || staleRun) {
          const replay = runtime.messages({
            limit: MAX_MESSAGES_LIMIT,
            ...(options.after === undefined ? {} : { after: options.after }),
            ...(options.run === undefined ? {} : { run: options.run }),
          });
          for (const message of replay.messages) send(frame('message', message, String(message.seq)));
        }
        // A client too slow for the replay was already dropped: subscribing now would leak the listener.
        if (closed) return;
        unsubscribe = runtime.subscribe((event) => {
          if (event.type === 'status') sendStatus();
          // No SSE id: Last-Event-ID must stay a message seq. A reconnect gets the resets (and failovers) again in its first status.
          else if (event.type === 'reset') send(frame('reset', event.reset));
          else if (event.type === 'failover') send(frame('failover', event.failover));
          else send(frame('message', event.message, String(event.message.seq)));
        });
        timers.status = setInterval(sendStatus, statusIntervalMs);
        timers.ping = setInterval(() => send(encoder.encode(': ping\n\n')), pingIntervalMs);
      },
      cancel() {
        cleanup();
      },
    },
    { highWaterMark: 1 },
  );
}
