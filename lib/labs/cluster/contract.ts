/**
 * What the cluster lab's route accepts (zod, strict) and answers (types). The route imports the schemas; the
 * page imports only the types (`import type`). Offsets travel as decimal strings (u64).
 */

import { z } from 'zod';
import type { LabIggyStatus, LabTypes } from '../contract';
import { wholeNumber } from '../schema-parts';
import { CLUSTER_LIMITS } from './limits';

const nodeName = z
  .string({ error: 'node must be a string' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'node must be a node name as the roster lists it');

export const clusterActionSchema = z.discriminatedUnion(
  'action',
  [
    z
      .object({ action: z.literal('send'), count: wholeNumber('count', 1, CLUSTER_LIMITS.sendCountMax) })
      .strict(),
    z.object({ action: z.literal('writeFollower'), node: nodeName.optional() }).strict(),
    z
      .object({
        action: z.literal('compareRead'),
        node: nodeName.optional(),
        count: wholeNumber('count', 1, CLUSTER_LIMITS.readCountMax),
        sendFirst: z.boolean({ error: 'sendFirst must be true or false' }),
      })
      .strict(),
    z.object({ action: z.literal('checkLedger') }).strict(),
    z.object({ action: z.literal('reset') }).strict(),
  ],
  {
    error: 'action must be one of "send", "writeFollower", "compareRead", "checkLedger" or "reset"',
  },
);
export type ClusterAction = z.infer<typeof clusterActionSchema>;

// ─── responses ──────────────────────────────────────────────────────────────

export interface ClusterNodeView {
  name: string;
  /** Where the metadata says clients connect ("ip:port"). */
  address: string;
  role: 'leader' | 'follower';
  /** A bare TCP connect from the app answered (null: not probed yet). The metadata cannot tell. */
  reachable: boolean | null;
  /** The lab's own open connections to this node. */
  labConnections: number;
  /** The lab's cluster-aware writer works on this node now. */
  writer: boolean;
}

export interface ClusterRosterView {
  name: string;
  nodes: ClusterNodeView[];
  /** Read when the metadata could not be: the nodes as last seen, with fresh reachability. */
  stale: boolean;
}

export interface LedgerView {
  /** Offsets kept (at most CLUSTER_LIMITS.ledgerMax). */
  count: number;
  /** Older offsets dropped to keep the ledger bounded. */
  dropped: number;
  firstOffset: string | null;
  lastOffset: string | null;
  /** Sends whose reply was lost with a connection: maybe stored, never in the ledger. */
  outcomeUnknown: number;
}

export interface LedgerCheckOutcome {
  checked: number;
  /** Acknowledged offsets the primary no longer has (empty: all survived). */
  missing: string[];
  /** The node that answered the check. */
  node: string;
  /** ISO time of the check. */
  checkedAt: string;
}

export interface ClusterLabState {
  iggy: LabIggyStatus;
  stream: string;
  topic: string;
  /** IGGY_URL's addresses, "host:port" each (never credentials). */
  seeds: string[];
  /** null: not read yet (or Iggy unreachable from the start). One node: a single server, no followers. */
  roster: ClusterRosterView | null;
  partition: { messagesCount: string; currentOffset: string } | null;
  ledger: LedgerView;
  lastCheck: LedgerCheckOutcome | null;
}

export interface ClusterSendOutcome {
  sent: number;
  offsets: string[];
  /** The node that accepted the sends. */
  node: string;
  outcomeUnknown: number;
}

export interface FollowerAnswer {
  node: string;
  address: string;
  /** 0: accepted (this node leads the partition after all); else Iggy's status code, 58 for a follower. */
  status: number;
  statusName: string;
  /** How many times the node answered before the lab stopped asking. */
  answers: number;
  /** Set when the node accepted the write. */
  offset: string | null;
}

export interface WriteFollowerOutcome {
  follower: FollowerAnswer;
  /** The same message, sent through the cluster-aware connection. */
  primary: { node: string; offset: string } | null;
}

export interface ReadSide {
  node: string;
  role: 'leader' | 'follower';
  offsets: string[];
  /** The newest offset the node reported for the partition. */
  currentOffset: string;
}

export interface CompareReadOutcome {
  fromOffset: string;
  count: number;
  sentFirst: string | null;
  follower: ReadSide;
  primary: ReadSide;
  /** How many messages the primary returned that the follower did not. */
  behindBy: number;
}

export interface ClusterResetOutcome {
  topicDeleted: boolean;
  ledgerCleared: number;
}

/** The cluster lab's actions, outcomes and state, as its route and its page both see them. */
export interface ClusterLabTypes extends LabTypes {
  name: 'cluster';
  actions: ClusterAction;
  outcomes: {
    send: ClusterSendOutcome;
    writeFollower: WriteFollowerOutcome;
    compareRead: CompareReadOutcome;
    checkLedger: LedgerCheckOutcome;
    reset: ClusterResetOutcome;
  };
  state: ClusterLabState;
}
