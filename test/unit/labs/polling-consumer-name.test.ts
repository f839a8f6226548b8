import { describe, expect, it } from 'vitest';
import { consumerNameSchema } from '@/lib/labs/polling/contract';
import { isConsumerName } from '@/lib/labs/polling/limits';

describe("the polling page's consumer-name check", () => {
  it('accepts exactly what the route accepts', () => {
    const names = [
      'lab-reader',
      'a',
      '7.x_y-z',
      'a'.repeat(32),
      'a'.repeat(33),
      '',
      '-leading-dash',
      '.dot',
      'with space',
      'ümlaut',
      'name/slash',
    ];
    for (const name of names) {
      expect(isConsumerName(name), name).toBe(consumerNameSchema.safeParse(name).success);
    }
    expect(isConsumerName('a'.repeat(33))).toBe(false);
    expect(isConsumerName('lab-reader')).toBe(true);
  });
});
