/**
 * A write the metadata leader refuses with 58 may belong to another node: each partition elects its own
 * primary, and on the edge build a new partition starts with replica 0 as primary whoever leads the metadata
 * (docs/architecture.md#the-cluster-aware-connection). So the write is offered to the other nodes in turn.
 * A refusal (57/58) means "not applied here", so offering it again elsewhere cannot store it twice; a lost
 * reply can, and stops the tour at once.
 */

import { isIggyError } from '../errors';
import { isTransientCode } from '../wire/reply-body';
import type { NodeDialer, NodeLink } from './primary-finder';
import type { NodeAddress } from './roster';

export interface Redirected<L, T> {
  link: L;
  value: T;
}

/** True for the answers that mean "not done here, nothing applied": 57 and 58. */
export function isRefusal(error: unknown): boolean {
  return isIggyError(error) && error.kind === 'server' && isTransientCode(error.code);
}

/**
 * Tries `write` on each node until one accepts it; answers that node's link (kept open) and the result, or
 * undefined when every node refused or could not be reached. Errors other than refusals and failed connects
 * (an outcome-unknown, a wrong password, bad input) end the tour and are thrown.
 */
export async function offerWriteElsewhere<L extends NodeLink, T>(
  nodes: readonly NodeAddress[],
  dial: NodeDialer<L>,
  write: (link: L) => Promise<T>,
  cancelled: () => boolean = () => false,
): Promise<Redirected<L, T> | undefined> {
  for (const node of nodes) {
    if (cancelled()) return undefined;
    let link: L;
    try {
      link = await dial(node);
    } catch (error) {
      if (isIggyError(error) && (error.terminal || error.kind === 'closed')) throw error;
      continue;
    }
    try {
      return { link, value: await write(link) };
    } catch (error) {
      link.close();
      if (isRefusal(error)) continue;
      throw error;
    }
  }
  return undefined;
}
