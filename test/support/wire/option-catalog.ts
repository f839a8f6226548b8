import { WireWriter } from './bytes';
import { type TlvField, boolField, stringField, uint32Field, uint64Field } from './options';
import { DEFAULT_TOPIC_SETTINGS, type TopicOptionsFlavor, U64_MAX } from './topic-options';

/** DescribeOptions (read code 13, docs/architecture.md#topic-options-on-the-wire): the option catalog of one scope. */

export const OptionScope = { Topic: 1, Stream: 2, User: 3 } as const;

export interface CatalogEntry {
  key: string;
  defaultValue: TlvField;
  description: string;
}

const d = DEFAULT_TOPIC_SETTINGS;

/** The order the edge build listed them in; the released build's two durability keys come last. */
const TOPIC_CATALOG: readonly (CatalogEntry & { only?: TopicOptionsFlavor })[] = [
  {
    key: 'compression_algorithm',
    defaultValue: stringField('none'),
    description: 'Compression recorded for the topic: none or gzip.',
  },
  {
    key: 'message_expiry',
    defaultValue: uint64Field(d.messageExpiryMicros),
    description: 'How long messages are kept, in microseconds; the maximum means they never expire.',
  },
  {
    key: 'max_topic_size',
    defaultValue: uint64Field(U64_MAX),
    description: 'Upper bound of the topic size in bytes; the maximum means unlimited.',
  },
  {
    key: 'segment_size',
    defaultValue: uint64Field(d.segmentSizeBytes),
    description: 'Size in bytes at which a partition starts a new segment file.',
  },
  {
    key: 'enforce_fsync',
    defaultValue: boolField(false),
    description: 'Adds an fsync to each journal flush; it does not flush every message.',
    only: 'edge',
  },
  {
    key: 'messages_required_to_save',
    defaultValue: uint32Field(d.messagesRequiredToSave),
    description:
      'Messages a partition journal collects before it is written to disk; a crash loses what was not written.',
  },
  {
    key: 'size_of_messages_required_to_save',
    defaultValue: uint64Field(d.sizeOfMessagesRequiredToSave),
    description: 'Bytes of messages a partition journal collects before it is written to disk.',
  },
  {
    key: 'preallocate_segments',
    defaultValue: boolField(false),
    description: 'Reserve the full segment size on disk when a segment is created.',
  },
  {
    key: 'durability',
    defaultValue: stringField(d.durability),
    description:
      'replicated: a send is acknowledged from memory; persisted: only once stable storage holds it.',
    only: 'release',
  },
  {
    key: 'consumer_offset_durability',
    defaultValue: stringField(d.consumerOffsetDurability),
    description: 'The same choice as durability, for stored consumer offsets.',
    only: 'release',
  },
];

/** Undefined for a scope the server does not know (the caller refuses the request). */
export function optionCatalog(scope: number, flavor: TopicOptionsFlavor): CatalogEntry[] | undefined {
  switch (scope) {
    case OptionScope.Topic:
      return TOPIC_CATALOG.filter((entry) => entry.only === undefined || entry.only === flavor);
    case OptionScope.Stream: // streams accept no option key at all (docs/architecture.md#shared-encodings)
    case OptionScope.User: // the test server has no user options (user commands are not implemented)
      return [];
    default:
      return undefined;
  }
}

/** `[count u32]` then per entry `[key WireName][kind u8][len u32][default][len u32][description]`. */
export function encodeOptionCatalog(entries: readonly CatalogEntry[]): Buffer {
  const w = new WireWriter().u32(entries.length);
  for (const entry of entries) {
    const description = Buffer.from(entry.description, 'utf8');
    w.wireName(entry.key)
      .u8(entry.defaultValue.kind)
      .u32(entry.defaultValue.data.length)
      .bytes(entry.defaultValue.data)
      .u32(description.length)
      .bytes(description);
  }
  return w.toBuffer();
}
