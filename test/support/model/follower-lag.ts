import type { ConsumerGroupState, IggyState, PartitionState, StreamState, TopicState } from './state';

/**
 * What a follower has applied (docs/iggy-concepts.md#replication-and-clusters): the primary commits an
 * operation once a quorum holds it and tells the backups about that commit with its next message — the
 * next prepare of the same consensus plane, or the periodic commit broadcast. So a follower is one commit
 * behind on each plane until the next commit or until `commitBroadcastIntervalMs` passed (real default
 * `commit_broadcast_interval` 500 ms). The real cluster showed it: 50 acknowledged sends, a follower polled 49.
 *
 * Planes: the metadata plane (one for the cluster) and one plane per partition (messages and stored consumer
 * offsets). The model keeps the newest commit of each plane with enough to undo it, and builds a follower's
 * view of the shared state by undoing the commits the follower has not applied yet. Undone on the metadata
 * plane: creating a stream, topic or consumer group (the follower does not know it yet); other metadata
 * commits (deletes, purges, partition counts, joins, sessions) reach followers at once — a simplification.
 */

export type MetadataCommit =
  | { kind: 'create-stream'; stream: StreamState }
  | { kind: 'create-topic'; stream: StreamState; topic: TopicState }
  | { kind: 'create-group'; stream: StreamState; topic: TopicState; group: ConsumerGroupState }
  | { kind: 'other' };

interface Located {
  stream: StreamState;
  topic: TopicState;
  partition: PartitionState;
}

type PartitionCommit = Located &
  (
    | { kind: 'append'; nextOffset: bigint; messagesCount: bigint; sizeBytes: bigint }
    | { kind: 'offset'; offsets: Map<number, bigint>; key: number; previous: bigint | undefined }
  ) & { atMs: number };

/** Which stored-offset map of a partition: plain consumers or consumer groups. */
export type OffsetKind = 'consumer' | 'group';

/** A follower's own auto-commit: kept in its memory only, never replicated. */
interface LocalOffset extends Located {
  node: number;
  kind: OffsetKind;
  key: number;
  offset: bigint;
}

/** Copies in a follower view → the shared objects they were copied from. */
const originals = new WeakMap<object, object>();

/** The shared object behind a follower view's copy (the object itself when it is not a copy). */
export function originalOf<T extends object>(value: T): T {
  return (originals.get(value) as T | undefined) ?? value;
}

export class FollowerLag {
  readonly #intervalMs: number;
  readonly #now: () => number;
  #metadata: (MetadataCommit & { atMs: number }) | undefined;
  readonly #partitions = new Map<PartitionState, PartitionCommit>();
  #local: LocalOffset[] = [];

  constructor(commitBroadcastIntervalMs: number, now: () => number) {
    this.#intervalMs = commitBroadcastIntervalMs;
    this.#now = now;
  }

  /** Before a send appends to `where.partition`: remembers what a follower still sees. */
  beforeAppend(where: Located): void {
    const { partition } = where;
    this.#partitions.set(partition, {
      ...where,
      kind: 'append',
      nextOffset: partition.nextOffset,
      messagesCount: partition.messagesCount,
      sizeBytes: partition.sizeBytes,
      atMs: this.#now(),
    });
  }

  /** Before a stored offset changes (store, delete, auto-commit): the value a follower still sees. */
  beforeOffsetChange(where: Located, offsets: Map<number, bigint>, key: number): void {
    // The primary's commit reaches the followers and overwrites what they stored on their own.
    const kind: OffsetKind = offsets === where.partition.consumerOffsets ? 'consumer' : 'group';
    this.#local = this.#local.filter(
      (l) => !(l.partition === where.partition && l.kind === kind && l.key === key),
    );
    this.#partitions.set(where.partition, {
      ...where,
      kind: 'offset',
      offsets,
      key,
      previous: offsets.get(key),
      atMs: this.#now(),
    });
  }

  /**
   * A poll with auto-commit served by a follower: the real follower keeps that offset in its own memory (it
   * reads it back itself), the primary and the other nodes never see it. `where` may be a follower view's copy.
   */
  storeOnFollower(node: number, where: Located, kind: OffsetKind, key: number, offset: bigint): void {
    const located = {
      stream: originalOf(where.stream),
      topic: originalOf(where.topic),
      partition: originalOf(where.partition),
    };
    this.#local = this.#local.filter(
      (l) => !(l.node === node && l.partition === located.partition && l.kind === kind && l.key === key),
    );
    this.#local.push({ ...located, node, kind, key, offset });
  }

  /** A killed node forgets what it kept in memory. */
  forgetNode(node: number): void {
    this.#local = this.#local.filter((l) => l.node !== node);
  }

  metadataCommitted(commit: MetadataCommit): void {
    this.#metadata = { ...commit, atMs: this.#now() };
  }

  /** Commits followers have not applied yet (for tests and logs). */
  pendingCount(): number {
    this.#expire();
    return this.#partitions.size + (this.#metadata && this.#metadata.kind !== 'other' ? 1 : 0);
  }

  /** The shared state as follower `node` sees it now: copies along the paths that changed, the rest shared. */
  followerView(state: IggyState, node = -1): IggyState {
    this.#expire();
    const metadata = this.#metadata?.kind === 'other' ? undefined : this.#metadata;
    const local = this.#local.filter((l) => l.node === node);
    if (!metadata && this.#partitions.size === 0 && local.length === 0) return state;
    const copy = new CopyOnWrite(state);
    if (metadata?.kind === 'create-stream') copy.hideStream(metadata.stream);
    if (metadata?.kind === 'create-topic') copy.hideTopic(metadata.stream, metadata.topic);
    if (metadata?.kind === 'create-group') copy.hideGroup(metadata.stream, metadata.topic, metadata.group);
    for (const commit of this.#partitions.values()) {
      const partition = copy.partition(commit);
      if (!partition) continue;
      if (commit.kind === 'append') {
        partition.nextOffset = commit.nextOffset;
        partition.messagesCount = commit.messagesCount;
        partition.sizeBytes = commit.sizeBytes;
        // Batches stay shared: every read stops at nextOffset.
      } else {
        const offsets = new Map(commit.offsets);
        if (commit.previous === undefined) offsets.delete(commit.key);
        else offsets.set(commit.key, commit.previous);
        if (commit.offsets === commit.partition.consumerOffsets) partition.consumerOffsets = offsets;
        else partition.groupOffsets = offsets;
      }
    }
    for (const entry of local) {
      const partition = copy.partition(entry);
      if (!partition) continue;
      if (entry.kind === 'consumer')
        partition.consumerOffsets = new Map(partition.consumerOffsets).set(entry.key, entry.offset);
      else partition.groupOffsets = new Map(partition.groupOffsets).set(entry.key, entry.offset);
    }
    return copy.view();
  }

  #expire(): void {
    const now = this.#now();
    if (this.#metadata && now - this.#metadata.atMs >= this.#intervalMs) this.#metadata = undefined;
    for (const [partition, commit] of this.#partitions) {
      if (now - commit.atMs >= this.#intervalMs) this.#partitions.delete(partition);
    }
  }
}

/** Shallow copies of the streams, topics and partitions a follower sees differently; everything else shared. */
class CopyOnWrite {
  readonly #state: IggyState;
  readonly #streams: Map<number, StreamState>;
  readonly #streamCopies = new Map<StreamState, StreamState>();
  readonly #topicCopies = new Map<TopicState, TopicState>();
  readonly #partitionCopies = new Map<PartitionState, PartitionState>();

  constructor(state: IggyState) {
    this.#state = state;
    this.#streams = new Map(state.streams);
  }

  hideStream(stream: StreamState): void {
    if (this.#streams.get(stream.id) === stream) this.#streams.delete(stream.id);
  }

  hideTopic(stream: StreamState, topic: TopicState): void {
    const streamCopy = this.#stream(stream);
    if (streamCopy && streamCopy.topics.get(topic.id) === topic) streamCopy.topics.delete(topic.id);
  }

  hideGroup(stream: StreamState, topic: TopicState, group: ConsumerGroupState): void {
    const topicCopy = this.#topic(stream, topic);
    if (topicCopy && topicCopy.groups.get(group.id) === group) topicCopy.groups.delete(group.id);
  }

  /** A private copy of the partition, or undefined when it is no longer reachable (deleted, hidden). */
  partition({ stream, topic, partition }: Located): PartitionState | undefined {
    const existing = this.#partitionCopies.get(partition);
    if (existing) return existing;
    const topicCopy = this.#topic(stream, topic);
    if (!topicCopy) return undefined;
    const index = topicCopy.partitions.indexOf(partition);
    if (index < 0) return undefined;
    const copy = { ...partition };
    originals.set(copy, partition);
    this.#partitionCopies.set(partition, copy);
    topicCopy.partitions[index] = copy;
    return copy;
  }

  view(): IggyState {
    const state = this.#state;
    const view = Object.create(state) as IggyState;
    Object.defineProperty(view, 'streams', { value: this.#streams });
    // One clock for every view: timestamps stay strictly increasing across primary and follower reads.
    Object.defineProperty(view, 'nowMicros', { value: () => state.nowMicros() });
    return view;
  }

  #stream(stream: StreamState): StreamState | undefined {
    const existing = this.#streamCopies.get(stream);
    if (existing) return existing;
    if (this.#streams.get(stream.id) !== stream) return undefined;
    const copy = { ...stream, topics: new Map(stream.topics) };
    originals.set(copy, stream);
    this.#streamCopies.set(stream, copy);
    this.#streams.set(stream.id, copy);
    return copy;
  }

  #topic(stream: StreamState, topic: TopicState): TopicState | undefined {
    const existing = this.#topicCopies.get(topic);
    if (existing) return existing;
    const streamCopy = this.#stream(stream);
    if (!streamCopy || streamCopy.topics.get(topic.id) !== topic) return undefined;
    const copy = { ...topic, partitions: [...topic.partitions], groups: new Map(topic.groups) };
    originals.set(copy, topic);
    this.#topicCopies.set(topic, copy);
    streamCopy.topics.set(topic.id, copy);
    return copy;
  }
}
