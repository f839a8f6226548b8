import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  emptyLedger,
  estimateFromPartition,
  extendEstimate,
  messageWeight,
  recordBatch,
} from '@/lib/labs/durability/journal';
import { RESTART_SETUPS } from '@/lib/labs/durability/commands';
import { settingsOf } from '@/lib/labs/durability/catalog';
import type { ReportedTopicOption } from '@/lib/iggy';

const thresholds = { messages: 10, bytes: 1_048_576n };
const ones = (n: number, weight = 100n) => Array.from({ length: n }, () => weight);

describe('the lab’s model of a partition journal', () => {
  it('holds messages until the count threshold, then writes the whole journal', () => {
    let ledger = emptyLedger();
    for (let i = 0; i < 9; i += 1) ledger = recordBatch(ledger, ones(1), thresholds);
    expect(ledger).toMatchObject({ accounted: 9n, count: 9, bytes: 900n });
    ledger = recordBatch(ledger, ones(1), thresholds);
    expect(ledger).toMatchObject({ accounted: 10n, count: 0, bytes: 0n });
  });

  it('writes the batch that crosses the line with the rest, so one big batch leaves nothing behind', () => {
    const ledger = recordBatch(recordBatch(emptyLedger(), ones(3), thresholds), ones(25), thresholds);
    expect(ledger).toMatchObject({ accounted: 28n, count: 0 });
  });

  it('flushes on the size threshold before the count threshold when messages are heavy', () => {
    const small = { messages: 1024, bytes: 1000n };
    const ledger = recordBatch(recordBatch(emptyLedger(), ones(1, 600n), small), ones(1, 600n), small);
    expect(ledger.count).toBe(0);
    expect(messageWeight(52)).toBe(100n);
  });

  it('estimates from the partition alone, or continues a known journal with another sender’s messages', () => {
    expect(estimateFromPartition(25n, 2500n, thresholds)).toMatchObject({
      count: 5,
      bytes: 500n,
      basis: 'partition-count',
    });
    expect(estimateFromPartition(0n, 0n, thresholds).count).toBe(0);
    // Heavy messages: the size threshold (10 × 150 000 B > 1 MiB) flushes every 6 messages.
    expect(estimateFromPartition(9n, 1_350_000n, thresholds).count).toBe(3);
    const known = { accounted: 12n, count: 2, bytes: 200n, basis: 'lab-sends' as const };
    expect(extendEstimate(known, 15n, 1500n, thresholds)).toMatchObject({ accounted: 15n, count: 5 });
    expect(extendEstimate(known, 20n, 2000n, thresholds).count).toBe(0);
  });
});

describe('what the lab shows of a topic’s settings', () => {
  const option = (
    key: string,
    kind: ReportedTopicOption['kind'],
    value: ReportedTopicOption['value'],
    explicit: boolean,
  ): ReportedTopicOption => ({ key, kind, value, explicit });

  it('shows the flush settings the topic reports, sent at creation or the server’s default, in a fixed order', () => {
    const reported = [
      option('messages_required_to_save', 'uint32', 10, true),
      option('durability', 'string', 'persisted', true),
      option('segment_size', 'uint64', 1_073_741_824n, false),
      option('size_of_messages_required_to_save', 'uint64', 1_048_576n, false),
    ];
    expect(settingsOf(reported)).toEqual([
      { key: 'messages_required_to_save', value: '10', source: 'explicit' },
      { key: 'size_of_messages_required_to_save', value: '1048576', source: 'default' },
      { key: 'durability', value: 'persisted', source: 'explicit' },
    ]);
  });

  it('shows an edge build’s enforce_fsync default and skips options reported without a value', () => {
    expect(
      settingsOf([
        option('enforce_fsync', 'bool', false, false),
        option('messages_required_to_save', 'uint32', null, false),
      ]),
    ).toEqual([{ key: 'enforce_fsync', value: 'false', source: 'default' }]);
    expect(settingsOf([])).toEqual([]);
  });
});

describe('the crash and restart commands', () => {
  const guide = readFileSync('docs/getting-started.md', 'utf8').replace(/\\\n\s*/g, '');

  it('are the ones docs/getting-started.md step 9 gives, for both setups', () => {
    for (const setup of RESTART_SETUPS)
      for (const step of [...setup.crash, ...setup.graceful]) {
        expect(guide, `${setup.id}: ${step.command}`).toContain(step.command);
      }
    expect(RESTART_SETUPS.map((s) => s.id)).toEqual(['docker', 'binary']);
  });
});
