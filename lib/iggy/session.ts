/**
 * A registered session on one connection: client id, server session, request numbering (docs/architecture.md#request-numbering)
 * and the transient-retry rule (docs/architecture.md#replies-and-evictions). A new registration always means a new Session with a
 * fresh random client id, so a reused id can never replay an old cached reply.
 */

import { performance } from 'node:perf_hooks';
import { sleep } from './backoff';
import type { Connection, Exchange } from './connection';
import { IggyError, IggyErrorCode, serverError } from './errors';
import { randomU128 } from './random';
import { Operation, ReadCode } from './wire/constants';
import { encodeRequestFrame } from './wire/header';
import { isTransientCode, replyOutcome } from './wire/reply-body';
import { decodeLoginReply, encodeLoginBody, type LoginInput, type LoginReply } from './wire/commands/login';

/** How a request is numbered and stamped; decided by its plane. */
export type RequestKind =
  | { plane: 'read'; code: number }
  | { plane: 'metadata'; operation: number }
  | { plane: 'partition'; operation: number }
  | { plane: 'logout' };

export interface RetryPolicy {
  /** pause before resending a frame answered with 57/58 */
  delayMs: number;
  /** give up retrying after this long */
  budgetMs: number;
  /**
   * A shorter budget for 58 (not accepted here), when the caller can do better than wait: a cluster client
   * looks for the primary instead (docs/architecture.md#the-cluster-aware-connection). Default: budgetMs.
   */
  notAcceptedBudgetMs?: number;
}

/** Per call: a retry policy other than the session's, and a note of whether the frame reached the wire. */
export interface ExecuteOptions {
  retry?: RetryPolicy;
  /** Set to true once the request frame has been written (a lost reply then leaves the outcome open). */
  track?: { written: boolean };
}

export const DEFAULT_RETRY: RetryPolicy = { delayMs: 50, budgetMs: 30_000 };

/**
 * Request numbers: register uses 0; afterwards the counter starts at 1. Reads and ping reuse the
 * current value; metadata ops, logout and partition ops advance it first, so each of them is
 * strictly above every earlier one on this client id.
 *
 * Partition ops must carry a fresh number (docs/architecture.md#request-numbering): the released 0.9.0
 * deduplicates them by request number and answers a repeat with an empty reply, and the official 0.9.0 SDK
 * advances the counter on every send (seen in test/conformance). An older protocol note said they reuse the
 * current value; that only held for a pre-release build, which did not deduplicate them.
 */
export class RequestNumbering {
  #current = 1n;

  get current(): bigint {
    return this.#current;
  }

  next(kind: RequestKind): bigint {
    if (kind.plane !== 'read') this.#current += 1n;
    return this.#current;
  }
}

/** Sends one frame, resending the identical bytes while the server answers 57/58. */
async function exchangeWithRetry(
  exchange: Exchange,
  frame: Buffer,
  timeoutMs: number,
  retry: RetryPolicy,
  describe: string,
  track?: { written: boolean },
): Promise<Buffer> {
  const started = performance.now();
  for (;;) {
    if (track) track.written = true;
    const reply = await exchange(frame, timeoutMs);
    const outcome = replyOutcome(reply);
    if (outcome.ok) return outcome.payload;
    const budgetMs =
      outcome.code === IggyErrorCode.TransientNotAccepted
        ? (retry.notAcceptedBudgetMs ?? retry.budgetMs)
        : retry.budgetMs;
    if (isTransientCode(outcome.code) && performance.now() - started + retry.delayMs < budgetMs) {
      await sleep(retry.delayMs);
      continue;
    }
    throw serverError(outcome.code, describe);
  }
}

export interface SessionOptions {
  requestTimeoutMs: number;
  retry?: RetryPolicy;
}

export class Session {
  readonly connection: Connection;
  readonly clientId: bigint;
  readonly login: LoginReply;
  readonly numbering = new RequestNumbering();
  readonly #options: SessionOptions;
  readonly #retry: RetryPolicy;

  private constructor(connection: Connection, clientId: bigint, login: LoginReply, options: SessionOptions) {
    this.connection = connection;
    this.clientId = clientId;
    this.login = login;
    this.#options = options;
    this.#retry = options.retry ?? DEFAULT_RETRY;
  }

  /** Register (operation 1, request 0, session 0, stamped checksum) with a fresh client id. */
  static async register(
    connection: Connection,
    credentials: LoginInput,
    options: SessionOptions,
  ): Promise<Session> {
    const clientId = randomU128();
    const body = encodeLoginBody(credentials);
    const frame = encodeRequestFrame({
      clientId,
      operation: Operation.Register,
      request: 0n,
      session: 0n,
      body,
      stampChecksum: true,
    });
    const payload = await connection.run((exchange) =>
      exchangeWithRetry(exchange, frame, options.requestTimeoutMs, options.retry ?? DEFAULT_RETRY, 'login'),
    );
    return new Session(connection, clientId, decodeLoginReply(payload), options);
  }

  get sessionId(): bigint {
    return this.login.session;
  }

  /** Sends one command and returns its typed payload (result section already stripped). */
  execute(kind: RequestKind, body: Buffer, describe: string, options: ExecuteOptions = {}): Promise<Buffer> {
    // The number is taken inside the job so numbers reach the wire in increasing order.
    return this.connection.run((exchange) => {
      const frame = this.#frame(kind, body);
      return exchangeWithRetry(
        exchange,
        frame,
        this.#options.requestTimeoutMs,
        options.retry ?? this.#retry,
        describe,
        options.track,
      );
    });
  }

  /** Ping (code 1) and the round trip of the exchange itself, excluding time spent queued. */
  ping(): Promise<number> {
    return this.connection.run(async (exchange) => {
      const frame = this.#frame({ plane: 'read', code: ReadCode.Ping }, Buffer.alloc(0));
      const started = performance.now();
      const reply = await exchange(frame, this.#options.requestTimeoutMs);
      const roundTripMs = performance.now() - started;
      const outcome = replyOutcome(reply);
      if (!outcome.ok) throw serverError(outcome.code, 'ping');
      return roundTripMs;
    });
  }

  #frame(kind: RequestKind, body: Buffer): Buffer {
    const request = this.numbering.next(kind);
    const session = this.login.session;
    switch (kind.plane) {
      case 'read':
        return encodeRequestFrame({
          clientId: this.clientId,
          operation: Operation.NonReplicated,
          commandCode: kind.code,
          request,
          session,
          body,
        });
      case 'partition':
        return encodeRequestFrame({
          clientId: this.clientId,
          operation: kind.operation,
          request,
          session,
          body,
        });
      case 'metadata':
        return encodeRequestFrame({
          clientId: this.clientId,
          operation: kind.operation,
          request,
          session,
          body,
          stampChecksum: true,
        });
      case 'logout':
        return encodeRequestFrame({
          clientId: this.clientId,
          operation: Operation.Logout,
          request,
          session,
          body,
          stampChecksum: true,
        });
    }
  }
}

export function isTerminal(error: unknown): boolean {
  return error instanceof IggyError && error.terminal;
}
