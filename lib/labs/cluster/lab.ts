/**
 * The cluster lab: a one-partition topic `cluster` in the labs' stream, written through a cluster-aware
 * connection (it finds the primary and follows it), and a plain connection per node for what a follower
 * answers when asked directly. Every acknowledged offset goes into a bounded ledger, which a check compares
 * with what the primary returns after a failover. The lab never kills a node: the page shows the commands.
 * See docs/architecture.md#the-cluster-aware-connection.
 *
 * Over 400 lines on purpose: one short method per action (send, write to a follower, compare reads, check
 * the ledger, reset) plus the state read; the ledger, commands, limits and explanations are modules of their own.
 */

import {
  codeName,
  Consumer,
  IggyErrorCode,
  Partitioning,
  PollingStrategy,
  isIggyError,
  probeTcp,
  type ClusterNode,
  type FrameEvent,
  type IggyClient,
} from '@/lib/iggy';
import { isUnavailableError } from '@/lib/demo/errors';
import { actionResults } from '../action-result';
import { sendCli, shellQuote } from '../cli-equivalent';
import type { LabCli, LabResult } from '../contract';
import { LabError } from '../errors';
import { deleteTopicIfExists } from '../lab-topics';
import type { LabActionContext, LabClientTarget, LabHost } from '../runtime';
import type {
  ClusterAction,
  ClusterLabState,
  ClusterLabTypes,
  ClusterNodeView,
  CompareReadOutcome,
  FollowerAnswer,
  LedgerCheckOutcome,
  ReadSide,
} from './contract';
import { explainCheck, explainCompareRead, explainFollowerWrite, SINGLE_NODE_MESSAGE } from './explanations';
import { Ledger } from './ledger';
import { CLUSTER_LIMITS } from './limits';

export const CLUSTER_TOPIC = 'cluster';
export const CLUSTER_PARTITION = 0;
const CLUSTER: LabClientTarget = { kind: 'cluster' };
const WRITER = 'writer';
const READER = Consumer.single('cluster-lab-reader');
/** How long a follower may keep answering 58 before the lab stops asking (the client would retry for 30 s). */
export const FOLLOWER_WAIT_MS = 1_000;
/** A follower learns of a new topic one commit later: how long the lab waits for it to know the lab topic. */
const TOPIC_SPREAD_WAIT_MS = 5_000;
const PROBE_TIMEOUT_MS = 1_000;
/** One poll of the ledger check (the ledger holds at most CLUSTER_LIMITS.ledgerMax offsets). */
const CHECK_POLL_COUNT = 1_000;

export interface ClusterLabOptions {
  probe?: (host: string, port: number, timeoutMs: number) => Promise<boolean>;
  followerWaitMs?: number;
}

type Result<K extends ClusterAction['action'] = ClusterAction['action']> = LabResult<ClusterLabTypes, K>;
const result = actionResults<ClusterLabTypes>('cluster');

const nodeRole = (name: string) => `node:${name}`;

export class ClusterLab {
  readonly #host: LabHost;
  readonly #probe: (host: string, port: number, timeoutMs: number) => Promise<boolean>;
  readonly #followerWaitMs: number;
  readonly #ledger = new Ledger();
  /** The lab's connections by role, to count them per node (closed ones are skipped). */
  readonly #clients = new Map<string, IggyClient>();
  /** Node roles in the order they were last used, to close the oldest past the limit. */
  #nodeRoles: string[] = [];
  #roster: { name: string; nodes: ClusterNode[] } | undefined;
  #lastCheck: LedgerCheckOutcome | null = null;

  constructor(host: LabHost, options: ClusterLabOptions = {}) {
    this.#host = host;
    this.#probe = options.probe ?? probeTcp;
    this.#followerWaitMs = options.followerWaitMs ?? FOLLOWER_WAIT_MS;
  }

  get #target() {
    return { stream: this.#host.streamName, topic: CLUSTER_TOPIC, partitionId: CLUSTER_PARTITION };
  }

  async state(): Promise<ClusterLabState> {
    const base = {
      stream: this.#host.streamName,
      topic: CLUSTER_TOPIC,
      seeds: this.#host.seeds.map((s) => s.address),
      ledger: this.#ledger.view(),
      lastCheck: this.#lastCheck,
    };
    let partition: ClusterLabState['partition'] = null;
    let stale = false;
    try {
      partition = await this.#host.read(async (client) => {
        this.#clients.set('state', client);
        const metadata = await client.getClusterMetadata();
        this.#roster = { name: metadata.name, nodes: metadata.nodes };
        const topic = await client.getTopic(this.#host.streamName, CLUSTER_TOPIC);
        const p = topic?.partitions.find((x) => x.id === CLUSTER_PARTITION);
        return p
          ? { messagesCount: p.messagesCount.toString(), currentOffset: p.currentOffset.toString() }
          : null;
      }, CLUSTER);
    } catch (error) {
      if (!LabError.is(error) || error.code !== 'IGGY_UNAVAILABLE') throw error;
      stale = true;
    }
    const roster = this.#roster
      ? { ...this.#roster, nodes: await this.#nodeViews(this.#roster.nodes), stale }
      : null;
    return { ...base, iggy: this.#host.iggyStatus(), roster, partition };
  }

  async perform(action: ClusterAction): Promise<Result> {
    switch (action.action) {
      case 'send':
        return this.send(action.count);
      case 'writeFollower':
        return this.writeFollower(action.node);
      case 'compareRead':
        return this.compareRead(action);
      case 'checkLedger':
        return this.checkLedger();
      case 'reset':
        return this.reset();
    }
  }

  /** `count` messages, one send each, through the cluster-aware connection; each acknowledged offset is kept. */
  async send(count: number): Promise<Result<'send'>> {
    const recorded = await this.#host.act(async (ctx) => {
      const writer = await this.#writer(ctx);
      await this.#ensureTopic(ctx, writer);
      const offsets: string[] = [];
      let unknown = 0;
      for (let n = 0; n < count; n += 1) {
        const offset = await this.#sendOne(writer, `message ${n + 1} of ${count}`);
        if (offset === 'unknown') unknown += 1;
        else if (offset !== null) offsets.push(offset.toString());
      }
      return { offsets, unknown, node: nodeOf(writer) };
    });
    const { offsets, unknown, node } = recorded.value;
    return result('send', recorded, {
      explanation: `${node}, the primary, acknowledged ${offsets.length} send${offsets.length === 1 ? '' : 's'}${offsets.length > 0 ? ` (offset${offsets.length === 1 ? '' : 's'} ${range(offsets)})` : ''}; the ledger now holds ${this.#ledger.view().count}.${unknown > 0 ? ` ${unknown} lost ${unknown === 1 ? 'its' : 'their'} reply with the connection: maybe stored, not in the ledger.` : ''}`,
      outcome: { sent: offsets.length, offsets, node, outcomeUnknown: unknown },
      cli: sendCli(
        this.#target,
        ['{"text":"message 1"}'],
        'once per message; the CLI is pointed at the primary',
      ),
    });
  }

  /** The same message on a follower (plain connection: its refusal is shown) and then on the primary. */
  async writeFollower(name: string | undefined): Promise<Result<'writeFollower'>> {
    let followerAddress = '';
    const recorded = await this.#host.act(async (ctx) => {
      const writer = await this.#writer(ctx);
      const follower = await this.#follower(writer, name);
      followerAddress = follower.address;
      await this.#ensureTopic(ctx, writer);
      const client = await this.#nodeClient(ctx, follower);
      await this.#waitForTopic(client, follower.name);
      const answer = await this.#askFollower(client, follower);
      if (answer.status === 0) return { follower: answer, primary: null };
      if (answer.status !== IggyErrorCode.TransientNotAccepted) return { follower: answer, primary: null };
      const offset = await this.#sendOne(writer, `sent to the primary after ${follower.name} refused it`);
      const primary = typeof offset === 'bigint' ? { node: nodeOf(writer), offset: offset.toString() } : null;
      return { follower: answer, primary };
    });
    const outcome = recorded.value;
    return result('writeFollower', recorded, {
      explanation: explainFollowerWrite(outcome.follower, outcome.primary),
      outcome,
      cli: atNode(
        followerAddress,
        sendCli(
          this.#target,
          ['{"text":"to a follower"}'],
          'pointed at the follower; an SDK that knows clusters may move itself to the leader instead',
        ),
      ),
    });
  }

  /** The same poll (by offset, no commit) on a follower and on the primary; optionally right after a send. */
  async compareRead(
    request: Extract<ClusterAction, { action: 'compareRead' }>,
  ): Promise<Result<'compareRead'>> {
    let followerAddress = '';
    let from = 0n;
    const recorded = await this.#host.act(async (ctx): Promise<CompareReadOutcome> => {
      const writer = await this.#writer(ctx);
      const follower = await this.#follower(writer, request.node);
      followerAddress = follower.address;
      await this.#ensureTopic(ctx, writer);
      const client = await this.#nodeClient(ctx, follower);
      await this.#waitForTopic(client, follower.name);
      let sentFirst: bigint | null = null;
      if (request.sendFirst) {
        const offset = await this.#sendOne(writer, 'sent just before the reads');
        if (typeof offset === 'bigint') sentFirst = offset;
      }
      const newest =
        sentFirst ??
        (await writer.getTopic(this.#host.streamName, CLUSTER_TOPIC))?.partitions[0]?.currentOffset ??
        0n;
      from = newest + 1n > BigInt(request.count) ? newest + 1n - BigInt(request.count) : 0n;
      // The follower first: asked at once, before the primary's next message tells it about the last commit.
      const onFollower = await this.#bounded(client, this.#poll(client, from, request.count));
      const onPrimary = await this.#poll(writer, from, request.count);
      const side = (node: string, role: ReadSide['role'], polled: typeof onPrimary): ReadSide => ({
        node,
        role,
        offsets: polled.messages.map((m) => m.offset.toString()),
        currentOffset: polled.currentOffset.toString(),
      });
      const followerSide = side(follower.name, 'follower', onFollower);
      const primarySide = side(nodeOf(writer), 'leader', onPrimary);
      const seen = new Set(followerSide.offsets);
      return {
        fromOffset: from.toString(),
        count: request.count,
        sentFirst: sentFirst?.toString() ?? null,
        follower: followerSide,
        primary: primarySide,
        behindBy: primarySide.offsets.filter((o) => !seen.has(o)).length,
      };
    });
    return result('compareRead', recorded, {
      explanation: explainCompareRead(recorded.value),
      outcome: recorded.value,
      cli: atNode(followerAddress, {
        command: `iggy message poll --offset ${from} -m ${request.count} -c cluster-lab-reader ${shellQuote(this.#host.streamName)} ${CLUSTER_TOPIC} ${CLUSTER_PARTITION}`,
        note: 'the same line without --tcp-server-address asks the primary (if your CLI points there)',
      }),
    });
  }

  /** Polls the lab topic on the current primary and compares it with every acknowledged offset. */
  async checkLedger(): Promise<Result<'checkLedger'>> {
    const recorded = await this.#host.act(async (ctx): Promise<LedgerCheckOutcome> => {
      try {
        return await this.#check(await this.#writer(ctx));
      } catch (error) {
        // Only reads: after a failover the old connection fails once, and asking again on a new one is safe.
        if (!isUnavailableError(error)) throw error;
        this.#clients.delete(WRITER);
        await this.#host.release(WRITER);
        return this.#check(await this.#writer(ctx));
      }
    });
    this.#lastCheck = recorded.value;
    return result('checkLedger', recorded, {
      explanation: explainCheck(recorded.value),
      outcome: recorded.value,
      cli: {
        command: `iggy message poll --offset ${this.#ledger.view().firstOffset ?? 0} -m ${CHECK_POLL_COUNT} -c cluster-lab-reader ${shellQuote(this.#host.streamName)} ${CLUSTER_TOPIC} ${CLUSTER_PARTITION}`,
        note: 'then compare the offsets with the ones your sends were acknowledged with',
      },
    });
  }

  async #check(writer: IggyClient): Promise<LedgerCheckOutcome> {
    const offsets = this.#ledger.offsets;
    const present = new Set<bigint>();
    if (offsets.length > 0) {
      const first = offsets.reduce((a, b) => (b < a ? b : a));
      const last = offsets.reduce((a, b) => (b > a ? b : a));
      if (await writer.getTopic(this.#host.streamName, CLUSTER_TOPIC)) {
        let from = first;
        // Bounded: the ledger spans at most a few chunks unless the topic has many foreign messages.
        for (let round = 0; round < 8 && from <= last; round += 1) {
          const polled = await this.#poll(writer, from, CHECK_POLL_COUNT);
          if (polled.messages.length === 0) break;
          for (const m of polled.messages) present.add(m.offset);
          from = polled.messages.at(-1)!.offset + 1n;
        }
      }
    }
    return {
      checked: offsets.length,
      missing: this.#ledger.missingFrom(present).map(String),
      node: nodeOf(writer),
      checkedAt: new Date().toISOString(),
    };
  }

  async reset(): Promise<Result<'reset'>> {
    const recorded = await this.#host.act(async (ctx) => {
      const writer = await this.#writer(ctx);
      return deleteTopicIfExists(writer, this.#host.streamName, CLUSTER_TOPIC);
    });
    await this.#host.disconnect();
    this.#clients.clear();
    this.#nodeRoles = [];
    const cleared = this.#ledger.clear();
    this.#lastCheck = null;
    return result('reset', recorded, {
      explanation: `${recorded.value ? `Deleted topic ${CLUSTER_TOPIC}` : `Topic ${CLUSTER_TOPIC} did not exist`}, cleared the ledger (${cleared} offset${cleared === 1 ? '' : 's'}) and closed the lab's connections.`,
      outcome: { topicDeleted: recorded.value, ledgerCleared: cleared },
    });
  }

  // ─── connections ──────────────────────────────────────────────────────────

  /**
   * The cluster-aware connection. Labs do not reconnect in the background, so one that lost its node (the
   * primary was killed) is replaced: the new one looks for the primary through the seeds.
   */
  async #writer(ctx: LabActionContext): Promise<IggyClient> {
    const known = this.#clients.get(WRITER);
    if (known && known.state !== 'connected') {
      this.#clients.delete(WRITER);
      await this.#host.release(WRITER);
    }
    const writer = await ctx.client(WRITER, CLUSTER);
    this.#clients.set(WRITER, writer);
    return writer;
  }

  /** A plain connection to one node: it stays there, whatever that node answers. */
  async #nodeClient(ctx: LabActionContext, node: ClusterNode): Promise<IggyClient> {
    const role = nodeRole(node.name);
    this.#nodeRoles = [...this.#nodeRoles.filter((r) => r !== role), role];
    while (this.#nodeRoles.length > CLUSTER_LIMITS.nodeConnectionsMax) {
      const oldest = this.#nodeRoles.shift()!;
      this.#clients.delete(oldest);
      await this.#host.release(oldest);
    }
    const existing = this.#clients.get(role);
    if (existing && existing.state === 'closed') await this.#host.release(role);
    const client = await ctx.client(role, { kind: 'node', host: node.ip, port: node.tcpPort });
    this.#clients.set(role, client);
    return client;
  }

  /** The follower named `name`, or the first follower the app reaches. */
  async #follower(writer: IggyClient, name: string | undefined): Promise<ClusterNode> {
    const metadata = await writer.getClusterMetadata();
    this.#roster = { name: metadata.name, nodes: metadata.nodes };
    if (metadata.nodes.length <= 1) throw new LabError('BAD_REQUEST', SINGLE_NODE_MESSAGE);
    const followers = metadata.nodes.filter((n) => n.role === 'follower');
    if (name !== undefined) {
      const named = followers.find((n) => n.name === name);
      if (!named)
        throw new LabError(
          'BAD_REQUEST',
          `${name} is not a follower now; the followers are ${followers.map((n) => n.name).join(', ') || 'none'}`,
        );
      return named;
    }
    for (const node of followers) if (await this.#probe(node.ip, node.tcpPort, PROBE_TIMEOUT_MS)) return node;
    throw new LabError('IGGY_UNAVAILABLE', 'no follower answers a connection from the app right now');
  }

  // ─── requests ─────────────────────────────────────────────────────────────

  async #ensureTopic(ctx: LabActionContext, writer: IggyClient): Promise<void> {
    await ctx.ensureStream(writer);
    if (!(await writer.getTopic(this.#host.streamName, CLUSTER_TOPIC)))
      await writer.createTopic({ streamId: this.#host.streamName, name: CLUSTER_TOPIC, partitionsCount: 1 });
  }

  /** A follower knows a new topic one commit later; until then it answers a send with 20, not 58. */
  async #waitForTopic(client: IggyClient, node: string): Promise<void> {
    const deadline = Date.now() + TOPIC_SPREAD_WAIT_MS;
    for (;;) {
      if (await client.getTopic(this.#host.streamName, CLUSTER_TOPIC)) return;
      if (Date.now() >= deadline)
        throw new LabError(
          'BAD_REQUEST',
          `${node} does not know topic ${CLUSTER_TOPIC} yet (it applies commits a step behind the primary); try again in a moment`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** An acknowledged offset (kept in the ledger), 'unknown' when the reply was lost, null without an offset. */
  async #sendOne(writer: IggyClient, text: string): Promise<bigint | 'unknown' | null> {
    try {
      const sent = await writer.sendMessages({
        streamId: this.#host.streamName,
        topicId: CLUSTER_TOPIC,
        partitioning: Partitioning.partitionId(CLUSTER_PARTITION),
        messages: [{ payload: JSON.stringify({ text }) }],
      });
      if (sent.baseOffset === undefined) return null;
      this.#ledger.record(sent.baseOffset);
      return sent.baseOffset;
    } catch (error) {
      if (isIggyError(error) && error.kind === 'outcome-unknown') {
        this.#ledger.noteOutcomeUnknown();
        return 'unknown';
      }
      throw error;
    }
  }

  /**
   * One send on a plain connection to a follower. The client resends a 58 for a long while, so after
   * followerWaitMs the lab drops that connection (nothing was applied: a 58 stores nothing) and reports
   * what the node answered.
   */
  async #askFollower(client: IggyClient, node: ClusterNode): Promise<FollowerAnswer> {
    let answers = 0;
    let lastStatus: number | undefined;
    const stop = client.onFrame((frame: FrameEvent) => {
      if (frame.direction !== 'received' || frame.status === undefined) return;
      answers += 1;
      lastStatus = frame.status;
    });
    const timer = setTimeout(() => client.dropConnection(), this.#followerWaitMs);
    const answer = (status: number, offset: bigint | null): FollowerAnswer => ({
      node: node.name,
      address: node.address,
      status,
      statusName: status === 0 ? 'OK' : codeName(status),
      answers,
      offset: offset?.toString() ?? null,
    });
    try {
      const sent = await client.sendMessages({
        streamId: this.#host.streamName,
        topicId: CLUSTER_TOPIC,
        partitioning: Partitioning.partitionId(CLUSTER_PARTITION),
        messages: [{ payload: JSON.stringify({ text: `sent to ${node.name}, a follower` }) }],
      });
      if (sent.baseOffset !== undefined) this.#ledger.record(sent.baseOffset);
      return answer(0, sent.baseOffset ?? null);
    } catch (error) {
      if (lastStatus !== undefined && lastStatus !== 0) return answer(lastStatus, null);
      if (isIggyError(error) && error.kind === 'server') return answer(error.code, null);
      throw error;
    } finally {
      clearTimeout(timer);
      stop();
      if (client.state === 'closed') {
        this.#clients.delete(nodeRole(node.name));
        this.#nodeRoles = this.#nodeRoles.filter((r) => r !== nodeRole(node.name));
        await this.#host.release(nodeRole(node.name));
      }
    }
  }

  /** A read on a plain node connection, given up (connection dropped) after a few seconds. */
  async #bounded<T>(client: IggyClient, request: Promise<T>): Promise<T> {
    const timer = setTimeout(() => client.dropConnection(), this.#followerWaitMs * 4);
    try {
      return await request;
    } finally {
      clearTimeout(timer);
    }
  }

  #poll(client: IggyClient, from: bigint, count: number) {
    return client.pollMessages({
      consumer: READER,
      streamId: this.#host.streamName,
      topicId: CLUSTER_TOPIC,
      partitionId: CLUSTER_PARTITION,
      strategy: PollingStrategy.offset(from),
      count,
      autoCommit: false,
    });
  }

  async #nodeViews(nodes: ClusterNode[]): Promise<ClusterNodeView[]> {
    const reachable = await Promise.all(nodes.map((n) => this.#probe(n.ip, n.tcpPort, PROBE_TIMEOUT_MS)));
    const open = [...this.#clients.values()].filter((c) => c.state === 'connected');
    const writer = this.#clients.get(WRITER);
    const writerAt = writer?.state === 'connected' ? writer.address : undefined;
    return nodes.map((node, i) => ({
      name: node.name,
      address: node.address,
      role: node.role,
      reachable: reachable[i] ?? null,
      labConnections: open.filter((c) => sameAddress(c.address, node.address)).length,
      writer: writerAt !== undefined && sameAddress(writerAt, node.address),
    }));
  }
}

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The node a cluster-aware client works on, by its metadata name. */
function nodeOf(client: IggyClient): string {
  return client.cluster?.primary?.name ?? client.address;
}

function range(offsets: string[]): string {
  return offsets.length === 1 ? offsets[0]! : `${offsets[0]}–${offsets.at(-1)}`;
}

/** The CLI line aimed at one node (the flag the official CLI takes for its server address). */
function atNode(address: string, cli: LabCli): LabCli {
  if (address === '') return cli;
  return { ...cli, command: cli.command.replace(/^iggy /, `iggy --tcp-server-address ${address} `) };
}
