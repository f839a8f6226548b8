// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { formatBigDecimal, formatCount, formatRate } from '@/app/_components/format';
import { formatBytes, formatClock, formatLatency } from '@/app/_components/format-detail';

describe('formatBigDecimal', () => {
  it('groups u64 values beyond 2^53 without losing digits', () => {
    expect(formatBigDecimal('18446744073709551615')).toBe('18,446,744,073,709,551,615');
    expect(formatBigDecimal(9007199254740993n)).toBe('9,007,199,254,740,993');
  });
  it('leaves short numbers alone and shows a dash for missing values', () => {
    expect(formatBigDecimal('0')).toBe('0');
    expect(formatBigDecimal('999')).toBe('999');
    expect(formatBigDecimal('1000')).toBe('1,000');
    expect(formatBigDecimal(null)).toBe('—');
    expect(formatBigDecimal(undefined)).toBe('—');
  });
  it('returns non-numeric text unchanged instead of inventing digits', () => {
    expect(formatBigDecimal('abc')).toBe('abc');
  });
});

describe('formatLatency', () => {
  it('uses ms under a second, then seconds, minutes and hours', () => {
    expect(formatLatency(0)).toBe('0 ms');
    expect(formatLatency(12.4)).toBe('12 ms');
    expect(formatLatency(999)).toBe('999 ms');
    expect(formatLatency(1_500)).toBe('1.5 s');
    expect(formatLatency(125_000)).toBe('2 min');
    expect(formatLatency(7_300_000)).toBe('2 h');
  });
  it('clamps clock skew (negative) to 0 and shows a dash for unknown', () => {
    expect(formatLatency(-40)).toBe('0 ms');
    expect(formatLatency(null)).toBe('—');
    expect(formatLatency(Number.NaN)).toBe('—');
  });
});

describe('other formats', () => {
  it('formats counts and rates with grouping', () => {
    expect(formatCount(1000)).toBe('1,000');
    expect(formatRate(1000)).toBe('1,000/s');
    expect(formatRate(0.5)).toBe('0.5/s');
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe('—');
  });
  it('formats sizes in binary units', () => {
    expect(formatBytes('512')).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(formatBytes('5242880')).toBe('5.0 MiB');
    expect(formatBytes('nope')).toBe('—');
  });
  it('renders a clock with milliseconds and passes non-dates through as text', () => {
    const iso = new Date(2026, 0, 2, 3, 4, 5, 67).toISOString();
    expect(formatClock(iso)).toBe('03:04:05.067');
    expect(formatClock('<img src=x>')).toBe('<img src=x>');
    expect(formatClock(undefined)).toBe('—');
  });
});
