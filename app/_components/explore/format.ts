// Formatting for the explorer: full UTC times with microseconds, sizes, and the explorer's links.

/** µs since the epoch (decimal string) → `2026-12-06 14:49:01.123456 UTC`; exact, no float rounding. */
export function formatMicrosUtc(micros: string): string {
  if (!/^\d+$/.test(micros)) return micros;
  const value = BigInt(micros);
  const date = new Date(Number(value / 1000n));
  if (Number.isNaN(date.getTime())) return micros;
  const fraction = (value % 1_000_000n).toString().padStart(6, '0');
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}.${fraction} UTC`;
}

/** A datetime-local value, read as UTC → µs since the epoch (decimal), or undefined when invalid. */
export function utcInputToMicros(input: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/.exec(input);
  if (!match) return undefined;
  const ms = Date.parse(`${match[1]}T${match[2]}:${match[3] ?? '00'}Z`);
  if (Number.isNaN(ms) || ms < 0) return undefined;
  const micros = BigInt(ms) * 1000n + BigInt((match[4] ?? '').padEnd(6, '0') || '0');
  return micros.toString();
}

/** µs → the datetime-local value (UTC, millisecond precision) that would seek there. */
export function microsToUtcInput(micros: string): string {
  const date = new Date(Number(BigInt(micros) / 1000n));
  return date.toISOString().slice(0, 23);
}

export function partitionHref(
  stream: string,
  topic: string,
  partition: number,
  query?: Record<string, string>,
) {
  const path = `/explore/${encodeURIComponent(stream)}/${encodeURIComponent(topic)}/${partition}`;
  return query ? `${path}?${new URLSearchParams(query).toString()}` : path;
}

export function apiUrl(path: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, value);
  return `/api/explore/${path}?${search.toString()}`;
}
