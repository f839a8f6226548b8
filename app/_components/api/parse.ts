// Light runtime checks of what arrives over SSE or polling, typed against the server's contract (a type-only
// import: zod and the server modules stay out of the browser bundle). Anything malformed is dropped rather than
// crashing the page.
import type { DemoMessage, DemoStatus, PartitionReset } from '@/lib/api/contract';
// The cluster types are not re-exported by the contract module yet; they are the same server-authored types.
import type { FailoverEvent } from '@/lib/demo/types';

const DECIMAL = /^\d{1,39}$/;

export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL.test(value);
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

/** A message as the contract defines it, or null when the fields the page relies on are missing. */
export function parseDemoMessage(value: unknown): DemoMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (!isSeq(v.seq) || !isDecimalString(v.offset)) return null;
  if (typeof v.partitionId !== 'number' || !Number.isInteger(v.partitionId) || v.partitionId < 0) return null;
  const text = (field: unknown) => (typeof field === 'string' ? field : '');
  return {
    seq: v.seq,
    offset: v.offset,
    partitionId: v.partitionId,
    id: typeof v.id === 'number' ? String(v.id) : text(v.id),
    timestamp: text(v.timestamp),
    originTimestamp: text(v.originTimestamp),
    receivedAt: text(v.receivedAt),
    payload: v.payload,
    payloadText: text(v.payloadText),
    sizeBytes: typeof v.sizeBytes === 'number' ? v.sizeBytes : 0,
  };
}

const RESET_SOURCES: readonly string[] = ['send', 'poll', 'topology', 'stored-offset'];

/** A partition reset as the contract defines it, or null when malformed. */
export function parsePartitionReset(value: unknown): PartitionReset | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'number' || !Number.isSafeInteger(v.id)) return null;
  if (typeof v.partitionId !== 'number' || !Number.isInteger(v.partitionId) || v.partitionId < 0) return null;
  if (!isDecimalString(v.lostFrom) || !isDecimalString(v.lostTo) || !isDecimalString(v.lostCount))
    return null;
  if (typeof v.afterSeq !== 'number' || !Number.isSafeInteger(v.afterSeq) || v.afterSeq < 0) return null;
  const noticedBy =
    typeof v.noticedBy === 'string' && RESET_SOURCES.includes(v.noticedBy) ? v.noticedBy : 'poll';
  return {
    id: v.id,
    partitionId: v.partitionId,
    lostFrom: v.lostFrom,
    lostTo: v.lostTo,
    lostCount: v.lostCount,
    exact: v.exact === true,
    noticedAt: typeof v.noticedAt === 'string' ? v.noticedAt : '',
    noticedBy: noticedBy as PartitionReset['noticedBy'],
    cause: typeof v.cause === 'string' ? v.cause : '',
    afterSeq: v.afterSeq,
  };
}

/** The resets listed in a status (an older server sends none). */
export function resetsOf(status: DemoStatus | null | undefined): PartitionReset[] {
  const list = (status as { resets?: unknown } | null | undefined)?.resets;
  if (!Array.isArray(list)) return [];
  return list.map(parsePartitionReset).filter((r): r is PartitionReset => r !== null);
}

function nodeRef(value: unknown): { name: string; address: string } | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.name !== 'string' || v.name === '') return null;
  return { name: v.name, address: typeof v.address === 'string' ? v.address : '' };
}

/** A failover as the contract defines it, or null when malformed. */
export function parseFailoverEvent(value: unknown): FailoverEvent | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'number' || !Number.isSafeInteger(v.id)) return null;
  const lostPrimary = nodeRef(v.lostPrimary);
  if (!lostPrimary || typeof v.lostAt !== 'string') return null;
  if (typeof v.afterSeq !== 'number' || !Number.isSafeInteger(v.afterSeq) || v.afterSeq < 0) return null;
  const newPrimary = nodeRef(v.newPrimary);
  const unknown = v.unknownOutcomeSends;
  return {
    id: v.id,
    lostPrimary,
    lostAt: v.lostAt,
    ...(newPrimary ? { newPrimary } : {}),
    ...(typeof v.recoveredAt === 'string' ? { recoveredAt: v.recoveredAt } : {}),
    ...(typeof v.noPrimaryMs === 'number' && Number.isFinite(v.noPrimaryMs) && v.noPrimaryMs >= 0
      ? { noPrimaryMs: v.noPrimaryMs }
      : {}),
    unknownOutcomeSends:
      typeof unknown === 'number' && Number.isSafeInteger(unknown) && unknown >= 0 ? unknown : 0,
    afterSeq: v.afterSeq,
  };
}

/** The failovers listed in a status (a single node, or an older server, sends none). */
export function failoversOf(status: DemoStatus | null | undefined): FailoverEvent[] {
  const cluster = (status as { cluster?: unknown } | null | undefined)?.cluster;
  const list = (cluster as { failovers?: unknown } | null | undefined)?.failovers;
  if (!Array.isArray(list)) return [];
  return list.map(parseFailoverEvent).filter((f): f is FailoverEvent => f !== null);
}

/** The run id of an answer (`/api/messages`, a status event), or null when it has none. */
export function runIdOf(value: unknown): string | null {
  const runId = (value as { runId?: unknown } | null)?.runId;
  return typeof runId === 'string' && runId !== '' ? runId : null;
}

/** A status event's body, when it looks like one. */
export function parseDemoStatus(value: unknown): DemoStatus | null {
  if (typeof value !== 'object' || value === null || !('iggy' in value)) return null;
  return value as DemoStatus;
}
