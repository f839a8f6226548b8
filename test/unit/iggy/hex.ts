/** Test helpers for writing expected bytes the way the protocol reference prints them. */

/** Hex with optional whitespace; a row followed by `×N` is repeated N times (golden-vector notation). */
export function hex(text: string): Buffer {
  const parts: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*([0-9a-fA-F\s]*?)\s*(?:×(\d+))?\s*$/.exec(line);
    if (!m) throw new Error(`bad hex line: ${line}`);
    const row = (m[1] ?? '').replace(/\s+/g, '');
    parts.push(row.repeat(m[2] ? Number(m[2]) : 1));
  }
  const joined = parts.join('');
  if (joined.length % 2 !== 0) throw new Error('odd hex length');
  return Buffer.from(joined, 'hex');
}

/** Builds a frame from a sparse dump: `offset: bytes` rows, every other byte zero. */
export function sparseFrame(size: number, rows: Record<number, string>): Buffer {
  const out = Buffer.alloc(size);
  for (const [offset, bytes] of Object.entries(rows)) hex(bytes).copy(out, Number(offset));
  return out;
}
