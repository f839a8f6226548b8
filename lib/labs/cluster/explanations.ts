/** The cluster lab's words: why a follower refused, what a read on each side showed, what the ledger check found. */

import type { CompareReadOutcome, FollowerAnswer, LedgerCheckOutcome } from './contract';

export const SINGLE_NODE_MESSAGE =
  'This Iggy is a single node: its cluster metadata lists one node, the leader, so there is no follower to write to or read from. Start a three-node cluster with `npm run demo -- --cluster`.';

export function explainFollowerWrite(
  answer: FollowerAnswer,
  primary: { node: string; offset: string } | null,
): string {
  if (answer.status === 0)
    return `${answer.node} accepted the send (offset ${answer.offset}) although the metadata names it a follower: each partition elects its own primary, and this partition's primary is ${answer.node}.`;
  const refusal =
    answer.status === 58
      ? `${answer.node} (a follower) answered 58, TransientNotAccepted, with an empty body, ${answer.answers} time${answer.answers === 1 ? '' : 's'}: only the primary accepts writes, and a follower's refusal means nothing was stored, so the write may safely go elsewhere. The lab stopped asking after a short wait; a plain client would keep retrying.`
      : `${answer.node} answered ${answer.status} (${answer.statusName}).`;
  const accepted =
    primary === null
      ? ' The cluster-aware connection could not place the same write.'
      : ` The same message through the cluster-aware connection: ${primary.node} accepted it at offset ${primary.offset}.`;
  return refusal + accepted;
}

export function explainCompareRead(outcome: CompareReadOutcome): string {
  const { follower, primary, behindBy } = outcome;
  const sent = outcome.sentFirst === null ? '' : `Sent offset ${outcome.sentFirst} first, then at once `;
  const head = `${sent}Offset(${outcome.fromOffset}), count ${outcome.count}, no commit, on ${follower.node} and on ${primary.node}: `;
  const shown = (side: { offsets: string[] }) =>
    side.offsets.length === 0 ? 'nothing' : `${side.offsets.length} (up to offset ${side.offsets.at(-1)})`;
  if (behindBy === 0)
    return `${head}both returned ${shown(primary)}. The follower had applied every commit by the time it was asked; send first to catch it one step behind.`;
  return `${head}the primary returned ${shown(primary)}, the follower ${shown(follower)}: it is ${behindBy} message${behindBy === 1 ? '' : 's'} behind. A follower applies a commit only when the primary's next message tells it the commit happened, so a read there can miss the newest acknowledged write.`;
}

export function explainCheck(check: LedgerCheckOutcome): string {
  if (check.checked === 0)
    return 'The ledger is empty: send a few messages first, then kill the primary, then check.';
  if (check.missing.length === 0)
    return `All ${check.checked} acknowledged message${check.checked === 1 ? '' : 's'} survived: ${check.node} (the primary now) returned every offset in the ledger. A quorum held each one before Iggy acknowledged it.`;
  return `${check.missing.length} of ${check.checked} acknowledged messages are missing on ${check.node}: offsets ${abbreviate(check.missing)}.`;
}

function abbreviate(offsets: string[]): string {
  return offsets.length <= 20
    ? offsets.join(', ')
    : `${offsets.slice(0, 20).join(', ')} and ${offsets.length - 20} more`;
}
