// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { topicWatch } from '@/app/_components/dashboard/dashboard';

type Answer = 'found' | 'missing' | 'unavailable';

/** Feeds a sequence of /api/topology answers and returns after which ones the timeline was cleared. */
function run(answers: Answer[]): number[] {
  let seen = false;
  const cleared: number[] = [];
  answers.forEach((answer, index) => {
    const next = topicWatch(seen, { topicFound: answer === 'found', topicMissing: answer === 'missing' });
    seen = next.seen;
    if (next.clearTimeline) cleared.push(index);
  });
  return cleared;
}

describe('topicWatch', () => {
  it('keeps the first messages when "not found yet" arrives late at start-up', () => {
    expect(run(['missing', 'missing', 'found', 'found'])).toEqual([]);
  });
  it('clears once when a topic that existed disappears, and again only after it came back', () => {
    expect(run(['found', 'missing', 'missing', 'found', 'missing'])).toEqual([1, 4]);
  });
  it('does not clear while Iggy is merely unreachable', () => {
    expect(run(['found', 'unavailable', 'unavailable', 'found'])).toEqual([]);
  });
});
