/**
 * One TCP connection in lockstep: jobs run one at a time in FIFO order and each job may exchange
 * frames only while it holds the connection. Replies are not reliably correlatable (reference
 * docs/architecture.md#one-request-in-flight-per-connection), so a timed-out exchange closes the connection: a late reply can never be taken for the
 * answer to the next request.
 */

import { Socket, connect as netConnect } from 'node:net';
import {
  IggyError,
  connectError,
  disconnectedError,
  evictionError,
  invalidArgument,
  protocolError,
  timeoutError,
} from './errors';
import { FrameDecoder } from './frame-decoder';
import { decodeIncomingFrame, type ReplyFrame } from './wire/header';
import { formatAddress } from './url';

export type FrameDirection = 'sent' | 'received';

/** Optional tap on raw frames; `active()` is checked first so an idle tap costs one call per frame. */
export interface FrameTap {
  active(): boolean;
  emit(direction: FrameDirection, frame: Buffer): void;
}

export interface ConnectionOptions {
  host: string;
  port: number;
  connectTimeoutMs: number;
  maxFrameBytes: number;
  tap?: FrameTap;
}

/** Sends one frame and resolves with the reply; evictions, timeouts and drops reject with IggyError. */
export type Exchange = (frame: Buffer, timeoutMs: number) => Promise<ReplyFrame>;

interface Job {
  run: (exchange: Exchange) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Pending {
  resolve: (reply: ReplyFrame) => void;
  reject: (error: IggyError) => void;
  timer: NodeJS.Timeout;
}

export class Connection {
  readonly address: string;
  #socket: Socket;
  #decoder: FrameDecoder;
  #tap: FrameTap | undefined;
  #maxFrameBytes: number;
  #queue: Job[] = [];
  #running = false;
  #pending: Pending | undefined;
  #closeError: IggyError | undefined;
  #closeListeners: ((error: IggyError) => void)[] = [];

  private constructor(socket: Socket, options: ConnectionOptions) {
    this.#socket = socket;
    this.address = formatAddress(options.host, options.port);
    this.#decoder = new FrameDecoder(options.maxFrameBytes);
    this.#maxFrameBytes = options.maxFrameBytes;
    this.#tap = options.tap;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) =>
      this.close(disconnectedError(`connection to ${this.address} failed: ${err.message}`, err)),
    );
    socket.on('close', () =>
      this.close(disconnectedError(`connection to ${this.address} closed by the server`)),
    );
  }

  /** Opens a TCP connection; rejects with kind 'connect' on refusal, DNS failure or timeout. */
  static open(options: ConnectionOptions): Promise<Connection> {
    const address = formatAddress(options.host, options.port);
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host: options.host, port: options.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          connectError(
            `could not connect to the Iggy server at ${address} within ${options.connectTimeoutMs} ms`,
          ),
        );
      }, options.connectTimeoutMs);
      const onError = (err: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(connectError(`could not connect to the Iggy server at ${address}: ${err.message}`, err));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.setNoDelay(true);
        resolve(new Connection(socket, options));
      });
    });
  }

  get closed(): boolean {
    return this.#closeError !== undefined;
  }

  /** Jobs waiting plus the one running: lets the keep-alive skip pings while traffic flows. */
  get busy(): boolean {
    return this.#running || this.#queue.length > 0;
  }

  /** Called once, with the error that ended the connection (timeout, eviction, drop, protocol, close()). */
  onClose(listener: (error: IggyError) => void): void {
    if (this.#closeError) listener(this.#closeError);
    else this.#closeListeners.push(listener);
  }

  /** Runs `job` when every earlier job has finished; the job owns the connection until it settles. */
  run<T>(job: (exchange: Exchange) => Promise<T>): Promise<T> {
    if (this.#closeError) return Promise.reject(this.#queuedError());
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run: job, resolve: resolve as (v: unknown) => void, reject });
      this.#drain();
    });
  }

  /** Closes the socket and fails the running and queued jobs. Idempotent; the first reason wins. */
  close(
    reason: IggyError = disconnectedError(`connection to ${this.address} was closed by the client`),
  ): void {
    if (this.#closeError) return;
    this.#closeError = reason;
    this.#socket.destroy();
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(reason);
    }
    const queued = this.#queue.splice(0);
    for (const job of queued) job.reject(this.#queuedError());
    for (const listener of this.#closeListeners.splice(0)) listener(reason);
  }

  #queuedError(): IggyError {
    const reason = this.#closeError;
    if (reason?.kind === 'disconnected' || reason?.kind === 'closed') return reason;
    return disconnectedError(
      `connection to ${this.address} was lost (${reason?.message ?? 'closed'})`,
      reason,
    );
  }

  #drain(): void {
    if (this.#running || this.#closeError) return;
    const job = this.#queue.shift();
    if (!job) return;
    this.#running = true;
    let finished = false;
    const exchange: Exchange = (frame, timeoutMs) => {
      if (finished) return Promise.reject(protocolError('a finished job tried to use the connection'));
      return this.#exchange(frame, timeoutMs);
    };
    // Mark the job finished before its caller resumes, so a leaked exchange can never send.
    const settle = (deliver: (value: unknown) => void, value: unknown) => {
      finished = true;
      this.#running = false;
      deliver(value);
      this.#drain();
    };
    job.run(exchange).then(
      (value) => settle(job.resolve, value),
      (error: unknown) => settle(job.reject, error),
    );
  }

  #exchange(frame: Buffer, timeoutMs: number): Promise<ReplyFrame> {
    if (this.#closeError) return Promise.reject(this.#queuedError());
    if (this.#pending) return Promise.reject(protocolError('two requests in flight on one connection'));
    if (frame.length > this.#maxFrameBytes) {
      return Promise.reject(
        invalidArgument(
          `request of ${frame.length} bytes exceeds the ${this.#maxFrameBytes}-byte frame limit`,
        ),
      );
    }
    return new Promise<ReplyFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = timeoutError(`no reply from ${this.address} within ${timeoutMs} ms`);
        // Reject this request with the timeout itself, then drop the connection for everyone else.
        if (this.#pending?.timer === timer) {
          this.#pending = undefined;
          reject(error);
        }
        this.close(error);
      }, timeoutMs);
      this.#pending = { resolve, reject, timer };
      if (this.#tap?.active()) this.#tap.emit('sent', frame);
      this.#socket.write(frame);
    });
  }

  #onData(chunk: Buffer): void {
    if (this.#closeError) return;
    let frames: Buffer[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (e) {
      this.close(e instanceof IggyError ? e : protocolError(String(e)));
      return;
    }
    for (const raw of frames) {
      if (this.#closeError) return;
      if (this.#tap?.active()) this.#tap.emit('received', raw);
      let frame;
      try {
        frame = decodeIncomingFrame(raw);
      } catch (e) {
        this.close(e as IggyError);
        return;
      }
      if (frame.type === 'eviction') {
        // An eviction ends the session whether or not a request was waiting for it.
        this.close(evictionError(frame.reason, frame.serverProtocolVersion, frame.serverProtocolVersionMin));
        return;
      }
      const pending = this.#pending;
      if (!pending) {
        this.close(
          protocolError(`unexpected reply (operation ${frame.operation}) with no request in flight`),
        );
        return;
      }
      this.#pending = undefined;
      clearTimeout(pending.timer);
      pending.resolve(frame);
    }
  }
}
