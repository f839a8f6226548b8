// Formatting for counters, offsets and times. Fixed locale so server and browser render the same text.

const LOCALE = 'en-US';
const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });

export function formatCount(value: number): string {
  return Number.isFinite(value) ? integer.format(value) : '—';
}

/** Groups a u64/u128 decimal string (e.g. "1234567" → "1,234,567") without going through a lossy number. */
export function formatBigDecimal(value: string | bigint | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const text = typeof value === 'bigint' ? value.toString() : value;
  if (!/^-?\d+$/.test(text)) return text;
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return negative ? '-' + grouped : grouped;
}

const rateFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });

/** Messages per second; keeps one decimal so a slow 0.5/s does not read as 1/s. */
export function formatRate(perSec: number): string {
  return Number.isFinite(perSec) ? `${rateFormat.format(perSec)}/s` : '—';
}
