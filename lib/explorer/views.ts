/** Iggy's answers → the explorer's JSON (bigints as decimal strings, bytes as hex). */
import {
  decodeUserHeaders,
  type OptionDescription,
  type PartitionDetails,
  type PolledMessage,
  type TopicSummary,
  type UserHeaderValue,
} from '@/lib/iggy';
import type { ExplorerCatalogEntry, ExplorerMessage, ExplorerPartition, ExplorerTopic } from './contract';
import { EXPLORER_LIMITS } from './limits';

/** An option value or header value as text. */
export function valueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return String(value);
}

export function topicView(topic: TopicSummary): ExplorerTopic {
  return {
    id: topic.id,
    name: topic.name,
    createdAtMicros: topic.createdAtMicros.toString(),
    partitionsCount: topic.partitionsCount,
    sizeBytes: topic.sizeBytes.toString(),
    messagesCount: topic.messagesCount.toString(),
    options: topic.options.map((option) => ({
      key: option.key,
      kind: option.kind,
      value: valueText(option.value),
      explicit: option.explicit,
    })),
  };
}

export function partitionView(partition: PartitionDetails): ExplorerPartition {
  return {
    id: partition.id,
    createdAtMicros: partition.createdAtMicros.toString(),
    segmentsCount: partition.segmentsCount,
    currentOffset: partition.currentOffset.toString(),
    sizeBytes: partition.sizeBytes.toString(),
    messagesCount: partition.messagesCount.toString(),
  };
}

export function catalogView(entry: OptionDescription): ExplorerCatalogEntry {
  return {
    key: entry.key,
    kind: entry.kind,
    defaultValue: valueText(entry.defaultValue),
    description: entry.description,
  };
}

function headerText(value: UserHeaderValue): string {
  return valueText(value.value) ?? '';
}

/** One polled message, its payload cut to the preview size (copied, so the poll reply can be freed). */
export function messageView(message: PolledMessage): ExplorerMessage {
  const preview = message.payload.subarray(0, EXPLORER_LIMITS.previewBytes);
  const view: ExplorerMessage = {
    offset: message.offset.toString(),
    id: message.id.toString(),
    checksum: message.checksum.toString(16).padStart(16, '0'),
    timestampMicros: message.timestampMicros.toString(),
    originTimestampMicros: message.originTimestampMicros.toString(),
    payloadBytes: message.payload.length,
    payloadBase64: Buffer.from(preview).toString('base64'),
    payloadTruncated: message.payload.length > preview.length,
    headersBytes: message.userHeaders.length,
    headers: [],
  };
  if (message.userHeaders.length === 0) return view;
  try {
    view.headers = decodeUserHeaders(message.userHeaders).map((h) => ({
      key: h.key,
      kind: h.value.kind,
      value: headerText(h.value),
    }));
  } catch (error) {
    view.headers = null;
    view.headersError = error instanceof Error ? error.message : String(error);
    view.headersHex = Buffer.from(message.userHeaders.subarray(0, 1024)).toString('hex');
  }
  return view;
}
