import type { IggyState } from '../model/state';
import { parseSendMetadata } from '../wire/batch';
import { WireDecodeError } from '../wire/bytes';
import { ErrorCode, EvictionReason, Operation } from '../wire/codes';
import { encodeReply, resultError } from '../wire/frame';
import { type Request, type ServerContext, boundClient } from './context';
import { sendDenial, sendEviction } from './replies';

/**
 * Not the primary (docs/iggy-concepts.md#replication-and-clusters): a metadata write is answered like a
 * committed rejection — status 0, result `[count 1][index 0][58]` — without being committed here.
 */
export function refuseMetadataWrite(ctx: ServerContext, req: Request): void {
  const entry = boundClient(ctx, req.connection);
  if (!entry) return sendEviction(ctx, req, EvictionReason.NoSession);
  ctx.options.log(`connection ${req.connection.id}: metadata write refused (not the primary)`);
  ctx.send(
    req.connection,
    encodeReply(
      {
        requestChecksum: req.header.requestChecksum,
        client: entry.clientId,
        // The real follower put a small op number here (its own commit position, we take it).
        op: ctx.commitPosition,
        commit: ctx.commitPosition,
        timestamp: ctx.state.nowMicros(),
        request: req.header.request,
        operation: req.header.operation,
        status: 0,
      },
      resultError(ErrorCode.TransientNotAccepted),
    ),
  );
}

/**
 * Not the primary: partition ops are denied with status 58; a send to a stream/topic unknown in `view` (the state
 * as this node applied it) with 20.
 */
export function refusePartitionOp(ctx: ServerContext, view: IggyState, req: Request): void {
  if (!boundClient(ctx, req.connection)) return sendEviction(ctx, req, EvictionReason.NoSession);
  if (req.header.operation === Operation.SendMessages) {
    try {
      const metadata = parseSendMetadata(req.body);
      const stream = view.findStream(metadata.stream);
      if (!stream || !view.findTopic(stream, metadata.topic)) {
        return sendDenial(ctx, req, ErrorCode.ResourceNotFound);
      }
    } catch (error) {
      if (!(error instanceof WireDecodeError)) throw error;
      return; // undecodable sends are dropped, as on the primary
    }
  }
  sendDenial(ctx, req, ErrorCode.TransientNotAccepted);
}
