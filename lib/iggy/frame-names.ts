/**
 * What a reader calls a frame: "CreateStream", "GetStream", "Eviction (StaleClient)". The wire inspector and
 * the labs both name the frames they show with this, from the client's frame tap alone.
 */

import { evictionName } from './errors';
import type { FrameEvent } from './session-keeper';
import { commandName } from './wire/commands';
import { Command, Operation } from './wire/constants';

export type WireFrameKind = 'request' | 'reply' | 'eviction';

/** The request a connection sent last: a read's reply carries no command code, so it borrows this name. */
export interface LastRequest {
  request: bigint;
  name: string;
}

/** "Eviction (StaleClient)"; an unknown reason reads "Eviction (reason 42)". */
export function evictionFrameName(reason: number | undefined): string {
  const name = reason === undefined ? undefined : evictionName(reason);
  return `Eviction (${name === undefined || name.startsWith('Unknown') ? `reason ${reason ?? '?'}` : name})`;
}

function kindOf(frame: FrameEvent): WireFrameKind {
  if (frame.direction === 'sent' || frame.command === Command.Request) return 'request';
  return frame.command === Command.Eviction ? 'eviction' : 'reply';
}

/**
 * A frame's kind and the command name a reader knows it by. Replies to reads carry no command code,
 * so a reply takes the name of the request its connection sent last with the same request number
 * (one request in flight per connection makes that unambiguous).
 */
export function nameFrame(
  frame: FrameEvent,
  lastRequest?: LastRequest,
): { kind: WireFrameKind; name: string } {
  const kind = kindOf(frame);
  if (kind === 'request') return { kind, name: commandName(frame.operation, frame.commandCode) };
  if (kind === 'eviction') return { kind, name: evictionFrameName(frame.evictionReason) };
  if (frame.operation === Operation.NonReplicated)
    return { kind, name: lastRequest && lastRequest.request === frame.request ? lastRequest.name : 'Read' };
  return { kind, name: commandName(frame.operation) };
}
