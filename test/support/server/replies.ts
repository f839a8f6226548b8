import { encodeEviction, encodeReply } from '../wire/frame';
import { type Request, type ServerContext } from './context';

/** Reply builders per plane: which header fields carry what follows docs/architecture.md#replies-and-evictions. */

export function sendReadReply(ctx: ServerContext, req: Request, body: Buffer, status = 0): void {
  ctx.send(
    req.connection,
    encodeReply(
      {
        requestChecksum: req.header.requestChecksum,
        client: req.header.client,
        op: req.header.session,
        commit: ctx.commitPosition,
        timestamp: req.header.timestamp,
        request: req.header.request,
        operation: req.header.operation,
        status,
      },
      body,
    ),
  );
}

/** Pre-commit denial (and the pre-login read denial): op 0, server-internal id in `client`, empty body. */
export function sendDenial(ctx: ServerContext, req: Request, status: number): void {
  ctx.send(
    req.connection,
    encodeReply({
      requestChecksum: req.header.requestChecksum,
      client: BigInt(req.connection.id),
      op: 0n,
      commit: ctx.commitPosition,
      timestamp: ctx.state.nowMicros(),
      request: req.header.request,
      operation: req.header.operation,
      status,
    }),
  );
}

export function buildCommittedReply(
  ctx: ServerContext,
  req: Request,
  client: bigint,
  operation: number,
  body: Buffer,
): Buffer {
  return encodeReply(
    {
      requestChecksum: req.header.requestChecksum,
      client,
      op: ctx.commitPosition,
      commit: ctx.commitPosition,
      timestamp: ctx.state.nowMicros(),
      request: req.header.request,
      operation,
      status: 0,
    },
    body,
  );
}

/** Partition-plane replies carry the connection's internal id and the partition's own log position. */
export function sendPartitionReply(
  ctx: ServerContext,
  req: Request,
  body: Buffer,
  logPosition: bigint,
): void {
  ctx.send(
    req.connection,
    encodeReply(
      {
        requestChecksum: req.header.requestChecksum,
        client: BigInt(req.connection.id),
        op: logPosition,
        commit: logPosition,
        timestamp: ctx.state.nowMicros(),
        request: req.header.request,
        operation: req.header.operation,
        status: 0,
      },
      body,
    ),
  );
}

export function sendEviction(
  ctx: ServerContext,
  req: Request,
  reason: number,
  options: { client?: bigint; window?: { max: number; min: number } } = {},
): void {
  ctx.send(
    req.connection,
    encodeEviction(options.client ?? BigInt(req.connection.id), reason, options.window),
  );
}
