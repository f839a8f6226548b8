/** The polling lab's words: how it names a strategy and why a poll returned what it did. */

import type { LabPollingStrategy, PollOutcome } from './contract';

/** "Offset(5)", "Timestamp(12:00:01.250)", "Next"… as the lab names a strategy. */
export function strategyLabel(strategy: LabPollingStrategy): string {
  switch (strategy.kind) {
    case 'offset':
      return `Offset(${strategy.value})`;
    case 'timestamp':
      return `Timestamp(${formatMicros(strategy.value)})`;
    case 'first':
      return 'First';
    case 'last':
      return 'Last';
    case 'next':
      return 'Next';
  }
}

/** µs since the epoch → "HH:MM:SS.mmm" UTC, the precision the lab's slider works at. */
export function formatMicros(micros: string | bigint): string {
  const ms = Number(BigInt(micros) / 1000n);
  return new Date(ms).toISOString().slice(11, 23);
}

const range = (offsets: string[]) =>
  offsets.length === 1 ? `offset ${offsets[0]}` : `offsets ${offsets[0]}–${offsets.at(-1)}`;

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const say = (n: number) => NUMBER_WORDS[n] ?? String(n);

/**
 * One line on why this poll returned what it did, in Iggy's terms. `messagesCount` is the
 * partition's size when the poll ran (the partition is empty when it is 0).
 */
export function explainPoll(outcome: PollOutcome, messagesCount: bigint): string {
  const { strategy, count, offsets, consumer, storedBefore, storedAfter, autoCommit } = outcome;
  const head = `${strategyLabel(strategy)}, count ${count}`;
  const got = offsets.length;
  const commit = commitNote(autoCommit, got, storedBefore, storedAfter);
  if (messagesCount === 0n) return `${head}: nothing — the partition is empty; fill it first.`;
  const newest = BigInt(outcome.currentOffset);
  let why: string;
  switch (strategy.kind) {
    case 'first':
      why = got > 0 ? `the oldest ${say(got)} from the start of the partition, ${range(offsets)}` : 'nothing';
      break;
    case 'last':
      why =
        got > 0
          ? `the newest ${say(got)}, ${range(offsets)}${got < count ? ` (the partition holds only ${got})` : ''}`
          : 'nothing';
      break;
    case 'offset': {
      const from = BigInt(strategy.value);
      if (got === 0)
        why = `nothing — offset ${from} is past the end (the newest message is offset ${newest}); Iggy answers an empty poll, not an error`;
      else
        why = `from offset ${from} onwards, ${range(offsets)}${got < count ? ` — only ${got} exist from there` : ''}`;
      break;
    }
    case 'next': {
      const start = storedBefore === null ? 0n : BigInt(storedBefore) + 1n;
      const basis =
        storedBefore === null
          ? `consumer "${consumer}" has no stored offset, so Next starts at offset 0`
          : `consumer "${consumer}" has stored offset ${storedBefore}, so Next starts at ${start}`;
      why =
        got > 0
          ? `${basis}: ${range(offsets)}`
          : `${basis}, and there is nothing there yet (the newest message is offset ${newest})`;
      break;
    }
    case 'timestamp':
      why =
        got > 0
          ? `the first message stamped at or after ${formatMicros(strategy.value)} is offset ${offsets[0]}: ${range(offsets)}`
          : `nothing — no message is stamped at or after ${formatMicros(strategy.value)}; it is newer than every message in the partition`;
      break;
  }
  return `${head}: ${why}. ${commit}`;
}

function commitNote(autoCommit: boolean, got: number, before: string | null, after: string | null): string {
  const show = (v: string | null) => (v === null ? 'none' : v);
  if (!autoCommit)
    return `Auto-commit off: the stored offset stays ${show(before)}${after !== before ? ` (it now reads ${show(after)})` : ''}.`;
  if (got === 0) return `Auto-commit on, but nothing came back, so the stored offset stays ${show(after)}.`;
  return `Auto-commit on: Iggy stored offset ${show(after)} (was ${show(before)}).`;
}
