/** JSON.stringify that writes bigint (u64 offsets, u128 ids) as decimal strings instead of throwing. */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

const NO_STORE = { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' };

/** A JSON answer; `json<T>(…)` has the compiler check the body against the contract type T. */
export function json<T = unknown>(data: T, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(stringifyJson(data), { status, headers: { ...NO_STORE, ...headers } });
}
