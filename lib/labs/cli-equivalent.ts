/**
 * The same request with the official `iggy` CLI, in the command shapes seen working against a real
 * server (real-server-docs/iggy-concepts.md): `message poll (--offset N | --first | --last | --next)
 * [-m COUNT] [-c CONSUMER] [-a] STREAM TOPIC PARTITION`, `message send STREAM TOPIC [MESSAGES]…`,
 * `consumer-offset get CONSUMER STREAM TOPIC PARTITION`, `topic list STREAM`, `options topic`,
 * `consumer-group list|get STREAM TOPIC [GROUP]`. Where no verified shape
 * exists (Timestamp polling, sending to a partition id or with a key) the lab shows none rather than
 * guess at flags. Credentials and the server address are left to the reader's own CLI setup.
 */

import type { LabCli } from './contract';
import type { LabPollingStrategy } from './polling/contract';

/** POSIX-shell quoting: bare when safe, otherwise single quotes with embedded quotes escaped. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9._\-/:@%+=,]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function pollCli(
  target: { stream: string; topic: string; partitionId: number },
  request: { strategy: LabPollingStrategy; count: number; consumer: string; autoCommit: boolean },
): LabCli | undefined {
  let strategyFlag: string;
  switch (request.strategy.kind) {
    case 'offset':
      strategyFlag = `--offset ${request.strategy.value}`;
      break;
    case 'first':
      strategyFlag = '--first';
      break;
    case 'last':
      strategyFlag = '--last';
      break;
    case 'next':
      strategyFlag = '--next';
      break;
    case 'timestamp':
      return undefined;
  }
  const parts = [
    'iggy message poll',
    strategyFlag,
    `-m ${request.count}`,
    `-c ${shellQuote(request.consumer)}`,
    ...(request.autoCommit ? ['-a'] : []),
    shellQuote(target.stream),
    shellQuote(target.topic),
    String(target.partitionId),
  ];
  return { command: parts.join(' ') };
}

export function consumerOffsetCli(target: {
  stream: string;
  topic: string;
  partitionId: number;
  consumer: string;
}): LabCli {
  return {
    command: `iggy consumer-offset get ${shellQuote(target.consumer)} ${shellQuote(target.stream)} ${shellQuote(target.topic)} ${target.partitionId}`,
  };
}

/** One CLI send per payload: `message send` lets Iggy pick the partition (Balanced). */
export function sendCli(
  target: { stream: string; topic: string },
  payloads: string[],
  note?: string,
): LabCli {
  const cli: LabCli = {
    command: [
      'iggy message send',
      shellQuote(target.stream),
      shellQuote(target.topic),
      ...payloads.map(shellQuote),
    ].join(' '),
  };
  if (note !== undefined) cli.note = note;
  return cli;
}

/** Read one partition from the start: how to check with the CLI where messages landed. */
export function readPartitionCli(target: {
  stream: string;
  topic: string;
  partitionId: number;
  count: number;
}): LabCli {
  return {
    command: `iggy message poll --first -m ${target.count} ${shellQuote(target.stream)} ${shellQuote(target.topic)} ${target.partitionId}`,
  };
}

export function topicListCli(stream: string): LabCli {
  return { command: `iggy topic list ${shellQuote(stream)}` };
}

/** The server's catalog of topic options (DescribeOptions), as the CLI prints it. */
export function optionsTopicCli(): LabCli {
  return { command: 'iggy options topic' };
}

/** `consumer-group get STREAM TOPIC GROUP` (members and their partitions), or `list` without a group. */
export function consumerGroupCli(target: { stream: string; topic: string; group?: string }): LabCli {
  const where = `${shellQuote(target.stream)} ${shellQuote(target.topic)}`;
  return target.group === undefined
    ? { command: `iggy consumer-group list ${where}` }
    : { command: `iggy consumer-group get ${where} ${shellQuote(target.group)}` };
}
