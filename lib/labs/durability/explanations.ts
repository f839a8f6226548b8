/** The durability lab's words: one line per action and per restart, in Iggy's terms. */

import type {
  CreatePersistedOutcome,
  DurabilityAction,
  DurabilitySendOutcome,
  LostRangeView,
  OptionCatalogView,
} from './contract';
import type { FlushThresholds } from './journal';
import { DURABILITY_TOPICS } from './limits';

type SendRequest = Extract<DurabilityAction, { action: 'send' }>;

function describeLoss(range: LostRangeView): string {
  const offsets =
    range.lostFrom === range.lostTo
      ? `offset ${range.lostFrom}`
      : `offsets ${range.lostFrom}–${range.lostTo}`;
  return `Iggy came back without ${range.exact ? '' : 'at least '}${offsets} of ${range.topic} partition ${range.partitionId} (${range.lostCount} message${range.lostCount === '1' ? '' : 's'}).`;
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

export function explainCatalog(catalog: OptionCatalogView | null, error: string | undefined): string {
  if (!catalog) return `Asked Iggy for its topic options (DescribeOptions): ${error ?? 'no answer'}.`;
  const head = `Asked Iggy for its topic options (DescribeOptions): ${catalog.options.length} options.`;
  switch (catalog.flavor) {
    case 'release':
      return `${head} It lists durability (default ${catalog.options.find((o) => o.key === 'durability')?.defaultValue ?? 'unknown'}): a released 0.9.0-line server, where a topic can be created with durability=persisted.`;
    case 'edge':
      return `${head} It lists enforce_fsync and no durability: an edge build (like 0.9.0-edge.5). enforce_fsync only fsyncs the threshold flushes; no option here makes a send wait for the disk.`;
    case 'unknown':
      return `${head} It lists neither durability nor enforce_fsync.`;
  }
}

export function explainSend(
  outcome: DurabilitySendOutcome,
  request: SendRequest,
  thresholds: FlushThresholds,
): string {
  if (outcome.sent === 0) return 'The send was interrupted before any message was acknowledged.';
  const range =
    outcome.firstOffset === outcome.lastOffset
      ? `offset ${outcome.firstOffset}`
      : `offsets ${outcome.firstOffset}–${outcome.lastOffset}`;
  const how = request.oneBatch ? 'in one SendMessages' : 'one SendMessages each';
  const head = `${outcome.created ? `Created ${outcome.topic} (messages_required_to_save=${thresholds.messages}, one partition), then sent` : 'Sent'} ${outcome.sent} message${outcome.sent === 1 ? '' : 's'} to ${outcome.topic}, ${how}: ${range}, each acknowledged.`;
  const memory = outcome.inMemory;
  if (!memory) return head;
  if (memory.basis === 'persisted')
    return `${head} With durability=persisted each was on stable storage before Iggy answered: none is only in memory.`;
  if (memory.count === '0')
    return `${head} Computed: the journal just reached ${thresholds.messages} messages (or ${thresholds.bytes} bytes) and was written out, so no acknowledged message is only in memory.`;
  const held = memory.offsets
    ? memory.offsets.from === memory.offsets.to
      ? `offset ${memory.offsets.from}`
      : `offsets ${memory.offsets.from}–${memory.offsets.to}`
    : '';
  return `${head} Computed: ${memory.count} acknowledged message${memory.count === '1' ? ' is' : 's are'} still only in memory (${held}): a crash now would lose ${memory.count === '1' ? 'it' : 'them'}; a graceful stop writes ${memory.count === '1' ? 'it' : 'them'}.`;
}

export function explainCreate(outcome: CreatePersistedOutcome, catalog: OptionCatalogView | null): string {
  switch (outcome.refusal) {
    case null:
      return `Created ${outcome.topic} with durability=persisted: Iggy now answers a send to it only once the message is on stable storage, so a crash cannot lose an acknowledged message there. Sends are slower, since each waits for the disk.`;
    case 'already-exists':
      return `${outcome.topic} already exists (durability is fixed when a topic is created); nothing changed.`;
    case 'refused-by-server':
      return `Iggy refused durability=persisted with 4041 (unsupported option key): this server does not know the option, so the lab did not create ${outcome.topic}.`;
    case 'not-in-catalog':
      return `This server's topic options do not include durability${catalog?.flavor === 'edge' ? ' (it lists enforce_fsync instead: an edge build)' : ''}, so a topic cannot be made to wait for the disk here. The lab did not create ${outcome.topic} and sent no CreateTopic.`;
  }
}

/** What a restart left: the ranges lost, or that everything came back (and why, from what was in memory). */
export function explainRestart(
  lost: LostRangeView[],
  persistedKept: boolean,
  lostAt: number | undefined,
  inMemoryBefore: bigint,
): string {
  const kept = persistedKept
    ? ` Topic ${DURABILITY_TOPICS.persisted} (durability=persisted) came back with every message.`
    : '';
  if (lost.length > 0)
    return `${lost.map(describeLoss).join(' ')} Iggy had acknowledged them, but they were still in the partition's in-memory journal when it stopped without writing it: a crash. What had been written before survived, and new sends get those offsets again.${kept}`;
  return `Iggy went away${lostAt === undefined ? '' : ` at ${clock(lostAt)}`} and came back with every message: nothing lost.${
    inMemoryBefore > 0n
      ? ` The lab had computed ${inMemoryBefore} acknowledged message${inMemoryBefore === 1n ? '' : 's'} only in memory, so this was a graceful stop: Iggy writes the journal before it exits.`
      : ' Nothing was only in memory at the time, so even a crash would have lost nothing.'
  }`;
}
