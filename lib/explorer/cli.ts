/**
 * The explorer's views with the official `iggy` CLI, in the command shapes seen working against a real
 * server (see lib/labs/cli-equivalent.ts). Timestamp polling and sending with a partition id, a key or
 * user headers have no verified CLI shape, so those views show none rather than guess at flags.
 */
import { pollCli, sendCli, shellQuote, topicListCli } from '@/lib/labs/cli-equivalent';
import type { ExplorerCli } from './contract';

export function streamListCli(): ExplorerCli {
  return { command: 'iggy stream list', note: 'then `iggy topic list STREAM` for each stream' };
}

/** `topic list` is the verified shape; it prints every topic of the stream with its partition count. */
export function topicCli(stream: string): ExplorerCli {
  return topicListCli(stream);
}

export function browseCli(
  target: { stream: string; topic: string; partitionId: number },
  seek: 'offset' | 'timestamp' | 'first' | 'last',
  value: string | undefined,
  count: number,
  consumer: string,
): ExplorerCli | undefined {
  if (seek === 'timestamp') return undefined;
  const strategy = seek === 'offset' ? { kind: 'offset' as const, value: value ?? '0' } : { kind: seek };
  return pollCli(target, { strategy, count, consumer, autoCommit: false });
}

export function sendMessageCli(
  stream: string,
  topic: string,
  text: string | undefined,
  plain: boolean,
): ExplorerCli | undefined {
  if (!plain || text === undefined) return undefined;
  return sendCli({ stream, topic }, [text]);
}

export function groupListCli(stream: string, topic: string): ExplorerCli {
  return {
    command: `iggy consumer-group list ${shellQuote(stream)} ${shellQuote(topic)}`,
    note: '`iggy consumer-group get STREAM TOPIC GROUP` for members; `iggy consumer-offset get CONSUMER STREAM TOPIC PARTITION` for a stored offset',
  };
}
